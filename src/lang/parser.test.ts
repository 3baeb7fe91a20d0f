// Tests of the parser: every syntax form, precedence, desugarings, indented strings, paths,
// attribute-set merging, and the exact messages and positions of parse errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Expr, Source } from "./ast.js";
import { ParseError } from "./errors.js";
import { parse } from "./parser.js";
import { lineColumn } from "./position.js";
import { showExpr } from "./show.js";
import { utf8Bytes } from "./tokens.js";

function src(text: string, origin: Source["origin"] = "string"): Source {
  return { origin, path: origin === "file" ? "/base/f.nix" : null, text, baseDir: "/base" };
}

function ast(text: string): Expr {
  return parse(src(text), { home: "/home/u" });
}

/** The expression as Nix would show it (`nix-instantiate --parse`). */
function p(text: string): string {
  return showExpr(ast(text));
}

/** `message @line:column` of the parse error for `text`. */
function err(text: string): string {
  const source = src(text);
  try {
    parse(source, { home: "/home/u" });
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const { line, column } = lineColumn(source, e.offset);
    return `${e.message} @${line}:${column}`;
  }
  assert.fail(`expected a parse error for ${JSON.stringify(text)}`);
}

const STRING = utf8Bytes("«string»");

function check(cases: readonly (readonly [string, string])[], f: (s: string) => string): void {
  for (const [input, expected] of cases) assert.equal(f(input), expected, `for ${JSON.stringify(input)}`);
}

test("literals, variables and __curPos", () => {
  check(
    [
      ["123", "123"],
      ["9223372036854775807", "9223372036854775807"],
      ["1.5", "1.5"],
      ["1000000.0", "1e+06"],
      ["123456.7", "123457"],
      ["0.00001", "1e-05"],
      ['"a\\nb"', '"a\\nb"'],
      ['"${x}"', "(x)"],
      ['"a${x}b${y}"', '("a" + x + "b" + y)'],
      ['"\\${x}"', '"\\${x}"'],
      ['"a$b"', '"a$b"'],
      ["x", "x"],
      ["true", "true"],
      ["__curPos", "__curPos"],
      ["http://e.org/a?b=c", '"http://e.org/a?b=c"'],
      ["<nixpkgs/lib>", '(__findFile __nixPath "nixpkgs/lib")'],
    ],
    p,
  );
  assert.deepEqual(ast("__curPos"), { kind: "CurPos", pos: 0 });
  assert.deepEqual(ast("92233720368547758"), { kind: "Int", pos: 0, value: 92233720368547758n });
});

test("lists, attribute sets, selection and has-attribute", () => {
  check(
    [
      ["[ ]", "[ ]"],
      ["[ 1 x.y (f x) ]", "[ (1) ((x).y) ((f x)) ]"],
      ["[ f x ]", "[ (f) (x) ]"],
      ["{ }", "{ }"],
      ["{ a = 1; b = 2; }", "{ a = 1; b = 2; }"],
      ["rec { a = 1; b = a; }", "rec { a = 1; b = a; }"],
      ['{ "a b" = 1; "" = 2; }', '{ "" = 2; "a b" = 1; }'],
      ["a.b.c", "(a).b.c"],
      ['a."b c".${d}', '(a)."b c"."${d}"'],
      ['a.${"b"}', "(a).b"],
      ["a.b or c", "(a).b or (c)"],
      ["a.b or c d", "((a).b or (c) d)"],
      ["a.or", "(a).or"],
      ["{ or = 1; }.or", "({ or = 1; }).or"],
      ["a ? b", "((a) ? b)"],
      ['a ? b."c".${d}', '((a) ? b.c."${d}")'],
      ["a ? b ? c", "((((a) ? b)) ? c)"],
    ],
    p,
  );
});

