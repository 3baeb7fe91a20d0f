// Tests of the tokenizer: longest-match rules, literal values, lexer states and token positions.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Source } from "./ast.js";
import { ParseError } from "./errors.js";
import { tokenize, unescapeString, type Token } from "./lexer.js";
import { T, tokenName } from "./tokens.js";

function src(text: string): Source {
  return { origin: "string", path: null, text, baseDir: "/base" };
}

function toks(text: string): Token[] {
  return tokenize(src(text)).slice(0, -1);
}

/** Token names, with values for the tokens that carry one: `identifier(a)`, `integer(1)`. */
function names(text: string): string[] {
  return toks(text).map((t) => {
    const n = tokenName(t.kind);
    return t.value === null ? n : `${n}(${String(t.value)})`;
  });
}

function lexError(text: string): { message: string; offset: number } {
  try {
    tokenize(src(text));
  } catch (e) {
    assert.ok(e instanceof ParseError);
    return { message: e.message, offset: e.offset };
  }
  assert.fail(`expected a lexer error for ${JSON.stringify(text)}`);
}

test("identifiers may contain ' and -, keywords are whole words", () => {
  assert.deepEqual(names("a-b x' foo-1 _x"), ["identifier(a-b)", "identifier(x')", "identifier(foo-1)", "identifier(_x)"]);
  assert.deepEqual(names("if iff in inherit or orx"), ["'if'", "identifier(iff)", "'in'", "'inherit'", "'or'", "identifier(orx)"]);
  assert.deepEqual(names("then else assert with let rec"), ["'then'", "'else'", "'assert'", "'with'", "'let'", "'rec'"]);
  assert.deepEqual(names("x - 1"), ["identifier(x)", "'-'", "integer(1)"]);
  assert.deepEqual(names("true null"), ["identifier(true)", "identifier(null)"]);
});

test("integers are decimal, 64-bit, number when safe and bigint otherwise", () => {
  assert.deepEqual(names("007 42"), ["integer(7)", "integer(42)"]);
  const [big] = toks("9223372036854775807");
  assert.equal(big!.value, 9223372036854775807n);
  const [safe] = toks("9007199254740991");
  assert.equal(safe!.value, 9007199254740991);
  const [unsafe] = toks("9007199254740993");
  assert.equal(unsafe!.value, 9007199254740993n);
  assert.deepEqual(lexError("1 + 9223372036854775808"), { message: "invalid integer '9223372036854775808'", offset: 4 });
  assert.deepEqual(names("0x10"), ["integer(0)", "identifier(x10)"]);
});

test("floats follow Nix's FLOAT rule and reject out-of-range values", () => {
  assert.deepEqual(names("1.5 .5 0.5 1. 1.e3 .5e-2 2.5E+3"), [
    "floating-point literal(1.5)",
    "floating-point literal(0.5)",
    "floating-point literal(0.5)",
    "floating-point literal(1)",
    "floating-point literal(1000)",
    "floating-point literal(0.005)",
    "floating-point literal(2500)",
  ]);
  assert.deepEqual(names("1e3"), ["integer(1)", "identifier(e3)"]);
  assert.deepEqual(names("00.5"), ["integer(0)", "floating-point literal(0.5)"]);
  assert.deepEqual(names("1.5e"), ["floating-point literal(1.5)", "identifier(e)"]);
  assert.deepEqual(lexError("1.0e400"), { message: "invalid float '1.0e400'", offset: 0 });
  assert.deepEqual(lexError("x 1.0e-400"), { message: "invalid float '1.0e-400'", offset: 2 });
  assert.deepEqual(lexError("1.0e-310"), { message: "invalid float '1.0e-310'", offset: 0 });
  assert.deepEqual(names("0.0e-400"), ["floating-point literal(0)"]);
});

test("operators use longest match", () => {
  assert.deepEqual(names("== != <= >= && || -> // ++ |> <| ..."), [
    "'=='", "'!='", "'<='", "'>='", "'&&'", "'||'", "'->'", "'//'", "'++'", "'|>'", "'<|'", "'...'",
  ]);
  assert.deepEqual(names("= ! < > - + * / ? : @ ; , . ( ) [ ] { }"), [
    "'='", "'!'", "'<'", "'>'", "'-'", "'+'", "'*'", "'/'", "'?'", "':'", "'@'", "';'", "','", "'.'",
    "'('", "')'", "'['", "']'", "'{'", "'}'",
  ]);
  assert.deepEqual(names("% & | $ ~ ` '"), Array(7).fill("invalid token"));
});

