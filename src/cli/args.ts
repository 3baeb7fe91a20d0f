// The argv walk every command shares: one argument at a time, with the means to take a flag's
// value (`--flag VALUE`, or `--flag=VALUE` where the command accepts that form) and to stop at
// `--`. What each flag means stays with its command (a switch or a table there).
import { UsageError } from "./usage.js";

/** What a command's handler may do with the argument at hand. */
export interface ArgCursor {
  /** The argument as given (with any `=VALUE` part). */
  readonly raw: string;
  /** The flag's value: its `=VALUE` part (once), else the next argument; throws when there is none. */
  readonly value: () => string;
  /** Like `value`, but undefined when there is none. */
  readonly optionalValue: () => string | undefined;
  /** The arguments after this one; the walk ends here (for `-- COMMAND ARGS...`). */
  readonly rest: () => string[];
}

export interface ArgWalkStyle {
  /** Whether `--flag=VALUE` reaches the handler as `--flag` with VALUE as its value. */
  readonly inlineValues: boolean;
  /** The error for a flag whose value is missing. */
  readonly missingValue: (flag: string) => Error;
}

/** The style of the nix-like commands: `--flag=VALUE` accepted, `flag '…' requires an argument`. */
export const NIX_STYLE: ArgWalkStyle = {
  inlineValues: true,
  missingValue: (flag) => new UsageError(`flag '${flag}' requires an argument`),
};

/** As NIX_STYLE, for commands that (like nix-instantiate) take `--flag=VALUE` as an unknown flag. */
export const SEPARATE_VALUES_STYLE: ArgWalkStyle = { ...NIX_STYLE, inlineValues: false };

/** Calls `onArg` with each argument of `argv` (the flag part of `--flag=VALUE` in the inline style). */
export function walkArgs(argv: readonly string[], style: ArgWalkStyle, onArg: (arg: string, at: ArgCursor) => void): void {
  let i = 0;
  let stopped = false;
  for (; i < argv.length && !stopped; i++) {
    const raw = argv[i]!;
    let arg = raw;
    let inline: string | undefined;
    const eq = raw.indexOf("=");
    if (style.inlineValues && raw.startsWith("--") && eq > 0) {
      inline = raw.slice(eq + 1);
      arg = raw.slice(0, eq);
    }
    const optionalValue = (): string | undefined => {
      if (inline !== undefined) {
        const v = inline;
        inline = undefined;
        return v;
      }
      if (i + 1 >= argv.length) return undefined;
      return argv[++i];
    };
    const value = (): string => {
      const v = optionalValue();
      if (v === undefined) throw style.missingValue(arg);
      return v;
    };
    const rest = (): string[] => {
      stopped = true;
      return argv.slice(i + 1);
    };
    onArg(arg, { raw, value, optionalValue, rest });
  }
}
