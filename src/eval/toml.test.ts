// The valid document's expected value was recorded from nix-instantiate 2.8 (`fromTOML`); the
// invalid documents were checked to fail there too (except 64-bit overflow, which 2.8 clamped and
// modern Nix rejects). Datetime normalisation is hand-written from the spec.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TomlDateTime, TomlError, TomlTable, parseTOML, type TomlValue } from "./toml.js";

function plain(v: TomlValue): unknown {
  if (v instanceof TomlTable) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof TomlDateTime) return { [v.kind]: v.text };
  return v;
}
const parse = (s: string) => plain(parseTOML(s));

const DOC = `# comment
title = "TOML Example"
"quoted key" = 'lit'
bare_key-1 = 1
3.14159 = "pi"
site."google.com" = true
a.b.c = 1
a.b.d = 2

[owner]
name = "Tom"

[database]
ports = [ 8000, 8001, 8002, ]
data = [ ["gamma", "delta"], [1, 2] ]
temp_targets = { cpu = 79.5, case = 72.0 }
nested = { x.y = 1, z = [ { w = 1 } ] }
multi = """
Roses are red
  Violets are blue\\
     trimmed"""
lit_multi = '''
first line
  second ''line'' '''
quotes = """a""b"""""
hex = 0xDEAD_beef
oct = 0o755
bin = 0b1101
big = 9_223_372_036_854_775_807
neg = -9223372036854775808
flt = [ 6.626e-34, 5e+22, 1E6, -2E-2, 0.1, 224_617.445_991_228, +1.5 ]
empty = ""
esc = "tab\\there \\u00e9 \\U0001F600 quote\\" back\\\\"

[[products]]
name = "Hammer"

[[products]]

[[products]]
name = "Nail"
  [products.sub]
  x = 1
  [[products.list]]
  y = 2

[x.y.z.w]
[x]
k = 1

[fruit]
apple.color = "red"
[fruit.apple.texture]
smooth = true
`;

test("a document using most of TOML 1.0", () => {
  assert.deepEqual(parse(DOC), {
    title: "TOML Example",
    "quoted key": "lit",
    "bare_key-1": 1n,
    "3": { "14159": "pi" },
    site: { "google.com": true },
    a: { b: { c: 1n, d: 2n } },
    owner: { name: "Tom" },
    database: {
      ports: [8000n, 8001n, 8002n],
      data: [["gamma", "delta"], [1n, 2n]],
      temp_targets: { cpu: 79.5, case: 72 },
      nested: { x: { y: 1n }, z: [{ w: 1n }] },
      multi: "Roses are red\n  Violets are bluetrimmed",
      lit_multi: "first line\n  second ''line'' ",
      quotes: 'a""b""',
      hex: 3735928559n,
      oct: 493n,
      bin: 13n,
      big: 9223372036854775807n,
      neg: -9223372036854775808n,
      flt: [6.626e-34, 5e22, 1e6, -0.02, 0.1, 224617.445991228, 1.5],
      empty: "",
      esc: "tab\there \xc3\xa9 \xf0\x9f\x98\x80 quote\" back\\",
    },
    products: [{ name: "Hammer" }, {}, { name: "Nail", sub: { x: 1n }, list: [{ y: 2n }] }],
    x: { y: { z: { w: {} } }, k: 1n },
    fruit: { apple: { color: "red", texture: { smooth: true } } },
  });
});

test("special floats, CRLF, quotes at the end of multi-line strings", () => {
  const r = parse("a = inf\nb = +nan\nc = -inf\nd = -0.0\r\ne = ''''''''\n") as Record<string, unknown>;
  assert.equal(r.a, Infinity);
  assert.ok(Number.isNaN(r.b));
  assert.equal(r.c, -Infinity);
  assert.ok(Object.is(r.d, -0));
  assert.equal(r.e, "''");
  assert.deepEqual(parse('s = """\\\n\n   x"""'), { s: "x" });
  assert.deepEqual(parse("s = '''\r\nx\r\n'''"), { s: "x\r\n" });
  assert.deepEqual(parse("k = 'caf\xc3\xa9' # comment \xc3\xa9"), { k: "caf\xc3\xa9" });
  assert.deepEqual(parse(""), {});
  assert.deepEqual(parse('a = """""""'), { a: '"' });
  assert.deepEqual(parse('a = """"This," she said""""'), { a: '"This," she said"' });
  assert.deepEqual(parse("a = [\n  1, # one\n  2\n]\n"), { a: [1n, 2n] });
  assert.deepEqual(parse("[a]\nb.c = 1\n[a.b.d]\ne = 2"), { a: { b: { c: 1n, d: { e: 2n } } } });
  assert.deepEqual(parse("\"\" = 1\n'x y' = 2\n a . b = 3"), { "": 1n, "x y": 2n, a: { b: 3n } });
  assert.deepEqual(parse("[ a . b ]\n[[ c ]]"), { a: { b: {} }, c: [{}] });
});

