// Tests of expression rendering as in Nix's `assertion '…' failed` messages and `--parse`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "./parser.js";
import { formatFloat, showExpr, showIdentifier, showString } from "./show.js";

function show(text: string): string {
  return showExpr(parse({ origin: "string", path: null, text, baseDir: "/d" }));
}

test("assertion conditions render like Nix", () => {
  assert.equal(show("let a = 1; b = 2; in a - b == 3 && !(a < b)"), "(let a = 1; b = 2; in (((__sub a b) == 3) && (! (__lessThan a b))))");
  assert.equal(show("a - b == 3 && !(a < b)"), "(((__sub a b) == 3) && (! (__lessThan a b)))");
  assert.equal(show("({a=1;}).a == 2"), "(({ a = 1; }).a == 2)");
  assert.equal(show("{a=1;}.a.b or 3 == 2"), "(({ a = 1; }).a.b or (3) == 2)");
  assert.equal(show('"a\\n\\${x}" == 2'), '("a\\n\\${x}" == 2)');
  assert.equal(show("[1 2] == 2"), "([ (1) (2) ] == 2)");
  assert.equal(show("(x: x) == 2"), "((x: x) == 2)");
  assert.equal(show("(assert true; 1) == 2"), "(assert true; 1 == 2)");
  assert.equal(show("1 <= 2 && 1 >= 2 && 1 > 2 && 1 != 1"), "((((! (__lessThan 2 1)) && (! (__lessThan 1 2))) && (__lessThan 2 1)) && (1 != 1))");
  assert.equal(show("true -> false || false && false"), "(true -> (false || (false && false)))");
  assert.equal(show("{} // {} == [] ++ []"), "(({ } // { }) == ([ ] ++ [ ]))");
  assert.equal(show('"a${toString 1}b" == 1'), '(("a" + (toString 1) + "b") == 1)');
  assert.equal(show("./a/${\"b\"} == 2"), '((/d/a/ + "b") == 2)');
  assert.equal(show("null"), "null");
});

test("bindings: inherits first, then sorted attributes, then dynamic ones", () => {
  assert.equal(
    show('{ z = 1; inherit b a; inherit (s) y x; ${"d"+""} = 2; c.d = 3; }'),
    '{ inherit a b; inherit (s) x y; c = { d = 3; }; z = 1; "${("d" + "")}" = 2; }',
  );
  assert.equal(show('{ "if" = 1; "a b" = 2; or = 3; "" = 4; }'), '{ "" = 4; "a b" = 2; "if" = 1; or = 3; }');
  assert.equal(show("let b = 1; a = 2; in a"), "(let a = 2; b = 1; in a)");
});

test("floats print with six significant digits", () => {
  assert.deepEqual(
    [0.1 + 0.2, 1.0, 100000.0, 1000000.0, 123456.7, 1.0e-5, -0.0, 1.5e300, 0.000012345, 2.5, 999999.5].map(formatFloat),
    ["0.3", "1", "100000", "1e+06", "123457", "1e-05", "-0", "1.5e+300", "1.2345e-05", "2.5", "1e+06"],
  );
});

test("strings and identifiers", () => {
  assert.equal(showString('a"b\\c\nd\re\tf${g}$h'), '"a\\"b\\\\c\\nd\\re\\tf\\${g}$h"');
  assert.deepEqual(["a", "a-b'", "_x", "", "1a", "a b", "if", "rec", "or"].map(showIdentifier), ["a", "a-b'", "_x", '""', '"1a"', '"a b"', '"if"', '"rec"', "or"]);
});
