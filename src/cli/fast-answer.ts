// The small entry bin/tix-main.cjs tries before loading the CLI (scripts/bundle.mjs bundles it
// alone as dist/tix-fast.cjs): it answers a command line whose answer was recorded and still
// holds (answer-record.ts), and otherwise does nothing at all, printing nothing.

import { findAnswer } from "./answer-record.js";
import { buildId } from "./build-id.js";
import { writeErr, writeOut } from "./output.js";

/** Prints the recorded answer to `argv` and returns true, or returns false having done nothing. */
export function tryRecordedAnswer(argv: readonly string[]): boolean {
  let writes;
  try {
    const build = buildId();
    if (build === undefined) return false;
    writes = findAnswer(build, argv, process.env, process.cwd());
  } catch {
    return false;
  }
  if (writes === undefined) return false;
  for (const [fd, text] of writes) {
    if (fd === 1) writeOut(text);
    else writeErr(text);
  }
  return true;
}