test("functions, let, with, assert, if", () => {
  check(
    [
      ["x: x", "(x: x)"],
      ["x: y: x", "(x: (y: x))"],
      ["{ a, b ? 1, ... }: a", "({ a, b ? 1, ... }: a)"],
      ["{ b, a }: a", "({ a, b }: a)"],
      ["{ a, }: a", "({ a }: a)"],
      ["{ }: 1", "({  }: 1)"],
      ["{ ... }: 1", "({ ... }: 1)"],
      ["x@{ a }: a", "({ a } @ x: a)"],
      ["{ a } @ x: a", "({ a } @ x: a)"],
      ["let a = 1; in a", "(let a = 1; in a)"],
      ["let in 1", "(let in 1)"],
      ["let { a = 1; body = a; }", "(rec { a = 1; body = a; }).body"],
      ["with a; b", "(with a; b)"],
      ["assert a; b", "assert a; b"],
      ["if a then b else c", "(if a then b else c)"],
      ["if a then b else x: x", "(if a then b else (x: x))"],
      ["let or = 1; in 2", "(let or = 1; in 2)"],
    ],
    p,
  );
  const lambda = ast("{ a, b ? 1 }@x: a");
  assert.equal(lambda.kind, "Lambda");
  if (lambda.kind === "Lambda") {
    assert.equal(lambda.arg, "x");
    assert.deepEqual(
      lambda.formals?.formals.map((f) => [f.name, f.pos, f.default?.kind ?? null]),
      [
        ["a", 2, null],
        ["b", 5, "Int"],
      ],
    );
    assert.equal(lambda.formals?.ellipsis, false);
  }
});

test("operators desugar to calls of overridable builtins", () => {
  check(
    [
      ["a - b", "(__sub a b)"],
      ["-a", "(__sub 0 a)"],
      ["a * b", "(__mul a b)"],
      ["a / b", "(__div a b)"],
      ["a < b", "(__lessThan a b)"],
      ["a > b", "(__lessThan b a)"],
      ["a <= b", "(! (__lessThan b a))"],
      ["a >= b", "(! (__lessThan a b))"],
      ["a + b", "(a + b)"],
      ["a ++ b", "(a ++ b)"],
      ["a // b", "(a // b)"],
      ["a == b", "(a == b)"],
      ["a != b", "(a != b)"],
      ["a && b", "(a && b)"],
      ["a || b", "(a || b)"],
      ["a -> b", "(a -> b)"],
      ["!a", "(! a)"],
      ["a |> f", "(f a)"],
      ["a |> f x |> g", "(g (f x a))"],
      ["f <| a", "(f a)"],
      ["f <| g <| a", "(f (g a))"],
    ],
    p,
  );
});

test("precedence and associativity (spec §2.1)", () => {
  check(
    [
      ["-f x", "(__sub 0 (f x))"],
      ["f -1", "(__sub f 1)"],
      ["!a == b", "((! a) == b)"],
      ["!s ? a", "(! ((s) ? a))"],
      ["-s ? a", "(((__sub 0 s)) ? a)"],
      ["1 + s ? a", "(1 + ((s) ? a))"],
      ["a // s ? x", "(a // ((s) ? x))"],
      ["true -> false -> false", "(true -> (false -> false))"],
      ["a || b && c", "(a || (b && c))"],
      ["a && b || c", "((a && b) || c)"],
      ["a == b && c != d", "((a == b) && (c != d))"],
      ["a < b == c", "((__lessThan a b) == c)"],
      ["a // b < c", "(__lessThan (a // b) c)"],
      ["a // b // c", "(a // (b // c))"],
      ["!a // b", "((! a) // b)"],
      ["a + b // c", "((a + b) // c)"],
      ["a + b * c", "(a + (__mul b c))"],
      ["a - b - c", "(__sub (__sub a b) c)"],
      ["a / b * c", "(__mul (__div a b) c)"],
      ["a * b ++ c", "(__mul a (b ++ c))"],
      ["a ++ b ++ c", "(a ++ (b ++ c))"],
      ["a ++ b ? c", "(a ++ ((b) ? c))"],
      ["a + !b + c", "(a + (! (b + c)))"],
      ["a * !b + c", "(__mul a (! (b + c)))"],
      ["- - a", "(__sub 0 (__sub 0 a))"],
      ["-a.b", "(__sub 0 (a).b)"],
      ["f a.b c", "(f (a).b c)"],
      ["a |> f == g", "((f == g) a)"],
    ],
    p,
  );
});