test("pipe operators can be switched off like Nix's experimental feature", () => {
  assert.throws(
    () => tokenize(src("a |> f"), { pipeOperators: false }),
    (e: unknown) =>
      e instanceof ParseError &&
      e.offset === 2 &&
      e.message === "experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it",
  );
});

test("comments and whitespace are skipped; an unterminated /* is a '/' token", () => {
  assert.deepEqual(names("a # c\nb /* x */ c /** doc */ d\r\n\te"), ["identifier(a)", "identifier(b)", "identifier(c)", "identifier(d)", "identifier(e)"]);
  assert.deepEqual(names("/* a /* b */ c"), ["identifier(c)"]);
  assert.deepEqual(names("/**/x"), ["identifier(x)"]);
  assert.deepEqual(names("/* abc"), ["'/'", "'*'", "identifier(abc)"]);
  assert.deepEqual(names("a#c\rb"), ["identifier(a)", "identifier(b)"]);
});

test("paths: plain, home, search paths and their boundaries", () => {
  assert.deepEqual(names("./foo ../x a/b /abs/p foo/bar.nix ./."), [
    "path(./foo)", "end of path", "path(../x)", "end of path", "path(a/b)", "end of path",
    "path(/abs/p)", "end of path", "path(foo/bar.nix)", "end of path", "path(./.)", "end of path",
  ]);
  assert.deepEqual(names("~/x/y"), ["'~/…' path(~/x/y)", "end of path"].map((s) => s.replace("…", "\u00e2\u0080\u00a6")));
  assert.deepEqual(names("<nixpkgs> <a/b-c.d>"), ["'<…>' path(<nixpkgs>)", "'<…>' path(<a/b-c.d>)"].map((s) => s.replace("…", "\u00e2\u0080\u00a6")));
  assert.deepEqual(names("<a/> <a"), ["'<'", "identifier(a)", "'/'", "'>'", "'<'", "identifier(a)"]);
  // `/` alone and `a/` are not paths; `a//b` is an update.
  assert.deepEqual(names("a // b"), ["identifier(a)", "'//'", "identifier(b)"]);
  assert.deepEqual(names("a//b"), ["identifier(a)", "'//'", "identifier(b)"]);
  assert.deepEqual(names("1/2"), ["path(1/2)", "end of path"]);
  assert.deepEqual(names("a-b/c+d"), ["path(a-b/c+d)", "end of path"]);
  assert.deepEqual(names("./a;"), ["path(./a)", "end of path", "';'"]);
});

test("a path ending in / is an error unless an interpolation follows", () => {
  assert.deepEqual(lexError("./foo/"), { message: "path has a trailing slash", offset: 0 });
  assert.deepEqual(lexError("x ./a/ b"), { message: "path has a trailing slash", offset: 6 });
  assert.deepEqual(lexError("~/a/"), { message: "path has a trailing slash", offset: 0 });
});

test("interpolated paths", () => {
  assert.deepEqual(names("./a/${x}.nix"), ["path(./a/)", "'${'", "identifier(x)", "'}'", "string(.nix)", "end of path"]);
  assert.deepEqual(names("./${x}"), ["path(./)", "'${'", "identifier(x)", "'}'", "end of path"]);
  assert.deepEqual(names("/${x}"), ["path(/)", "'${'", "identifier(x)", "'}'", "end of path"]);
  assert.deepEqual(names("a/${x}/b/${y}c"), [
    "path(a/)", "'${'", "identifier(x)", "'}'", "string(/b/)", "'${'", "identifier(y)", "'}'", "string(c)", "end of path",
  ]);
  assert.deepEqual(names("./a.${e}"), ["path(./a.)", "'${'", "identifier(e)", "'}'", "end of path"]);
  const ellipsis = "\u00e2\u0080\u00a6";
  assert.deepEqual(names("~/${x}"), [`'~/${ellipsis}' path(~/)`, "'${'", "identifier(x)", "'}'", "end of path"]);
  assert.deepEqual(names("/a//b"), ["path(/a/)", "string(/b)", "end of path"]);
});

test("end of path is located at the previous token, as Nix's scanner does", () => {
  const t = toks("(./a/b)");
  assert.equal(t[2]!.kind, T.PATH_END);
  assert.equal(t[2]!.start, 1);
  const u = toks("./a/${x}.nix;");
  const end = u.find((k) => k.kind === T.PATH_END)!;
  assert.equal(end.start, 8);
  // At the end of input the location goes back one token further.
  const v = tokenize(src("[ ./a"));
  assert.equal(v[2]!.kind, T.PATH_END);
  assert.equal(v[2]!.start, 1);
  assert.equal(v[3]!.kind, T.EOF);
  assert.equal(v[3]!.end, 2);
});

