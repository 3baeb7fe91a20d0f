// Tests of positions (line/column, FILE:L:C) and of the code frame under error messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Source } from "./ast.js";
import { renderCodeFrame } from "./code-frame.js";
import { formatPosition, lineColumn } from "./position.js";
import { utf8Bytes } from "./tokens.js";

function src(text: string, origin: Source["origin"] = "file"): Source {
  return { origin, path: origin === "file" ? "/tmp/t.nix" : null, text, baseDir: "/tmp" };
}

test("line and byte column are 1-based; LF, CRLF and a lone CR end lines", () => {
  const s = src("ab\ncd\r\nef\rg\n");
  assert.deepEqual(lineColumn(s, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(s, 2), { line: 1, column: 3 });
  assert.deepEqual(lineColumn(s, 3), { line: 2, column: 1 });
  assert.deepEqual(lineColumn(s, 5), { line: 2, column: 3 });
  assert.deepEqual(lineColumn(s, 7), { line: 3, column: 1 });
  assert.deepEqual(lineColumn(s, 10), { line: 4, column: 1 });
  assert.deepEqual(lineColumn(s, 12), { line: 5, column: 1 });
  const utf8 = src(utf8Bytes("é = x"));
  assert.deepEqual(lineColumn(utf8, 5), { line: 1, column: 6 });
});

test("positions name the file, «string» or «stdin»", () => {
  assert.equal(formatPosition(src("a\nb"), 2), "/tmp/t.nix:2:1");
  assert.equal(formatPosition(src("a\nb", "string"), 2), utf8Bytes("«string»:2:1"));
  assert.equal(formatPosition(src("a\nb", "stdin"), 0), utf8Bytes("«stdin»:1:1"));
});

test("the frame shows the previous, current and next line with a caret", () => {
  const s = src("let\n  a = 1;\nin b\n# end\n");
  assert.equal(
    renderCodeFrame(s, s.text.indexOf("b")),
    ["    2|   a = 1;", "    3| in b", "     |    ^", "    4| # end", ""].map((l) => (l ? " " + l : l)).join("\n"),
  );
});

test("a file ending in a newline shows the empty last line", () => {
  const s = src("|| true\n");
  assert.equal(renderCodeFrame(s, 0), "     1| || true\n      | ^\n     2|\n");
  const t = src("|| true");
  assert.equal(renderCodeFrame(t, 0), "     1| || true\n      | ^\n");
  const eof = src("(\n# no content\n");
  assert.equal(renderCodeFrame(eof, eof.text.length), "     2| # no content\n     3|\n      | ^\n");
});

test("trailing blanks are not printed; tabs are left for the terminal writer", () => {
  const s = src("let a = 1;  \n 5 x   \n   \nin y\n");
  assert.equal(renderCodeFrame(s, 14), "     1| let a = 1;\n     2|  5 x\n      |  ^\n     3|\n");
  const t = src("a\r\n\tb\r\n");
  assert.equal(renderCodeFrame(t, 4), "     1| a\n     2| \tb\n      |  ^\n     3|\n");
  const cr = src("a\rb\rc");
  assert.equal(renderCodeFrame(cr, 2), "     1| a\n     2| b\n      | ^\n     3| c\n");
});

test("line numbers are right-aligned in five columns", () => {
  const s = src("x\n".repeat(12344) + "err\n");
  assert.equal(renderCodeFrame(s, s.text.length - 4), " 12344| x\n 12345| err\n      | ^\n 12346|\n");
});
