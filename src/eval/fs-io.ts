// The evaluator's file-system interface backed by node:fs. Paths and contents are byte strings.
import * as fs from "node:fs";
import type { EvalIO, FileType } from "./state.js";
import { withOsErrors } from "./os-error.js";

const bytes = (p: string): Buffer => Buffer.from(p, "latin1");

function typeOfStats(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileType {
  if (st.isFile()) return "regular";
  if (st.isDirectory()) return "directory";
  if (st.isSymbolicLink()) return "symlink";
  return "unknown";
}

export function nodeEvalIO(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = (l) => process.stderr.write(Buffer.from(l + "\n", "latin1"))): EvalIO {
  return {
    readFile: (path) => withOsErrors("opening file", path, () => fs.readFileSync(bytes(path)).toString("latin1")),
    fileType: (path) => {
      try {
        return typeOfStats(fs.lstatSync(bytes(path)));
      } catch {
        return null;
      }
    },
    readDir: (path) =>
      withOsErrors("opening directory", path, () =>
        fs.readdirSync(bytes(path), { withFileTypes: true, encoding: "buffer" }).map((d) => [
          (d.name as unknown as Buffer).toString("latin1"),
          typeOfStats(d),
        ]),
      ),
    readLink: (path) =>
      withOsErrors("reading symbolic link", path, () => fs.readlinkSync(bytes(path), { encoding: "buffer" }).toString("latin1")),
    getEnv: (name) => {
      const v = env[name];
      return v === undefined ? undefined : Buffer.from(v, "utf8").toString("latin1");
    },
    warn,
  };
}
