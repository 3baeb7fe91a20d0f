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
  /**
   * Whether a compound short flag in flag position is split as Nix splits it: `-Lj4` is `-L -j 4`
   * (each letter a flag, the first non-letter starts the last flag's value).
   */
  readonly compoundShortFlags?: boolean;
}

/** The style of the nix-like commands: `--flag=VALUE` accepted, `flag '…' requires an argument`. */
export const NIX_STYLE: ArgWalkStyle = {
  inlineValues: true,
  missingValue: (flag) => new UsageError(`flag '${flag}' requires an argument`),
  compoundShortFlags: true,
};

/** As NIX_STYLE, for commands that (like nix-instantiate) take `--flag=VALUE` as an unknown flag. */
export const SEPARATE_VALUES_STYLE: ArgWalkStyle = { ...NIX_STYLE, inlineValues: false };

/** Calls `onArg` with each argument of `argv` (the flag part of `--flag=VALUE` in the inline style). */
/** `-Lj4` ⇒ `-L`, `-j`, `4`; anything else as it is. */
function splitCompoundShortFlag(arg: string): string[] {
  if (!/^-[a-zA-Z]./.test(arg)) return [arg];
  const parts: string[] = [];
  for (let j = 1; j < arg.length; j++) {
    if (/[a-zA-Z]/.test(arg[j]!)) parts.push(`-${arg[j]}`);
    else {
      parts.push(arg.slice(j));
      break;
    }
  }
  return parts;
}

export function walkArgs(argvIn: readonly string[], style: ArgWalkStyle, onArg: (arg: string, at: ArgCursor) => void): void {
  const argv = [...argvIn];
  let i = 0;
  let stopped = false;
  for (; i < argv.length && !stopped; i++) {
    // Only an argument in flag position is split (a flag's values are taken as they are).
    if (style.compoundShortFlags === true) argv.splice(i, 1, ...splitCompoundShortFlag(argv[i]!));
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
