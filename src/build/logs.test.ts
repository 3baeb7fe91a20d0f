// Build log lines as Nix splits and shows them: a carriage return goes back to the start of the
// line (later characters overwrite, CRLF ends a line normally), escape sequences are dropped from
// what is shown (colours kept only for a terminal), and the log file keeps every byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../store/test-util.js";
import { BuildLog, filterEscapes, type LogEvent } from "./logs.js";
import { PlainReporter } from "./progress.js";

function lines(chunks: string[]): { events: string[]; tail: readonly string[]; file: string } {
  const file = path.join(tempDir("tix-log-"), "log");
  const events: string[] = [];
  const log = new BuildLog(file, 10, (e: LogEvent) => events.push(e.kind === "line" ? e.text : `phase:${e.phase}`));
  for (const c of chunks) log.write(Buffer.from(c, "latin1"));
  log.close();
  return { events, tail: log.lastLines(), file: fs.readFileSync(file, "latin1") };
}

test("a carriage return overwrites from the start of the line; CRLF ends a line", () => {
  const r = lines(["a\r\nb\rc\nlong\rX\n", "spl", "it\r", "\nprogress 10%\rprogress 100%\nend"]);
  assert.deepEqual(r.events, ["a", "c", "Xong", "split", "progress 100%", "end"]);
  assert.equal(r.file, "a\r\nb\rc\nlong\rX\nsplit\r\nprogress 10%\rprogress 100%\nend");
});

test("escape sequences are dropped from the tail and plain -L output, colours kept for a terminal", () => {
  const r = lines(["\x1b[31mred\x1b[0m and \x1b[1;32mgreen\x1b[0m\n", "ab\x1b[2Kcd\x1b]0;title\x07ef\n"]);
  assert.deepEqual(r.tail, ["red and green", "abcd0;titleef"]);
  assert.equal(r.events[0], "\x1b[31mred\x1b[0m and \x1b[1;32mgreen\x1b[0m", "the display decides");
  assert.equal(filterEscapes("\x1b[31mred\x1b[0m\x1b[2K", true), "\x1b[31mred\x1b[0m");
  let out = "";
  new PlainReporter(true, (s) => (out += s)).logLine("/nix/store/x.drv", "x", r.events[0]!);
  assert.equal(out, "x> red and green\n");
});
