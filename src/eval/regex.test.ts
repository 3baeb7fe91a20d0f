import assert from "node:assert/strict";
import { test } from "node:test";
import { RegexCache, RegexError, compileRegex, type SplitItem } from "./regex.js";

// Expected results below were recorded from nix-instantiate 2.8 (builtins.match / builtins.split
// on the same pattern and input). Strings are tix byte strings: "\xc3\xa9" is the UTF-8 of "é".

const MATCH: [string, string, (string | null)[] | null][] = [
  ["(a|ab)b?", "ab", ["a"]],
  ["(a*)*", "aa", [""]],
  ["(a|ab)(c|bcd)(d*)", "abcd", ["a", "bcd", ""]],
  ["(a|ab)(c|bcd)(d*)", "abcdd", ["a", "bcd", "d"]],
  ["([^/]*)/(.*)", "nixpkgs/pkgs/top-level", ["nixpkgs", "pkgs/top-level"]],
  ["([^/]*)/(.*)", "no-slash", null],
  ["[[:space:]]*(.*[^[:space:]])[[:space:]]*", "  hello world \t\n", ["hello world"]],
  ["[[:space:]]*(.*[^[:space:]])[[:space:]]*", "   ", null],
  ["(.*)\\.(.*)", "foo.bar.baz", ["foo.bar", "baz"]],
  ["(.*)\\.(.*)", "nodot", null],
  ["[a-zA-Z0-9_-]+", "some-package_name2", []],
  ["[a-zA-Z0-9_-]+", "bad name", null],
  ["(.*)-([0-9].*)", "hello-2.12.1", ["hello", "2.12.1"]],
  ["([^-]*)-(.*)", "gcc-wrapper-12", ["gcc", "wrapper-12"]],
  ["(.*/)?([^/]+)", "foo", [null, "foo"]],
  ["(.*/)?([^/]+)", "a/b/c", ["a/b/", "c"]],
  ["[0-9]+(\\.[0-9]+)*", "1.2.3", [".3"]],
  ["v?([0-9]+)\\.([0-9]+)(\\.([0-9]+))?", "v1.22", ["1", "22", null, null]],
  ["\\$\\{([^}]*)}", "${foo}", ["foo"]],
  ["([a-z]+)=(.*)", "key=value=x", ["key", "value=x"]],
  [".*\\.nix", "default.nix", []],
  ["(.*)\\.tar\\.(gz|bz2|xz)", "src-1.0.tar.xz", ["src-1.0", "xz"]],
  ["a", "a", []],
  ["a", "ab", null],
  ["a", "", null],
  ["", "", []],
  ["", "a", null],
  ["abc", "abc", []],
  ["(a)(b)(c)", "abc", ["a", "b", "c"]],
  ["((a)(b))", "ab", ["ab", "a", "b"]],
  ["(a)|(b)", "b", [null, "b"]],
  ["(a)|b", "b", [null]],
  ["(a)?b", "b", [null]],
  ["(a)*b", "b", [null]],
  ["(a)*", "aaa", ["a"]],
  ["(a|b)*", "abba", ["a"]],
  ["((a)|b)*", "ab", ["b", "a"]],
  ["((a)|b)+", "ba", ["a", "a"]],
  ["(()|a)+", "aa", ["", ""]],
  ["(a*)+", "aaa", [""]],
  ["(a*)+b", "b", [""]],
  ["(a?)*", "a", [""]],
  ["()", "", [""]],
  ["(|a)", "", [""]],
  ["(|a)", "a", ["a"]],
  ["(a|)", "a", ["a"]],
  ["(a||b)", "b", ["b"]],
  ["a**", "aaa", []],
  ["a+?", "", []],
  ["(a*)?", "", [""]],
  ["(a|ab)(bc|c)", "abc", ["a", "bc"]],
  ["(ab|a)(bc|c)", "abc", ["ab", "c"]],
  ["(a|ab|abc)*", "abcabc", ["abc"]],
  ["(a*)(a|aa)", "aaa", ["aa", "a"]],
  ["x(a|aa)*y", "xaaay", ["a"]],
  ["(a+)(a*)", "aaa", ["aaa", ""]],
  ["(a*)(a+)", "aaa", ["aa", "a"]],
  ["(a*)b(a*)", "aabaa", ["aa", "aa"]],
  ["(.*)(.*)", "ab", ["ab", ""]],
  ["(.?)(.?)(.?)", "ab", ["a", "b", ""]],
  ["a{2}", "aa", []],
  ["a{2}", "aaa", null],
  ["a{2,}", "aaaa", []],
  ["a{2,3}", "aaaa", null],
  ["a{0,1}b", "b", []],
  ["a{0}b", "b", []],
  ["(ab){2}", "abab", ["ab"]],
  ["(a|b){2,3}", "abb", ["b"]],
  ["(a{1,2}){2}", "aaa", ["a"]],
  ["a{1}{2}", "aa", []],
  ["(a*){2}", "aa", [""]],
  ["(a*){1,3}", "aa", [""]],
  [".*", "a\nb", []],
  ["a.b", "a\nb", []],
  ["(.*)", "h\xc3\xa9llo", ["h\xc3\xa9llo"]],
  [".", "\xc3\xa9", null],
  ["..", "\xc3\xa9", []],
  ["[^a]+", "\xe2\x82\xac", []],
  ["h.llo", "h\xc3\xa9llo", null],
  ["^abc$", "abc", []],
  ["a^b", "ab", null],
  ["a$b", "ab", null],
  ["(^a)*", "aa", null],
  ["(a$)*", "a", ["a"]],
  ["^$", "", []],
  ["(^|x)a", "a", [""]],
  ["a($|b)", "a", [""]],
  ["[[:alpha:]]+", "abcXYZ", []],
  ["[[:digit:]]+", "0123456789", []],
  ["[[:alnum:]]+", "a1B2", []],
  ["[[:upper:]]+", "ABC", []],
  ["[[:upper:]]+", "AbC", null],
  ["[[:lower:]]+", "abc", []],
  ["[[:space:]]+", " \t\n\r\x0b\x0c", []],
  ["[[:blank:]]+", " \t", []],
  ["[[:blank:]]+", "\n", null],
  ["[[:punct:]]+", "!-/:@[`{~", []],
  ["[[:xdigit:]]+", "09afAF", []],
  ["[[:xdigit:]]+", "g", null],
  ["[[:cntrl:]]+", "\x01\x1f\x7f", []],
  ["[[:print:]]+", " ~", []],
  ["[[:graph:]]+", " ", null],
  ["[[:w:]]+", "a_1", []],
  ["[[:d:]]+", "42", []],
  ["[[:s:]]", " ", []],
  ["[[:ALPHA:]]", "q", []],
  ["[[:alpha:]]", "\xc3\xa9", null],
  ["[^[:alpha:]]+", "\xc3\xa91", []],
  ["[]a]+", "]a]", []],
  ["[^]a]+", "bcd", []],
  ["[^]a]", "]", null],
  ["[a-]+", "a-a", []],
  ["[-a]+", "-a", []],
  ["[]-a]+", "]^_`a", []],
  ["[\\]+", "\\\\", []],
  ["[\\n]+", "\\n", []],
  ["[a\\]]+", "a]", []],
  ["[.]", ".", []],
  ["[.]", "x", null],
  ["[*+?{}()|^$]+", "*+?{}()|^$", []],
  ["[[]", "[", []],
  ["[a^]+", "^a", []],
  ["[[.hyphen.]]", "-", []],
  ["[[.space.]a]+", " a", []],
  ["[[=a=]]+", "aA", []],
  ["[!--]+", "!\"#$%&'()*+,-", []],
  ["[\xc3\xa9]+", "\xc3\xa9", []],
  ["[\xc3\xa9]", "\xc3\xa9", null],
  ["[\x80-\xff]+", "\xe6\x97\xa5\xe6\x9c\xac", []],
  ["[^\x80-\xff]+", "\xe6\x97\xa5\xe6\x9c\xac", null],
  ["\\.", ".", []],
  ["\\.", "a", null],
  ["\\\\", "\\", []],
  ["\\(\\)", "()", []],
  ["\\{", "{", []],
  ["\\|", "|", []],
  ["\\^\\$", "^$", []],
  ["\\*\\+\\?", "*+?", []],
  ["\\[a]", "[a]", []],
  ["a}", "a}", []],
  ["]", "]", []],
  ["a|b|c", "c", []],
  ["(a|b|c)+", "cab", ["b"]],
  ["abc", "ABC", null],
  ["[a-z]+", "abcZ", null],
];