test("applications merge into one call, like Nix's makeCall", () => {
  const e = ast("(f a) b");
  assert.equal(e.kind, "Call");
  if (e.kind === "Call") assert.equal(e.args.length, 2);
  check(
    [
      ["(f a) b", "(f a b)"],
      ["(a - b) c", "(__sub a b c)"],
      ["f or", "(f or)"],
      ["f a or", "(f (a or))"],
      ["[ a or ]", "[ ((a or)) ]"],
      ["x |> (f a)", "(f a x)"],
    ],
    p,
  );
});

test("indented strings strip common indentation (spec §1.5 table)", () => {
  check(
    [
      ["''\n  a\n  b\n''", '"a\\nb\\n"'],
      ["''  a\n    b\n  c''", '"a\\n  b\\nc"'],
      ["''\n    a\n\n  b\n  ''", '"  a\\n\\nb\\n"'],
      ["''x\n  y\n''", '"x\\n  y\\n"'],
      ["''\n  a\n   b''", '"a\\n b"'],
      ["''${\"  x\"}\n  y''", '("  x" + "\\n  y")'],
      ["''\n  a\n\tb\n''", '"  a\\n\\tb\\n"'],
      ["''\n   ''${x}\n  a''", '(" " + "$" + "{x}\\na")'],
      ["''\n''", '""'],
      ["''\n\n''", '"\\n"'],
      ["''  ''", '""'],
      ["''a\\nb''", '"a\\\\nb"'],
      ["''$${x}''", '"$\\${x}"'],
      ["''a${x}''", '("a" + x)'],
      ["''\n  a\n  ${x}\n  b\n''", '("a\\n" + x + "\\nb\\n")'],
      ["''a'''b''", '("a" + "\'\'" + "b")'],
      ["''\n  ''\\n  x\n''", '("\\n" + "x\\n")'],
    ],
    p,
  );
  assert.deepEqual(ast("''\n  a\n''"), { kind: "String", pos: 0, value: "a\n" });
});

test("path literals are made absolute against the base directory and canonicalised", () => {
  check(
    [
      ["./foo", "/base/foo"],
      ["./foo/../bar", "/base/bar"],
      ["./.", "/base"],
      ["../x", "/x"],
      ["../../../x", "/x"],
      ["foo/bar.nix", "/base/foo/bar.nix"],
      ["/a/b/../c", "/a/c"],
      ["/a/./b", "/a/b"],
      ["~/x/y", "/home/u/x/y"],
      ["~/a/../b", "/home/u/a/../b"],
    ],
    p,
  );
  assert.deepEqual(ast("./a/${x}.nix"), {
    kind: "InterpPath",
    pos: 0,
    parts: ["/base/a/", { kind: "Var", pos: 6, name: "x" }, ".nix"],
  });
  check(
    [
      ["./${x}", "(/base/ + x)"],
      ["/${x}", "(/ + x)"],
      ["~/${x}", "(/home/u/ + x)"],
      ["./a.${x}", "(/base/a. + x)"],
      ["./a/${x}/b/${y}", '(/base/a/ + x + "/b/" + y)'],
    ],
    p,
  );
  assert.equal(err("./foo/"), "path has a trailing slash @1:1");
  assert.equal(err("/a//b"), "syntax error, unexpected end of path, expecting '${' @1:1");
});

test("nested attribute paths build nested sets and set literals merge", () => {
  check(
    [
      ["{ a.b = 1; a.c = 2; }", "{ a = { b = 1; c = 2; }; }"],
      ["{ a.b.c = 1; a.b.d = 2; }", "{ a = { b = { c = 1; d = 2; }; }; }"],
      ["{ a = { b = 1; }; a.c = 2; }", "{ a = { b = 1; c = 2; }; }"],
      ["{ a.c = 2; a = { b = 1; }; }", "{ a = { b = 1; c = 2; }; }"],
      ["{ a = { x = 1; }; a = rec { y = 2; }; }", "{ a = { x = 1; y = 2; }; }"],
      ["{ a = rec { x = 1; }; a = { y = 2; }; }", "{ a = rec { x = 1; y = 2; }; }"],
      ["{ a = ({ x = 1; }); a.y = 2; }", "{ a = { x = 1; y = 2; }; }"],
      ['{ "a".b = 1; ${"a"}.c = 2; }', "{ a = { b = 1; c = 2; }; }"],
      ["{ n = { a = 1; }; n = { ${x} = 2; }; }", '{ n = { a = 1; "${x}" = 2; }; }'],
      ["{ ${a}.b = 1; ${a}.c = 2; }", '{ "${a}" = { b = 1; }; "${a}" = { c = 2; }; }'],
      ["let a.b = 1; a.c = 2; in a", "(let a = { b = 1; c = 2; }; in a)"],
      ["let a.${x} = 1; in a", '(let a = { "${x}" = 1; }; in a)'],
      ['let ${"a"} = 1; in a', "(let a = 1; in a)"],
    ],
    p,
  );
});

