# Tracing helpers.
{ lib }:
let
  inherit (builtins) trace deepSeq;
  traceIf = cond: msg: value: if cond then trace msg value else value;
  traceValFn = f: value: trace (f value) value;
  traceVal = traceValFn (v: v);
  traceSeq = x: y: trace (deepSeq x x) y;
  traceValSeqFn = f: value: traceValFn f (deepSeq value value);
  traceValSeq = traceValSeqFn (v: v);
in
{
  inherit traceIf traceValFn traceVal traceSeq traceValSeqFn traceValSeq;
}
