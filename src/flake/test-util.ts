// The recorded Nix 2.8 files of src/flake/testdata (testdata/README.md says how each was made),
// for the flake tests; found from dist/src/flake/ as from src/flake/.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const TESTDATA = path.join(fileURLToPath(new URL("../../../", import.meta.url)), "src/flake/testdata");

/** A testdata file's text. */
export const readTestdata = (name: string): string => fs.readFileSync(path.join(TESTDATA, name), "utf8");
