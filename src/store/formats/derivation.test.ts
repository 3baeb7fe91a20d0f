import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DerivationHasher,
  derivationNameFromPath,
  derivationPath,
  derivationToAterm,
  derivationToJsonObject,
  fillInOutputPaths,
  hashPlaceholder,
  isFixedOutputDerivation,
  parseDerivation,
  showDerivationsJson,
  type Derivation,
  type DerivationOutput,
} from "./derivation.js";
import { hashByteString, hashToBase16 } from "./hash.js";
import { TESTDATA_DIR } from "./testdata/tree-fixture.js";

// testdata/drv/*.drv: `nix-instantiate --store $D testdata/drv/drvs.nix` with Nix 2.8, copied from
// the chroot store; their file names are the .drv paths Nix computed.
const DRV_DIR = path.join(TESTDATA_DIR, "drv");
const drvFiles = fs.readdirSync(DRV_DIR).filter((f) => f.endsWith(".drv"));
const readDrvText = (drvPath: string) => fs.readFileSync(path.join(DRV_DIR, path.basename(drvPath)), "latin1");
const lookup = (drvPath: string): Derivation => parseDerivation(readDrvText(drvPath), { name: derivationNameFromPath(drvPath) });
const pathOf = (name: string) => `/nix/store/${drvFiles.find((f) => f.endsWith(`-${name}.drv`))!}`;

/** What the evaluator hands over: outputs without paths, env with the attributes (outputs as ""). */
function fresh(
  name: string,
  attrs: Record<string, string>,
  opts: { outputs?: Record<string, Partial<DerivationOutput>>; args?: string[]; inputDrvs?: [string, string[]][]; inputSrcs?: string[] } = {},
): Derivation {
  const outputs = new Map<string, DerivationOutput>();
  for (const [o, spec] of Object.entries(opts.outputs ?? { out: {} })) outputs.set(o, { path: "", hashAlgo: "", hash: "", ...spec });
  const env = new Map(Object.entries({ name, ...attrs }));
  for (const o of outputs.keys()) env.set(o, "");
  return {
    name,
    outputs,
    inputDrvs: new Map(opts.inputDrvs ?? []),
    inputSrcs: opts.inputSrcs ?? [],
    system: env.get("system")!,
    builder: env.get("builder")!,
    args: opts.args ?? [],
    env,
  };
}

function instantiate(drv: Derivation): { drvPath: string; text: string } {
  const full = fillInOutputPaths(drv, new DerivationHasher(lookup));
  return { drvPath: derivationPath(full), text: derivationToAterm(full) };
}

test("every .drv written by Nix parses and re-serialises byte for byte", () => {
  assert.ok(drvFiles.length >= 9);
  for (const f of drvFiles) {
    const text = readDrvText(f);
    const drv = parseDerivation(text, { name: derivationNameFromPath(f) });
    assert.equal(derivationToAterm(drv), text, f);
    assert.equal(derivationPath(drv), `/nix/store/${f}`, f);
  }
});

test("a plain derivation gets Nix's output path, ATerm and drvPath", () => {
  const drv = fresh("plain", { builder: "/bin/sh", system: "x86_64-linux" }, { args: ["-c", "echo hi > $out"] });
  const { drvPath, text } = instantiate(drv);
  assert.equal(drvPath, pathOf("plain"));
  assert.equal(text, readDrvText(pathOf("plain")));
  assert.match(text, /\("out","\/nix\/store\/sbpcwb0mmk2nkhp7ddw5gn8275bay7ps-plain","",""\)/);
});

test("multiple outputs, escapes and non-ASCII bytes in env", () => {
  const drv = fresh(
    "multi",
    {
      builder: "/bin/sh",
      system: "x86_64-linux",
      outputs: "out dev bin",
      esc: 'quote" backslash\\ nl\n cr\r tab\t dollar${x} unicode \xc3\xa9',
      flag: "1",
      nul: "",
      lst: "1 two 3.500000",
    },
    { outputs: { out: {}, dev: {}, bin: {} } },
  );
  const { drvPath, text } = instantiate(drv);
  assert.equal(text, readDrvText(pathOf("multi")));
  assert.equal(drvPath, pathOf("multi"));
});

