// The build display: plain lines when not on a terminal, a redrawn status line on one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PlainReporter, TerminalReporter } from "./progress.js";

const DRV = "/nix/store/jkkxhdh6dzr1zwwz07b75w1l5dy8ff1q-hello.drv";

test("plain output: one line per build, log lines prefixed with -L", () => {
  let out = "";
  const quiet = new PlainReporter(false, (s) => (out += s));
  quiet.started(DRV, "hello", false);
  quiet.logLine(DRV, "hello", "compiling");
  quiet.started(DRV, "hello", true);
  assert.equal(out, `building '${DRV}'...\nchecking outputs of '${DRV}'...\n`);
  out = "";
  const loud = new PlainReporter(true, (s) => (out += s));
  loud.logLine(DRV, "hello", "compiling");
  assert.equal(out, "hello> compiling\n");
});

test("terminal output: a status line with counts, the running build, its phase and last line", () => {
  let out = "";
  const r = new TerminalReporter(false, (s) => (out += s), () => 60);
  r.setTotal(3);
  r.started(DRV, "hello", false);
  r.phase(DRV, "buildPhase");
  r.logLine(DRV, "hello", "gcc -c hello.c");
  assert.equal(r.status(), "[0/3 built] building hello (buildPhase): gcc -c hello.c");
  r.finished(DRV, true);
  assert.equal(r.status(), "[1/3 built]");
  r.message("error: oops\n");
  r.close();
  // Messages go above the status line, which is cleared first; lines never exceed the width.
  assert.ok(out.includes("\r\x1b[Kerror: oops\n"));
  for (const line of out.split("\r\x1b[K")) assert.ok(line.replace(/\n/g, "").length < 60);
  assert.ok(out.endsWith("\r\x1b[K"));
});