const SPLIT: [string, string, SplitItem[]][] = [
  ["(a|ab)(c|bcd)(d*)", "xabcdx", ["x", ["a", "bcd", ""], "x"]],
  ["(a)b", "abc", ["", ["a"], "c"]],
  ["a*", "baac", ["", [], "b", [], "", [], "c", [], ""]],
  ["(b)?", "ab", ["", [null], "a", ["b"], "", [null], ""]],
  [",", "a,b,,c", ["a", [], "b", [], "", [], "c"]],
  ["x", "abc", ["abc"]],
  ["", "", ["", [], ""]],
  ["", "abc", ["", [], "a", [], "b", [], "c", [], ""]],
  ["a", "", [""]],
  ["a*", "", ["", [], ""]],
  ["(a*)", "aa", ["", ["aa"], "", [""], ""]],
  ["/", "/a/b/", ["", [], "a", [], "b", [], ""]],
  ["\\.", "1.2.3", ["1", [], "2", [], "3"]],
  ["(\\.|-)", "1.2-rc3", ["1", ["."], "2", ["-"], "rc3"]],
  ["[[:space:]]+", "  a b\t\nc ", ["", [], "a", [], "b", [], "c", [], ""]],
  ["([[:digit:]]+)", "a1b22c", ["a", ["1"], "b", ["22"], "c"]],
  ["(a)|b", "abab", ["", ["a"], "", [null], "", ["a"], "", [null], ""]],
  ["(a|ab)", "abab", ["", ["ab"], "", ["ab"], ""]],
  ["(ab|a)", "abab", ["", ["ab"], "", ["ab"], ""]],
  ["a|ab", "aab", ["", [], "", [], ""]],
  ["(a|aa)*", "aaab", ["", ["a"], "", [null], "b", [null], ""]],
  ["(x)|(y)", "xyz", ["", ["x", null], "", [null, "y"], "z"]],
  ["^a", "aaa", ["", [], "aa"]],
  ["^", "abc", ["", [], "abc"]],
  ["$", "abc", ["abc", [], ""]],
  ["a$", "aaa", ["aa", [], ""]],
  ["(^|,)x", "x,x", ["", [""], "", [","], ""]],
  ["b*", "abbc", ["", [], "a", [], "", [], "c", [], ""]],
  ["(b*)", "abbcbb", ["", [""], "a", ["bb"], "", [""], "c", ["bb"], "", [""], ""]],
  ["a?", "aba", ["", [], "", [], "b", [], "", [], ""]],
  ["(|a)", "aa", ["", ["a"], "", ["a"], "", [""], ""]],
  ["(a|)", "aa", ["", ["a"], "", ["a"], "", [""], ""]],
  ["(a*)*", "baa", ["", [""], "b", [""], "", [""], ""]],
  ["()", "ab", ["", [""], "a", [""], "b", [""], ""]],
  ["a*?", "baa", ["", [], "b", [], "", [], ""]],
  [".", "\xc3\xa9", ["", [], "", [], ""]],
  ["\n", "line1\nline2\n", ["line1", [], "line2", [], ""]],
  ["(\r?\n)", "a\r\nb\nc", ["a", ["\r\n"], "b", ["\n"], "c"]],
  ["([^,]*),", "a,b,c", ["", ["a"], "", ["b"], "c"]],
  ["[[:alpha:]]+", "12ab34cd", ["12", [], "34", [], ""]],
  ["(a+|b+)", "aabbbab", ["", ["aa"], "", ["bbb"], "", ["a"], "", ["b"], ""]],
  ["(a|b)(c)?", "acbd", ["", ["a", "c"], "", ["b", null], "d"]],
];