test("merging renumbers the inherit-from sources of the merged set", () => {
  const e = ast("{ a = { inherit (x) p; }; a = { inherit (y) q; }; }");
  assert.equal(p("{ a = { inherit (x) p; }; a = { inherit (y) q; }; }"), "{ a = { inherit (x) p; inherit (y) q; }; }");
  assert.equal(e.kind, "Attrs");
  if (e.kind !== "Attrs") return;
  const inner = e.attrs[0]!.value;
  assert.equal(inner.kind, "Attrs");
  if (inner.kind !== "Attrs") return;
  assert.deepEqual(inner.inheritFrom.map(showExpr), ["x", "y"]);
  const q = inner.attrs.find((d) => d.name === "q")!;
  assert.equal(q.value.kind === "Select" && q.value.expr.kind === "InheritSource" && q.value.expr.index, 1);
});

test("inherit and inherit (e) produce Var and Select(InheritSource) definitions", () => {
  const e = ast("{ inherit a; inherit (s) b c; d = 1; }");
  assert.deepEqual(e, {
    kind: "Attrs",
    pos: 0,
    rec: false,
    attrs: [
      { name: "a", pos: 10, value: { kind: "Var", pos: 10, name: "a" }, inherit: "plain" },
      {
        name: "b",
        pos: 25,
        value: { kind: "Select", pos: 25, expr: { kind: "InheritSource", pos: 22, index: 0 }, path: [{ kind: "static", name: "b", pos: 25 }], default: null },
        inherit: "from",
      },
      {
        name: "c",
        pos: 27,
        value: { kind: "Select", pos: 27, expr: { kind: "InheritSource", pos: 22, index: 0 }, path: [{ kind: "static", name: "c", pos: 27 }], default: null },
        inherit: "from",
      },
      { name: "d", pos: 30, value: { kind: "Int", pos: 34, value: 1 }, inherit: "none" },
    ],
    dynamic: [],
    inheritFrom: [{ kind: "Var", pos: 22, name: "s" }],
  });
  check(
    [
      ["{ inherit a b; inherit (s) c; inherit (t) d e; f = 1; }", "{ inherit a b; inherit (s) c; inherit (t) d e; f = 1; }"],
      ['{ inherit "a" ${"b"} or; }', "{ inherit a b or; }"],
      ["let inherit (x) a; b = 1; in b", "(let inherit (x) a; b = 1; in b)"],
      ["{ inherit (x); }", "{ }"],
    ],
    p,
  );
  const l = ast("let inherit (x) a; in a");
  assert.equal(l.kind === "Let" && l.inheritFrom.length, 1);
});

test("dynamic attributes", () => {
  const e = ast('{ ${a} = 1; "${b}c" = 2; "d" = 3; }');
  assert.equal(e.kind, "Attrs");
  if (e.kind !== "Attrs") return;
  assert.deepEqual(e.attrs.map((d) => d.name), ["d"]);
  assert.deepEqual(
    e.dynamic.map((d) => [showExpr(d.name), showExpr(d.value), d.pos]),
    [
      ["a", "1", 2],
      ['(b + "c")', "2", 12],
    ],
  );
  assert.equal(p('{ ${"a" + "b"} = 1; }'), '{ "${("a" + "b")}" = 1; }');
  assert.equal(err('let ${"a" + ""} = 1; in a'), "dynamic attributes not allowed in let @1:1");
  assert.equal(err("x: let a = 1; ${x} = 2; in a"), "dynamic attributes not allowed in let @1:4");
  assert.equal(err('{ inherit "${a}"; }'), "dynamic attributes not allowed in inherit @1:11");
  assert.equal(err("{ inherit ${a}; }"), "dynamic attributes not allowed in inherit @1:11");
});

