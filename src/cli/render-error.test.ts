// How evaluation errors are printed: modern Nix cuts a long trace short unless --show-trace (a
// NixOS configuration's `throw` otherwise buries its message under dozens of module-system
// frames), keeps builtins.addErrorContext's frames, and collapses repeated frames.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Source } from "../lang/ast.js";
import { EvalError } from "../eval/errors.js";
import { renderError } from "./render-error.js";

const text = "f (g (h (k x)))\n";
const source: Source = { origin: "string", path: null, text, baseDir: "/" };
const at = (column: number) => ({ source, offset: column - 1 });

/** An error thrown at `x` inside four builtin calls (innermost frame added first, as they unwind). */
function nestedError(): EvalError {
  const e = new EvalError("boom", "throw");
  e.addTrace("while calling the 'k' builtin", at(10));
  e.addContext("while evaluating the option `a.b':");
  e.addTrace("while calling the 'h' builtin", at(7));
  e.addTrace("while calling the 'g' builtin", at(4));
  e.addTrace("while calling the 'f' builtin", at(1));
  return e;
}

/** The rendered text is bytes in a string (as written to stderr); read as UTF-8. */
const utf8 = (out: string): string => Buffer.from(out, "latin1").toString("utf8");
const messages = (out: string): string[] => [...utf8(out).matchAll(/^ {7}(… .*|\(.*\)|error: .*)$/gm)].map((m) => m[1]!);

test("without --show-trace the trace stops after two positioned frames, keeping addErrorContext frames, as modern Nix prints it", () => {
  const out = renderError(nestedError(), false);
  assert.deepEqual(messages(out), [
    "… while calling the 'f' builtin",
    "… while calling the 'g' builtin",
    "… while evaluating the option `a.b':",
    "(stack trace truncated; use '--show-trace' to show the full, detailed trace)",
    "error: boom",
  ]);
  assert.ok(utf8(out).startsWith("error:\n       … while calling the 'f' builtin\n         at «string»:1:1:\n"), out);
  assert.match(out, /\n\n {7}\(stack trace truncated; use '--show-trace' to show the full, detailed trace\)\n\n {7}error: boom\n$/);
});

test("with --show-trace every frame is printed and nothing is said about truncation", () => {
  const out = renderError(nestedError(), true);
  assert.deepEqual(messages(out), [
    "… while calling the 'f' builtin",
    "… while calling the 'g' builtin",
    "… while calling the 'h' builtin",
    "… while evaluating the option `a.b':",
    "… while calling the 'k' builtin",
    "error: boom",
  ]);
});

test("a short trace is printed whole", () => {
  const e = new EvalError("boom", "throw");
  e.addTrace("while calling the 'g' builtin", at(4));
  e.addTrace("while calling the 'f' builtin", at(1));
  assert.deepEqual(messages(renderError(e, false)), ["… while calling the 'f' builtin", "… while calling the 'g' builtin", "error: boom"]);
});

test("more than five repeats of frames already shown collapse into one line; up to five are printed", () => {
  const deep = new EvalError("boom", "throw");
  for (let i = 0; i < 8; i++) deep.addTrace("while calling 'f'", at(1));
  assert.deepEqual(messages(renderError(deep, true)), ["… while calling 'f'", "(7 duplicate frames omitted)", "error: boom"]);
  const shallow = new EvalError("boom", "throw");
  for (let i = 0; i < 3; i++) shallow.addTrace("while calling 'f'", at(1));
  assert.deepEqual(messages(renderError(shallow, true)), ["… while calling 'f'", "… while calling 'f'", "… while calling 'f'", "error: boom"]);
});