test("dates and times are recognised and normalised", () => {
  assert.deepEqual(
    parse(
      [
        "odt1 = 1979-05-27T07:32:00Z",
        "odt2 = 1979-05-27T00:32:00-07:00",
        "odt3 = 1979-05-27T00:32:00.999999-07:00",
        "odt4 = 1979-05-27 07:32:00z",
        "odt5 = 1979-05-27T07:32:00+00:00",
        "ldt1 = 1979-05-27T07:32:00",
        "ldt2 = 1979-05-27t00:32:00.5",
        "ld1 = 1979-05-27",
        "lt1 = 07:32:00",
        "lt2 = 00:32:00.999999",
        "lt3 = 00:32:00.000",
        "lt4 = 00:32:00.123456789123",
        "leap = 2000-02-29",
      ].join("\n"),
    ),
    {
      odt1: { "offset-datetime": "1979-05-27T07:32:00Z" },
      odt2: { "offset-datetime": "1979-05-27T00:32:00-07:00" },
      odt3: { "offset-datetime": "1979-05-27T00:32:00.999999-07:00" },
      odt4: { "offset-datetime": "1979-05-27T07:32:00Z" },
      odt5: { "offset-datetime": "1979-05-27T07:32:00Z" },
      ldt1: { "local-datetime": "1979-05-27T07:32:00" },
      ldt2: { "local-datetime": "1979-05-27T00:32:00.500" },
      ld1: { "local-date": "1979-05-27" },
      lt1: { "local-time": "07:32:00" },
      lt2: { "local-time": "00:32:00.999999" },
      lt3: { "local-time": "00:32:00" },
      lt4: { "local-time": "00:32:00.123456789" },
      leap: { "local-date": "2000-02-29" },
    },
  );
});

test("invalid documents are rejected", () => {
  const invalid = [
    "a = 1\na = 2",
    "[a]\n[a]",
    "a = 1\n[a]",
    "[a]\nb = 1\n[a.b]",
    "a.b = 1\n[a.b]",
    "a = {x = 1}\n[a]",
    "a = {x = 1}\na.y = 2",
    "a = {x.y = 1}\n[a.x]",
    "a = [1]\n[[a]]",
    "[[a]]\n[a]",
    "[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
    "[a.b.c]\n[a]\nb.x = 1",
    "a = {x = 1,}",
    "a = {x = 1\n}",
    "a = [1 2]",
    "a = 01",
    "a = 1__0",
    "a = _1",
    "a = 1_",
    "a = 0x",
    "a = +0x10",
    "a = 1.",
    "a = .1",
    "a = 1e",
    "a = 9223372036854775808",
    "a = -9223372036854775809",
    "a = 0x8000000000000000",
    'a = "abc',
    "a = 'abc\n'",
    'a = "\\q"',
    'a = "\\uD800"',
    'a = """abc',
    "a = 1 b = 2",
    "= 1",
    "a =",
    "a = # nothing",
    "[]",
    "[a",
    "[[a]",
    "[ [a]]",
    "a = tru",
    "a = nan1",
    "a = 1979-13-01",
    "a = 1979-02-30",
    "a = 1900-02-29",
    "a = 25:00:00",
    "a = 07:32",
    "a = 1979-05-27T07:32",
    "a = 07:32:00Z",
    "a = 1e400",
    'a = "\x01"',
    "k = 0o8",
    "a = 1\rb = 2",
    "# \x00",
    'a = "\xff"',
    '"""k""" = 1',
    "a.b = 1\na.b.c = 2",
    "a = [{b = 1}]\n[a.c]",
    "a = [{b = 1}]\n[[a]]",
    "a = {}\n[a.b]",
  ];
  for (const doc of invalid) {
    assert.throws(() => parseTOML(doc), TomlError, JSON.stringify(doc));
  }
});

test("errors carry the offset of the problem", () => {
  try {
    parseTOML("a = 1\nb = 2\nb = 3\n");
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof TomlError);
    assert.equal(e.offset, 12);
    assert.equal(e.message, "the key 'b' is defined twice");
  }
});