test("duplicate attributes are reported where Nix reports them", () => {
  const at = (l: number, c: number) => `${STRING}:${l}:${c}`;
  check(
    [
      ["{ x = 1; x = 2; }", `attribute 'x' already defined at ${at(1, 3)} @1:10`],
      ["{\n  x = 123;\n  y = 456;\n  x = 789;\n}", `attribute 'x' already defined at ${at(2, 3)} @4:3`],
      ["{ a.b.c = 1; a.b.c = 2; }", `attribute 'a.b.c' already defined at ${at(1, 3)} @1:14`],
      ["{ a = 1; a.b = 2; }", `attribute 'a' already defined at ${at(1, 3)} @1:10`],
      ["{ a.b = 1; a = 2; }", `attribute 'a' already defined at ${at(1, 3)} @1:12`],
      ["{ a.b = 1; a.b.c = 2; }", `attribute 'a.b' already defined at ${at(1, 3)} @1:12`],
      ["{\n  x.z = 3;\n  x = { y = 3; z = 3; };\n}", `attribute 'x.z' already defined at ${at(2, 3)} @3:16`],
      ["{ a = { b = 1; }; a = { b = 2; }; }", `attribute 'a.b' already defined at ${at(1, 9)} @1:25`],
      ["{ x = 1; inherit x; }", `attribute 'x' already defined at ${at(1, 3)} @1:18`],
      ["{ inherit x; x = 1; }", `attribute 'x' already defined at ${at(1, 11)} @1:14`],
      ["{ inherit x x; }", `attribute 'x' already defined at ${at(1, 11)} @1:13`],
      ["{ inherit x; x.y = 1; }", `attribute 'x' already defined at ${at(1, 11)} @1:14`],
      ["rec { x = 1; inherit x; }", `attribute 'x' already defined at ${at(1, 7)} @1:22`],
      ['{ ${"a"} = 1; a = 2; }', `attribute 'a' already defined at ${at(1, 3)} @1:15`],
      ['{ "a b" = 1; "a b" = 2; }', `attribute '"a b"' already defined at ${at(1, 3)} @1:14`],
      ["let a = 1; a = 2; in a", `attribute 'a' already defined at ${at(1, 5)} @1:12`],
      ["{ a = {}; a = 1; }", `attribute 'a' already defined at ${at(1, 3)} @1:11`],
    ],
    err,
  );
  const file = src("{ x = 1; x = 2; }", "file");
  assert.throws(() => parse(file), { message: "attribute 'x' already defined at /base/f.nix:1:3" });
});

test("duplicate formals are reported after the function body is parsed", () => {
  check(
    [
      ["{ a, a }: 1", "duplicate formal function argument 'a' @1:6"],
      ["a@{ a }: 1", "duplicate formal function argument 'a' @1:1"],
      ["{ a }@a: 1", "duplicate formal function argument 'a' @1:1"],
      ["{ a, b, a, b }: 1", "duplicate formal function argument 'a' @1:9"],
      ["{ a, b, b, a }: 1", "duplicate formal function argument 'a' @1:12"],
      ["{ a, a }: 1 +", "syntax error, unexpected end of file @1:14"],
    ],
    err,
  );
});

