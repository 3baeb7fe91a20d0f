// Expected documents recorded from nix-instantiate 2.8 (`builtins.toXML`, `--eval --xml`); the
// location format without `path` for non-file sources is modern (spec §5.2).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Source } from "../../lang/ast.js";
import { valueToXML } from "../to-xml.js";
import { Attrs, Lambda, NixFloat, NixPath, NixString, PrimOp, Thunk, type Code, type Env, type Value } from "../value.js";
import { register as xml } from "./xml.js";
import { fn, set, testEnv, testSource } from "./test-support.js";

const t = testEnv([xml]);
const toXML = (v: Value): string => {
  const r = t.call("toXML", v);
  return r instanceof NixString ? r.s : (r as string);
};

function lambda(opts: { arg?: string; formals?: string[]; ellipsis?: boolean; source?: Source; offset?: number }): Lambda {
  const formals = opts.formals ?? null;
  return new Lambda(
    {
      name: null,
      pos: { source: opts.source ?? testSource, offset: opts.offset ?? 0 },
      slots: 1 + (formals?.length ?? 0),
      argSlot: opts.arg !== undefined ? 1 : -1,
      argName: opts.arg ?? null,
      formals: formals?.map((name, i) => ({ name, slot: i + 2, default: null })) ?? null,
      formalNames: formals ? new Set(formals) : null,
      ellipsis: opts.ellipsis ?? false,
      body: (() => null) as Code,
    },
    [null],
  );
}

const HEADER = "<?xml version='1.0' encoding='utf-8'?>\n";

test("toXML writes every kind of value", () => {
  const v = set({
    a: 1,
    b: [],
    c: set({}),
    d: "x<>&\"'\n\r\t",
    e: new NixFloat(1.5),
    f: null,
    g: true,
    h: new NixPath("/tmp"),
    i: lambda({ arg: "x" }),
    j: lambda({ arg: "args", formals: ["b", "a"], ellipsis: true }),
    k: lambda({ formals: ["a"] }),
    l: new PrimOp("map", 2, () => null),
    n: [1, "s"],
    o: new NixFloat(1e20),
  });
  assert.equal(
    toXML(v),
    HEADER +
      '<expr>\n  <attrs>\n    <attr name="a">\n      <int value="1" />\n    </attr>\n    <attr name="b">\n      <list>\n      </list>\n    </attr>\n    <attr name="c">\n      <attrs>\n      </attrs>\n    </attr>\n    <attr name="d">\n      <string value="x&lt;&gt;&amp;&quot;\'&#xA;\r\t" />\n    </attr>\n    <attr name="e">\n      <float value="1.5" />\n    </attr>\n    <attr name="f">\n      <null />\n    </attr>\n    <attr name="g">\n      <bool value="true" />\n    </attr>\n    <attr name="h">\n      <path value="/tmp" />\n    </attr>\n    <attr name="i">\n      <function>\n        <varpat name="x" />\n      </function>\n    </attr>\n    <attr name="j">\n      <function>\n        <attrspat ellipsis="1" name="args">\n          <attr name="a" />\n          <attr name="b" />\n        </attrspat>\n      </function>\n    </attr>\n    <attr name="k">\n      <function>\n        <attrspat>\n          <attr name="a" />\n        </attrspat>\n      </function>\n    </attr>\n    <attr name="l">\n      <unevaluated />\n    </attr>\n    <attr name="n">\n      <list>\n        <int value="1" />\n        <string value="s" />\n      </list>\n    </attr>\n    <attr name="o">\n      <float value="1e+20" />\n    </attr>\n  </attrs>\n</expr>\n',
  );
  assert.equal(toXML("s"), HEADER + '<expr>\n  <string value="s" />\n</expr>\n');
});

test("derivations are written once, later as <repeated />", () => {
  const ctxDrv = new NixString("/nix/store/x.drv", new Set(["=/nix/store/x.drv"]));
  const d = set({ type: "derivation", drvPath: ctxDrv, outPath: "/nix/store/x", name: "n" });
  const r = t.call("toXML", [d, d, set({ type: "derivation" })]);
  assert.ok(r instanceof NixString);
  assert.deepEqual([...r.ctx], ["=/nix/store/x.drv"]);
  assert.equal(
    r.s,
    HEADER +
      '<expr>\n  <list>\n    <derivation drvPath="/nix/store/x.drv" outPath="/nix/store/x">\n      <attr name="drvPath">\n        <string value="/nix/store/x.drv" />\n      </attr>\n      <attr name="name">\n        <string value="n" />\n      </attr>\n      <attr name="outPath">\n        <string value="/nix/store/x" />\n      </attr>\n      <attr name="type">\n        <string value="derivation" />\n      </attr>\n    </derivation>\n    <derivation drvPath="/nix/store/x.drv" outPath="/nix/store/x">\n      <repeated />\n    </derivation>\n    <derivation>\n      <repeated />\n    </derivation>\n  </list>\n</expr>\n',
  );
});

