// Fuzzing the parser with a fixed seed: every input must either parse or fail with a ParseError
// at an offset inside the source — never another exception, never a hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Source } from "./ast.js";
import { ParseError } from "./errors.js";
import { FuzzGenerator } from "./fuzz-gen.js";
import { parse } from "./parser.js";
import { showExpr } from "./show.js";

function source(text: string): Source {
  return { origin: "string", path: null, text, baseDir: "/base" };
}

function checkInput(text: string, show = true): "ok" | "error" {
  const shown = JSON.stringify(text.length > 200 ? text.slice(0, 200) + "…" : text);
  try {
    const e = parse(source(text), { home: "/home/u" });
    if (show) showExpr(e);
    return "ok";
  } catch (e) {
    if (!(e instanceof ParseError)) {
      assert.fail(`non-ParseError ${String(e)} for input ${shown}`);
    }
    assert.ok(e.offset >= 0 && e.offset <= text.length, `offset ${e.offset} out of range for ${shown}`);
    assert.ok(e.message.length > 0);
    return "error";
  }
}

test("random token soups and mutated programs never crash the parser", () => {
  const gen = new FuzzGenerator(20240611);
  let ok = 0;
  let errors = 0;
  for (let i = 0; i < 4000; i++) {
    if (checkInput(gen.next()) === "ok") ok++;
    else errors++;
  }
  assert.ok(ok > 500 && errors > 500, `ok ${ok}, errors ${errors}`);
});

test("generated programs parse", () => {
  const gen = new FuzzGenerator(7);
  for (let i = 0; i < 500; i++) {
    const text = gen.program(1 + (i % 5));
    try {
      parse(source(text));
    } catch (e) {
      // Generated bindings may collide; anything else is a bug.
      if (!(e instanceof ParseError) || !/already defined|duplicate formal/.test(e.message)) {
        assert.fail(`${String(e)} for ${JSON.stringify(text)}`);
      }
    }
  }
});

test("deep nesting fails cleanly instead of overflowing the stack", () => {
  for (const text of ["(".repeat(50000) + "1" + ")".repeat(50000), "[".repeat(50000), "x: ".repeat(50000) + "x"]) {
    checkInput(text, false);
  }
  assert.throws(() => parse(source("[".repeat(50000))), { message: "expression nested too deeply" });
  // Long operator chains are parsed by loops, not recursion.
  for (const op of [" ++ ", " + ", " // ", " -> ", " && ", " * "]) {
    assert.equal(checkInput(Array(20000).fill("a").join(op), false), "ok");
  }
});