test("syntax errors name tokens like modern Nix and list what bison expects", () => {
  check(
    [
      ["|| true", "syntax error, unexpected '||' @1:1"],
      ["-> x", "syntax error, unexpected '->' @1:1"],
      ["1 != != 2", "syntax error, unexpected '!=' @1:6"],
      ["if then", "syntax error, unexpected 'then' @1:4"],
      ["a.if", "syntax error, unexpected 'if', expecting identifier or 'or' or '${' or '\"' @1:3"],
      ["a.inherit", "syntax error, unexpected 'inherit', expecting identifier or 'or' or '${' or '\"' @1:3"],
      ["{ 1.5 = x; }", "syntax error, unexpected floating-point literal, expecting 'inherit' @1:3"],
      ["{ a = 1; 5 }", "syntax error, unexpected integer, expecting 'inherit' @1:10"],
      ["rec { 5 }", "syntax error, unexpected integer, expecting 'inherit' or '}' @1:7"],
      ["let { 5 }", "syntax error, unexpected integer, expecting 'inherit' or '}' @1:7"],
      ["let a = 1; 5", "syntax error, unexpected integer, expecting 'in' or 'inherit' @1:12"],
      ["let 1", "syntax error, unexpected integer, expecting 'in' or 'inherit' @1:5"],
      ["{ a 1 }", "syntax error, unexpected integer, expecting '.' or '=' @1:5"],
      ["{ a.b }", "syntax error, unexpected '}', expecting '.' or '=' @1:7"],
      ["{ a = 1 }", "syntax error, unexpected '}', expecting ';' @1:9"],
      ["{ a, b 1 }", "syntax error, unexpected integer, expecting '}' or ',' @1:8"],
      ["{ a ? 1 ; }", "syntax error, unexpected ';', expecting '}' or ',' @1:9"],
      ["{ a, 1", "syntax error, unexpected integer, expecting identifier or '...' or '}' @1:6"],
      ["{ ... 1", "syntax error, unexpected integer, expecting '}' @1:7"],
      ["{ a, b }", "syntax error, unexpected end of file, expecting ':' or '@' @1:9"],
      ["x @ 1", "syntax error, unexpected integer, expecting '{' @1:5"],
      ["{ } @ 1", "syntax error, unexpected integer, expecting identifier @1:7"],
      ["{ } @ x 1", "syntax error, unexpected integer, expecting ':' @1:9"],
      ["x @ {} 1", "syntax error, unexpected integer, expecting ':' @1:8"],
      ["inherit", "syntax error, unexpected 'inherit' @1:1"],
      ["{ inherit a = 1; }", "syntax error, unexpected '=' @1:13"],
      ["{ inherit (a b }", "syntax error, unexpected '}', expecting ')' @1:16"],
      ["%", "syntax error, unexpected invalid token @1:1"],
      ["1 | 2", "syntax error, unexpected invalid token, expecting end of file @1:3"],
      ["123 \u00e9", "syntax error, unexpected invalid token, expecting end of file @1:5"],
      ["1 )", "syntax error, unexpected ')', expecting end of file @1:3"],
      [")", "syntax error, unexpected ')' @1:1"],
      ["{ a = 1; } 1 = 2", "syntax error, unexpected '=', expecting end of file @1:14"],
      ["x: y z:", "syntax error, unexpected ':', expecting end of file @1:7"],
      ["a < b < c", "syntax error, unexpected '<' @1:7"],
      ["a < b > c", "syntax error, unexpected '>' @1:7"],
      ["a == b == c", "syntax error, unexpected '==' @1:8"],
      ["a == b != c", "syntax error, unexpected '!=' @1:8"],
      ["[ 1 -2 ]", "syntax error, unexpected '-' @1:5"],
      ["1 + if a then b else c", "syntax error, unexpected 'if' @1:5"],
      ["1 + x: x", "syntax error, unexpected ':', expecting end of file @1:6"],
      ["f let a = 1; in a", "syntax error, unexpected identifier, expecting '{' @1:7"],
      ["rec 1", "syntax error, unexpected integer, expecting '{' @1:5"],
      ["let or = 1; in or", "syntax error, unexpected 'or' @1:16"],
      ["{ or }: 1", "syntax error, unexpected '}', expecting '.' or '=' @1:6"],
      ["a |> b <| c", "syntax error, unexpected '<|', expecting end of file @1:8"],
      ["a <| b |> c", "syntax error, unexpected '|>', expecting end of file @1:8"],
      ["a.${b", "syntax error, unexpected end of file, expecting '}' @1:6"],
      ["{ ${a} 1 }", "syntax error, unexpected integer, expecting '.' or '=' @1:8"],
      ["x: if a then b", "syntax error, unexpected end of file, expecting 'else' @1:15"],
    ],
    err,
  );
});