const INVALID: string[] = [
  "[[:constructor:]]",
  "[[:__proto__:]]",
  "\\$\\{([^}]*)\\}",
  "(a)\\1",
  "\\1",
  "a\\]",
  "a\\}",
  "\\n",
  "\\d",
  "\\w",
  "\\s",
  "\\b",
  "\\/",
  "\\-",
  "\\",
  "(?:a)",
  "(?=a)",
  "a{,3}",
  "a{2,1}",
  "a{",
  "{",
  "{1}",
  "a{1",
  "a{x}",
  "a{ 1}",
  "*a",
  "+a",
  "?",
  "a|*b",
  "(*a)",
  "^*",
  "$+",
  "(a",
  "a)",
  ")",
  "(()",
  "[a",
  "[",
  "[]",
  "[^]",
  "[z-a]",
  "[a-z-0]",
  "[a--]",
  "[[:alpha:]-a]",
  "[[:word:]]",
  "[[:foo:]]",
  "[[:alpha:]",
  "[[:alpha]",
  "[[.-.]]",
  "[[.foo.]]",
  "[[=xy=]]",
  "[[==]]",
  "[a-[.c.]]",
  "[a-\xff]",
  "[\x7f-\x80]",
];

const TOO_BIG: string[] = [
  "a{100000}",
  "(a|b){20000}",
  "a{1000}{1000}",
  "a{99999999999999999999}",
];