test("fixed-output derivations: flat, recursive sha256, recursive sha1, flat md5", () => {
  const base = { builder: "/bin/sh", system: "x86_64-linux" };
  const hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  const cases: [string, Record<string, string>, string, string][] = [
    ["fo-flat", { outputHashMode: "flat", outputHashAlgo: "sha256", outputHash: hello }, "sha256", hello],
    ["fo-rec", { outputHashMode: "recursive", outputHash: "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=" }, "r:sha256", hello],
    ["fo-sha1", { outputHashMode: "recursive", outputHashAlgo: "sha1", outputHash: "p1kpcdzaxbmbkp0xbphzr9x5z8vy9xw6" }, "r:sha1", "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"],
    ["fo-md5", { outputHashAlgo: "md5", outputHash: "0cc175b9c0f1b6a831c399e269772661" }, "md5", "0cc175b9c0f1b6a831c399e269772661"],
  ];
  for (const [name, attrs, hashAlgo, hash] of cases) {
    const drv = fresh(name, { ...base, ...attrs }, { outputs: { out: { hashAlgo, hash } } });
    assert.ok(isFixedOutputDerivation(drv));
    const { drvPath, text } = instantiate(drv);
    assert.equal(text, readDrvText(pathOf(name)), name);
    assert.equal(drvPath, pathOf(name), name);
  }
});

test("a derivation depending on derivations (some fixed-output) and sources", () => {
  const plain = "/nix/store/sbpcwb0mmk2nkhp7ddw5gn8275bay7ps-plain";
  const dev = "/nix/store/ji08598fq17xm654iqcfa5kr8jlqzxaq-multi-dev";
  const bin = "/nix/store/8zkh7pddngvs74gr2367wr2p737v09ad-multi-bin";
  const foFlat = "/nix/store/ybr3w13y9gx7q02m9d0d53c5fw21lpg7-fo-flat";
  const src = "/nix/store/321dz3ryzh8vh3szdxr3hkdliy3w7l2j-src.txt";
  const srcdir = "/nix/store/r5f5lvarhibrvx4wc80gsy31qk34y54m-srcdir";
  const drv = fresh(
    "dependent",
    {
      builder: "/bin/sh",
      system: "x86_64-linux",
      deps: "/nix/store/90pzgv8d2k9zh79ly8nypapp59g0j376-fo-rec /nix/store/jda1m11hc2kb2z451k6w1rnr11bqyr1z-fo-sha1 /nix/store/2bpxv5f777ag2zxn1zi403zmzrhdpyfc-fo-md5",
    },
    {
      args: ["-c", [plain, dev, bin, foFlat, src, srcdir].join(" ")],
      inputSrcs: [srcdir, src],
      inputDrvs: [
        [pathOf("plain"), ["out"]],
        [pathOf("multi"), ["dev", "bin"]],
        [pathOf("fo-flat"), ["out"]],
        [pathOf("fo-rec"), ["out"]],
        [pathOf("fo-sha1"), ["out"]],
        [pathOf("fo-md5"), ["out"]],
      ],
    },
  );
  const { drvPath, text } = instantiate(drv);
  assert.equal(text, readDrvText(pathOf("dependent")));
  assert.equal(drvPath, pathOf("dependent"));

  // and one more level: `second` uses dependent's output as builder
  const dep = "/nix/store/i4pf6ndzhfrhh7rxhh8j3r0lcz7j3yln-dependent";
  const second = fresh(
    "second",
    { builder: `${dep}/bin/sh`, system: "aarch64-linux", outputs: "lib out", x: dep },
    { outputs: { lib: {}, out: {} }, inputDrvs: [[pathOf("dependent"), ["out"]]] },
  );
  assert.equal(instantiate(second).drvPath, pathOf("second"));
});

test("hash modulo of a fixed-output derivation covers only its output", () => {
  const drv = lookup(pathOf("fo-rec"));
  const hasher = new DerivationHasher(lookup);
  const expected = hashToBase16(
    hashByteString(
      "sha256",
      "fixed:out:r:sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824:/nix/store/90pzgv8d2k9zh79ly8nypapp59g0j376-fo-rec",
    ),
  );
  assert.equal(hasher.hashModulo(drv, false), expected);
  // Changing the builder of a fixed-output derivation does not change it.
  assert.equal(hasher.hashModulo({ ...drv, builder: "/other" }, false), expected);
});