test("unexpected end of file is reported at the end of the last lexeme", () => {
  check(
    [
      ["", "syntax error, unexpected end of file @1:1"],
      ["   ", "syntax error, unexpected end of file @1:4"],
      ["1 +", "syntax error, unexpected end of file @1:4"],
      ["1 +\n", "syntax error, unexpected end of file @2:1"],
      ["(\n# no content\n", "syntax error, unexpected end of file @3:1"],
      ["(1 # c", "syntax error, unexpected end of file, expecting ')' @1:7"],
      ["(1", "syntax error, unexpected end of file, expecting ')' @1:3"],
      ["if a b", "syntax error, unexpected end of file, expecting 'then' @1:7"],
      ["assert a 1", "syntax error, unexpected end of file, expecting ';' @1:11"],
      ["a.b.", "syntax error, unexpected end of file, expecting identifier or 'or' or '${' or '\"' @1:5"],
      ['"abc', "syntax error, unexpected end of file, expecting '\"' @1:5"],
      ['"abc\\', "syntax error, unexpected end of file, expecting '\"' @1:6"],
      ['"a${b}', "syntax error, unexpected end of file, expecting '\"' @1:7"],
      ["''abc", "syntax error, unexpected end of file, expecting indented string or '${' or end of an indented string @1:6"],
      ["[ 1", "syntax error, unexpected end of file @1:4"],
      ["a.b or", "syntax error, unexpected end of file @1:7"],
      // After a path the location jumps back (Nix's scanner rewinds it to produce end-of-path).
      ["(./a", "syntax error, unexpected end of file, expecting ')' @1:2"],
      ["1 + \0", "syntax error, unexpected end of file @1:6"],
    ],
    err,
  );
  assert.equal(p("1 \0 garbage ("), "1");
});

test("lexer errors carry their positions through the parser", () => {
  check(
    [
      ["9223372036854775808", "invalid integer '9223372036854775808' @1:1"],
      ["[ 1.0e400 ]", "invalid float '1.0e400' @1:3"],
      ["x: ./a/ b", "path has a trailing slash @1:8"],
      ['"a\0b"', "input string 'a\u00e2\u0090\u0080b' cannot be represented as Nix string because it contains null bytes @1:2"],
    ],
    err,
  );
});

test("node positions follow Nix's", () => {
  const e = ast("f (a.b or c) (x - y) (!z) { q = 1; }.q");
  assert.equal(e.kind, "Call");
  if (e.kind !== "Call") return;
  assert.equal(e.pos, 0);
  const [sel, sub, not, sel2] = e.args;
  assert.equal(sel!.kind === "Select" && sel!.pos, 3);
  assert.equal(sub!.kind === "Call" && sub!.pos, 16);
  assert.equal(not!.kind === "Not" && not!.pos, 22);
  assert.equal(sel2!.kind === "Select" && sel2!.pos, 26);
  const b = ast("a + b");
  assert.equal(b.pos, 2);
  const s = ast('x: "a${x}"');
  assert.equal(s.kind === "Lambda" && s.body.pos, 4);
  const l = ast("let a = 1; in a");
  assert.equal(l.pos, 0);
  const h = ast("a ? b");
  assert.equal(h.pos, 2);
});

test("a 1 MB generated file parses in linear time", () => {
  let text = "{ lib, stdenv, ... }:\nlet inherit (lib) optional; in rec {\n";
  let i = 0;
  while (text.length < 1_000_000) {
    text += `  p${i} = stdenv.mkDerivation { pname = "p-${i}"; version = "1.${i}"; src = ./src/p${i}.tar.gz;\n`;
    text += `    deps = [ p${Math.max(0, i - 1)} lib.foo ] ++ optional (${i} > 3 && !stdenv.isDarwin) ./fix-\${toString ${i}}.patch;\n`;
    text += `    meta.description = ''\n      Package ${i}\n    ''; passthru.x = if a ? b then (x: x + 1) 2 else -3 * 4; };\n`;
    i++;
  }
  text += "}\n";
  const e = parse(src(text));
  assert.equal(e.kind, "Lambda");
});