test("builtins.match semantics (recorded from Nix 2.8)", () => {
  assert.ok(MATCH.length >= 80);
  for (const [pattern, input, expected] of MATCH) {
    assert.deepEqual(compileRegex(pattern).matchWhole(input), expected, `match ${JSON.stringify(pattern)} ${JSON.stringify(input)}`);
  }
});

test("builtins.split semantics (recorded from Nix 2.8)", () => {
  assert.ok(SPLIT.length >= 30);
  for (const [pattern, input, expected] of SPLIT) {
    const got = compileRegex(pattern).split(input);
    assert.deepEqual(got, expected, `split ${JSON.stringify(pattern)} ${JSON.stringify(input)}`);
    assert.equal(got.length % 2, 1);
  }
});

test("invalid patterns are rejected", () => {
  for (const pattern of INVALID) {
    assert.throws(
      () => compileRegex(pattern),
      (e: unknown) => e instanceof RegexError && e.kind === "invalid" && e.message === `invalid regular expression '${pattern}'`,
      `pattern ${JSON.stringify(pattern)}`,
    );
  }
  for (const pattern of TOO_BIG) {
    assert.throws(
      () => compileRegex(pattern),
      (e: unknown) => e instanceof RegexError && e.kind === "space" && e.message === `memory limit exceeded by regular expression '${pattern}'`,
      `pattern ${JSON.stringify(pattern)}`,
    );
  }
});

test("state limit boundary matches libstdc++", () => {
  // Largest counts Nix 2.8 still accepts.
  for (const p of ["a{99993}", "(a|b){12498}", "a{1,49997}", "a{99992,}", "(a{2}){14283}"]) compileRegex(p);
  for (const p of ["a{99994}", "(a|b){12499}", "a{1,49998}", "a{99993,}", "(a{2}){14284}"]) {
    assert.throws(() => compileRegex(p), (e: unknown) => e instanceof RegexError && e.kind === "space", p);
  }
});

test("RegexCache memoises and stays bounded", () => {
  const cache = new RegexCache(3);
  const a = cache.get("a+");
  assert.equal(cache.get("a+"), a);
  for (const p of ["b", "c", "d", "e"]) cache.get(p);
  assert.ok(cache.size <= 3);
  assert.notEqual(cache.get("a+"), a); // evicted and recompiled
  assert.throws(() => cache.get("(x"), RegexError);
});

test("long inputs do not overflow the stack", () => {
  const big = "x".repeat(30000) + "/" + "y".repeat(30000);
  assert.deepEqual(compileRegex("([^/]*)/(.*)").matchWhole(big)?.map((s) => s?.length), [30000, 30000]);
  // Not expressible as a JS RegExp (capture nested in a repeated group): exact engine.
  assert.deepEqual(compileRegex("((a)|[^/])*/(.*)").matchWhole(big)?.map((s) => s?.length), [1, undefined, 30000]);
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n");
  assert.equal(compileRegex("(\n|\n\r)").split(lines).length, 2 * 1999 + 1);
  assert.equal(compileRegex("(a|b)*c").split("ab".repeat(2000)).length, 1);
  // Exponential for a plain backtracking matcher (and for Nix itself).
  assert.equal(compileRegex("(a|a)*b").matchWhole("a".repeat(40)), null);
  assert.equal(compileRegex("[ab]**").matchWhole("ab".repeat(20) + "c"), null);
});

test("performance sanity (no timing assertion)", () => {
  const cache = new RegexCache();
  const work: [string, string][] = [
    ["([^/]*)/(.*)", "nixpkgs/pkgs/top-level/all-packages.nix"],
    ["[[:space:]]*(.*[^[:space:]])[[:space:]]*", "   some text with spaces   "],
    ["(.*)\\.(.*)", "archive.tar.gz"],
    ["[a-zA-Z0-9_-]+", "some-package_name2"],
    ["(a|ab)(c|bcd)(d*)", "abcd"],
  ];
  const n = 20000;
  const start = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (const [p, s] of work) if (cache.get(p).matchWhole(s) !== null) hits++;
  }
  let parts = 0;
  for (let i = 0; i < 2000; i++) parts += cache.get("\\.").split("1.2.3.4").length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.equal(hits, n * work.length);
  assert.equal(parts, 2000 * 7);
  if (process.env.TIX_REGEX_PERF) console.log(`regex: ${((n * work.length) / ms).toFixed(0)}k matches/s`);
});
