// Whether stdout is a terminal (commands print in colour there), answered cheaply.
import * as fs from "node:fs";
import * as tty from "node:tty";

let stdoutIsTty: boolean | undefined;

/**
 * Whether stdout is a terminal. Asked of the descriptor first: `process.stdout` and node:tty
 * load Node's stream and net libraries (~25 ms), which only a character device that might be a
 * terminal is worth (not /dev/null, say, whose major number is 1).
 */
export const stdoutIsTerminal = (): boolean => (stdoutIsTty ??= mayBeTerminal(1) && tty.isatty(1));

function mayBeTerminal(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isCharacterDevice() && ((st.rdev >> 8) & 0xfff) !== 1;
  } catch {
    return false;
  }
}