test("nix-instantiate --xml: locations and unevaluated thunks", () => {
  const text = "{\n  a = 1;\n  f = { x, y ? 2 }: x;\n  g = z: z;\n  inherit (builtins) map;\n  l = [ (1+1) ];\n  s = { b = 2; };\n}\n";
  const file: Source = { origin: "file", path: "/tmp/o/x/f.nix", text, baseDir: "/tmp/o/x" };
  const off = (line: number, col: number) => text.split("\n").slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0) + col - 1;
  const inner = new Attrs(new Map<string, Value>([["b", 2]]), { source: file, offsets: new Map([["b", off(7, 9)]]) });
  const pending = (v: () => Value) => new Thunk((() => v()) as unknown as Code, null as unknown as Env);
  const sThunk = pending(() => inner);
  const fThunk = pending(() => lambda({ formals: ["x", "y"], source: file, offset: off(3, 7) }));
  const gThunk = pending(() => lambda({ arg: "z", source: file, offset: off(4, 7) }));
  const lThunk = pending(() => [pending(() => 2)]);
  const v = new Attrs(
    new Map<string, Value>([
      ["a", 1],
      ["f", fThunk],
      ["g", gThunk],
      ["map", new PrimOp("map", 2, () => null)],
      ["l", lThunk],
      ["s", sThunk],
    ]),
    { source: file, offsets: new Map([["a", off(2, 3)], ["f", off(3, 3)], ["g", off(4, 3)], ["map", off(5, 21)], ["l", off(6, 3)], ["s", off(7, 3)]]) },
  );
  const P = 'path="/tmp/o/x/f.nix"';
  assert.equal(
    valueToXML(t.state, v, { strict: false, location: true }),
    HEADER +
      `<expr>\n  <attrs>\n    <attr column="3" line="2" name="a" ${P}>\n      <int value="1" />\n    </attr>\n    <attr column="3" line="3" name="f" ${P}>\n      <unevaluated />\n    </attr>\n    <attr column="3" line="4" name="g" ${P}>\n      <unevaluated />\n    </attr>\n    <attr column="3" line="6" name="l" ${P}>\n      <unevaluated />\n    </attr>\n    <attr column="21" line="5" name="map" ${P}>\n      <unevaluated />\n    </attr>\n    <attr column="3" line="7" name="s" ${P}>\n      <unevaluated />\n    </attr>\n  </attrs>\n</expr>\n`,
  );
  assert.equal(
    valueToXML(t.state, v, { strict: true, location: true }),
    HEADER +
      `<expr>\n  <attrs>\n    <attr column="3" line="2" name="a" ${P}>\n      <int value="1" />\n    </attr>\n    <attr column="3" line="3" name="f" ${P}>\n      <function column="7" line="3" ${P}>\n        <attrspat>\n          <attr name="x" />\n          <attr name="y" />\n        </attrspat>\n      </function>\n    </attr>\n    <attr column="3" line="4" name="g" ${P}>\n      <function column="7" line="4" ${P}>\n        <varpat name="z" />\n      </function>\n    </attr>\n    <attr column="3" line="6" name="l" ${P}>\n      <list>\n        <int value="2" />\n      </list>\n    </attr>\n    <attr column="21" line="5" name="map" ${P}>\n      <unevaluated />\n    </attr>\n    <attr column="3" line="7" name="s" ${P}>\n      <attrs>\n        <attr column="9" line="7" name="b" ${P}>\n          <int value="2" />\n        </attr>\n      </attrs>\n    </attr>\n  </attrs>\n</expr>\n`,
  );
  // Expressions given on the command line have no file: modern Nix omits `path`.
  const expr: Source = { origin: "string", path: null, text: "{ a = 1; f = x: x; }", baseDir: "/" };
  const e = new Attrs(new Map<string, Value>([["a", 1], ["f", fn((x) => x)]]), { source: expr, offsets: new Map([["a", 2], ["f", 9]]) });
  assert.equal(
    valueToXML(t.state, e, { strict: false, location: true }),
    HEADER + '<expr>\n  <attrs>\n    <attr column="3" line="1" name="a">\n      <int value="1" />\n    </attr>\n    <attr column="10" line="1" name="f">\n      <function column="1" line="1">\n        <varpat name="" />\n      </function>\n    </attr>\n  </attrs>\n</expr>\n',
  );
});
