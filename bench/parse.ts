// A large, deterministic Nix file for the parser benchmarks: a top-level attribute set of
// package-like entries mixing the syntax real code uses (attrsets, `rec`, `let`, lambdas with
// formals, `with`, `inherit`, `if`, operators, lists, strings with escapes and interpolation,
// indented strings, paths, URIs, comments). Valid Nix; nothing in it needs evaluating. Also the
// bench/run.ts workloads that parse it with tix and with Nix.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Cmd, Workload } from "./run.js";

/** Returns Nix source of at least `bytes` bytes (ASCII). */
export function generateNix(bytes: number): string {
  const parts: string[] = ["# Generated for the parse benchmark.\n{ lib, stdenv, fetchurl, pkgs ? {}, ... }@args:\n\nlet\n  inherit (lib) mkIf optional concatStringsSep;\n  version = \"1.2.3\";\nin\nrec {\n"];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const entry = entryFor(i);
    parts.push(entry);
    size += entry.length;
  }
  parts.push("}\n");
  return parts.join("");
}

function entryFor(i: number): string {
  const name = `package${i}`;
  const dep = `package${Math.max(0, i - 1 - (i % 7))}`;
  switch (i % 4) {
    case 0:
      return `  ${name} = stdenv.mkDerivation rec {
    pname = "${name}";
    version = "${i % 10}.${i % 13}.${i % 17}";
    /* Fetched from the project's release page. */
    src = fetchurl {
      url = "https://example.org/releases/\${pname}-\${version}.tar.gz";
      sha256 = "0${(i * 2654435761 % 1e9).toString(36).padStart(8, "x")}abcdefghijklmnopqrstuvwxyz0123456789abc";
    };
    patches = [ ./patches/fix-${i}.patch ../common/build-${i % 5}.patch ];
    buildInputs = [ ${dep} pkgs.zlib pkgs.openssl ] ++ optional (i: i > ${i % 3}) pkgs.libxml2;
    configureFlags = [ "--enable-feature-${i}" "--with-prefix=\${placeholder "out"}" "--jobs=\${toString ${i % 8 + 1}}" ];
    doCheck = ${i % 2 === 0 ? "true" : "false"};
    enableParallelBuilding = true;
    meta = with lib; {
      description = "Package number ${i}, with \\"quotes\\" and a tab\\t";
      homepage = https://example.org/${name};
      license = licenses.mit;
      maintainers = [ maintainers.alice maintainers.bob ];
      platforms = platforms.linux ++ platforms.darwin;
    };
  };
`;
    case 1:
      return `  ${name} = { enable ? false, extraConfig ? "", port ? ${1000 + i}, ... }@cfg:
    let
      base = ${i} * 2 + 1;
      scaled = base / 3 - (-${i % 9});
      check = x: y: x < y && !(x == y) || x >= ${i} -> y <= base;
      names = builtins.map (n: "\${n}-${i}") [ "a" "b" "c" ];
    in
    mkIf enable {
      services.${name} = {
        inherit port extraConfig;
        settings."key-${i}" = { value = scaled; other.nested.deep = check base scaled; };
        enabled = cfg.enable or false;
        list = names ++ [ 1 2.5 3.0e2 ${i} ];
      };
    };
`;
    case 2:
      return `  ${name} = ''
      #!/bin/sh
      # The start script of ${name}, with \${"interpolation"} and ''\${escaped} dollars.
      set -eu
      echo "starting ${name} on port \${toString ${2000 + i}}"
        indented line ${i}
      exec \${${dep}}/bin/${name} --config \${./config-${i}.json} "$@"
    '';
`;
    default:
      return `  ${name} = if ${i} > 100 then { a = ${i}; b = [ ${dep} ]; } // { c.d = "x"; } else assert true; with lib; {
    # A comment line ${i}
    attr = (x: x.y.z or null) { y.z = ${i}; };
    str = "plain string number ${i}";
    path = /etc/${name}/config;
    spath = <nixpkgs/lib>;
    uri = http://example.com/x?y=${i};
    has = (args ? pkgs) && (args ? "other");
    sel = args.pkgs.hello or (throw "missing ${i}");
    imported = import ./modules/${"$"}{name}/default.nix { inherit lib; };
  };
`;
  }
}

/** What the workloads need from the runner. */
export interface ParseBenchContext {
  readonly tempDir: (prefix: string) => string;
  readonly removeTree: (p: string) => void;
  readonly tixBin: () => string;
  readonly nixEnv: NodeJS.ProcessEnv;
}

const PARSE_BYTES = 5_000_000;

/**
 * `instantiate --parse` of a generated 5 MB file, and `instantiate --eval` of it (its value is a
 * function, so evaluation stops right after parsing and both sides print `<LAMBDA>`).
 */
export function parseWorkloads(ctx: ParseBenchContext): Workload[] {
  let file: string | null = null;
  const getFile = (): string => {
    if (file === null) {
      file = path.join(ctx.tempDir("parse-"), "big.nix");
      fs.writeFileSync(file, generateNix(PARSE_BYTES));
    }
    return file;
  };
  const side = (argv: (store: string) => string[]): (() => Cmd) => () => {
    const store = ctx.tempDir("parse-store-");
    return { argv: argv(store), env: ctx.nixEnv, cleanup: () => ctx.removeTree(store) };
  };
  return [
    {
      name: "parse-5mb",
      group: "eval",
      baseLabel: "nix",
      // tix prints the AST as modern Nix does (sorted formals, `inherit` kept); Nix 2.8 differs.
      compare: false,
      base: side((s) => ["nix-instantiate", "--store", s, "--parse", getFile()]),
      tix: side((s) => [ctx.tixBin(), "instantiate", "--store", s, "--parse", getFile()]),
    },
    {
      name: "parse-eval-5mb",
      group: "eval",
      baseLabel: "nix",
      compare: true,
      base: side((s) => ["nix-instantiate", "--store", s, "--eval", getFile()]),
      tix: side((s) => [ctx.tixBin(), "instantiate", "--store", s, "--eval", getFile()]),
    },
  ];
}