test("URIs are a single token", () => {
  assert.deepEqual(names("http://e.org/a?b=c&d urn:isbn:0451450523 x:x"), [
    "URI(http://e.org/a?b=c&d)", "URI(urn:isbn:0451450523)", "URI(x:x)",
  ]);
  assert.deepEqual(names("x: x"), ["identifier(x)", "':'", "identifier(x)"]);
  assert.deepEqual(names("a_b:c"), ["identifier(a_b)", "':'", "identifier(c)"]);
});

test("double-quoted strings: escapes, CR normalisation, dollars", () => {
  assert.deepEqual(names('"a\\nb\\tc\\rd"'), ["'\"'", "string(a\nb\tc\rd)", "'\"'"]);
  assert.deepEqual(names('"\\q\\$\\"\\\\"'), ["'\"'", 'string(q$"\\)', "'\"'"]);
  assert.deepEqual(names('"\\u0041"'), ["'\"'", "string(u0041)", "'\"'"]);
  assert.deepEqual(names('"a\r\nb\rc"'), ["'\"'", "string(a\nb\nc)", "'\"'"]);
  assert.deepEqual(names('"a\\\nb"'), ["'\"'", "string(a\nb)", "'\"'"]);
  assert.deepEqual(names('"a$" "$$" "$${x}" "\\${x}"'), [
    "'\"'", "string(a$)", "'\"'", "'\"'", "string($$)", "'\"'", "'\"'", "string($${x})", "'\"'", "'\"'", "string(${x})", "'\"'",
  ]);
  assert.deepEqual(names('"a${b}c"'), ["'\"'", "string(a)", "'${'", "identifier(b)", "'}'", "string(c)", "'\"'"]);
  assert.deepEqual(names('"${ { a = "}"; }.a }"'), [
    "'\"'", "'${'", "'{'", "identifier(a)", "'='", "'\"'", "string(})", "'\"'", "';'", "'}'", "'.'", "identifier(a)", "'}'", "'\"'",
  ]);
  assert.equal(unescapeString("a\\\r\nb"), "a\r\nb");
});

test("an unterminated string ends with end of file", () => {
  const t = tokenize(src('"abc\\'));
  assert.deepEqual(t.map((k) => k.kind), [T.QUOTE, T.STR, T.EOF]);
  assert.equal(t[2]!.end, 5);
  assert.deepEqual(tokenize(src('"a$')).map((k) => k.kind), [T.QUOTE, T.STR, T.EOF]);
});

test("indented strings: escapes and literal characters", () => {
  const parts = (text: string) => toks(text).map((t) => (t.kind === T.IND_STR ? `${t.indented ? "" : "!"}${t.value as string}` : tokenName(t.kind)));
  assert.deepEqual(parts("''a\\nb''"), ["start of an indented string", "a\\nb", "end of an indented string"]);
  assert.deepEqual(parts("''''$x'''''\\n''\\t''\\\\''\\\n''"), [
    "start of an indented string", "!$", "x", "!''", "!\n", "!\t", "!\\", "!\n", "end of an indented string",
  ]);
  assert.deepEqual(parts("''${x}''"), ["start of an indented string", "'${'", "identifier", "'}'", "end of an indented string"]);
  assert.deepEqual(parts("''''${x}''"), ["start of an indented string", "!$", "{x}", "end of an indented string"]);
  assert.deepEqual(parts("''$${x}''"), ["start of an indented string", "$${x}", "end of an indented string"]);
  assert.deepEqual(parts("''a'$''"), ["start of an indented string", "a", "!'", "!$", "end of an indented string"]);
  assert.deepEqual(parts("''a'b''"), ["start of an indented string", "a'b", "end of an indented string"]);
  // Spaces and a newline right after the opening quotes belong to the opening token.
  const open = toks("''   \n  x''")[0]!;
  assert.equal(open.end, 6);
  assert.deepEqual(parts("''  x''"), ["start of an indented string", "  x", "end of an indented string"]);
});

test("a NUL byte ends the input like end of file", () => {
  const t = tokenize(src("1 \0 2"));
  assert.deepEqual(t.map((k) => k.kind), [T.INT, T.EOF]);
  assert.equal(t[1]!.end, 3);
});

test("token positions are byte offsets", () => {
  const t = toks("let\n  x = \"\u00c3\u00a9\";");
  assert.deepEqual(t.map((k) => [k.start, k.end]), [[0, 3], [6, 7], [8, 9], [10, 11], [11, 13], [13, 14], [14, 15]]);
});