test("input hashes are memoised: each input derivation is looked up once", () => {
  const seen = new Map<string, number>();
  const hasher = new DerivationHasher((p) => {
    seen.set(p, (seen.get(p) ?? 0) + 1);
    return lookup(p);
  });
  hasher.hashModuloOfPath(pathOf("second"));
  hasher.hashModuloOfPath(pathOf("dependent"));
  for (const [p, n] of seen) assert.equal(n, 1, p);
  assert.equal(seen.size, 8);
});

test("placeholder matches builtins.placeholder", () => {
  assert.equal(hashPlaceholder("out"), "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9");
});

test("JSON like `nix show-derivation` of Nix 2.8, byte for byte", () => {
  // testdata/show-derivation-2.8.json: `nix show-derivation -r second.drv ctl.drv`
  const expected = fs.readFileSync(path.join(TESTDATA_DIR, "show-derivation-2.8.json"), "latin1");
  const entries = drvFiles.map((f) => [`/nix/store/${f}`, lookup(f)] as const);
  assert.equal(showDerivationsJson(entries, "2.8") + "\n", expected);
});

test("modern JSON sorts keys, names the derivation and splits method from hashAlgo", () => {
  const json = derivationToJsonObject(lookup(pathOf("fo-rec")), "modern") as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ["args", "builder", "env", "inputDrvs", "inputSrcs", "name", "outputs", "system"]);
  assert.equal(json.name, "fo-rec");
  assert.deepEqual(json.outputs, {
    out: {
      hash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
      hashAlgo: "sha256",
      method: "nar",
      path: "/nix/store/90pzgv8d2k9zh79ly8nypapp59g0j376-fo-rec",
    },
  });
  const dep = derivationToJsonObject(lookup(pathOf("second")), "modern") as { inputDrvs: Record<string, unknown> };
  assert.deepEqual(dep.inputDrvs[pathOf("dependent")], { dynamicOutputs: {}, outputs: ["out"] });
  const multi = derivationToJsonObject(lookup(pathOf("multi")), "modern") as { env: Record<string, string> };
  assert.match(multi.env.esc!, /unicode é$/);
  const text = showDerivationsJson([[pathOf("ctl"), lookup(pathOf("ctl"))]], "modern");
  assert.match(text, /"c": "a\\u0001b\\u001fc\x7fd\\be\\ff"/);
});

test("malformed derivations are rejected with the position and what was expected", () => {
  const good = readDrvText(pathOf("plain"));
  const cases: [string, RegExp][] = [
    ["", /expected 'Derive\(' at byte 0 \(end of input\)/],
    ["Derive([", /expected '\(' at byte 8/],
    [good.slice(0, -1), /expected '\)' at byte 256 \(end of input\)/],
    [good + " ", /unexpected data after the derivation at byte 257/],
    [good.replace('"x86_64-linux"', '"x86_64-linux'), /expected ','/],
    [good.replace("Derive(", "Derive ("), /expected 'Derive\('/],
    ['Derive([("out","","","")],[],[],"s","b",[],[("a","1"),("a","2")])', /duplicate environment variable 'a'/],
    ['Derive([],[],[],"s","b",[],[])', /needs at least one output/],
    ['Derive([("out","","","")],[],[],"s,"b",[],[])', /expected ','/],
    ['Derive([("out","","","\\', /unterminated string/],
    ["DrvWithVersion(", /dynamic derivations\) are not supported/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseDerivation(text), (e: unknown) => {
      assert.ok(e instanceof Error && e.name === "FormatError", String(e));
      assert.match(e.message, message);
      assert.match(e.message, /^malformed derivation: /);
      return true;
    });
  }
});

test("strings round-trip through ATerm escapes", () => {
  const tricky = 'a"b\\c\nd\re\tf\x00g\xffh\\n';
  const drv = fresh("t", { builder: "b", system: "s", v: tricky, [tricky]: "k" });
  const back = parseDerivation(derivationToAterm(drv));
  assert.equal(back.env.get("v"), tricky);
  assert.equal(back.env.get(tricky), "k");
  assert.throws(() => derivationToAterm(fresh("t", { builder: "b", system: "s", v: "\u20ac" })), /not a byte string/);
});
