// Help texts of the commands whose modules have none of their own, and the `--help` test that
// main.ts applies to every command (`tix CMD SUB … --help` shows CMD's help, as Nix does).

/**
 * Whether `--help` comes among `cmd`'s arguments before any `--` (or `tix shell`'s `-c`): after
 * those, it belongs to the program run.
 */
export function wantsHelp(cmd: string, args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--" || (cmd === "shell" && (a === "-c" || a === "--command"))) return false;
    if (a === "--help") return true;
  }
  return false;
}

export const INSTANTIATE_HELP = `Usage: tix instantiate [OPTIONS] [FILES...]

Evaluates Nix expressions (a drop-in for nix-instantiate). Without --eval, instantiates the
derivations they describe: writes their .drv files to the store and prints their paths.

Options:
  --eval, --eval-only   only evaluate and print the value
  --strict              evaluate the value deeply (with --eval)
  --json, --xml         print the value as JSON or XML (--no-location drops positions from XML)
  --raw                 print the value as a string, without quotes or a trailing newline
  --parse               print the parsed expression
  -E, --expr            the arguments are expressions, not files ('-' reads standard input)
  -A, --attr PATH       select an attribute of the value
  --arg NAME EXPR, --argstr NAME STRING
                        arguments for a function value
  -I PATH               add to the search path (like NIX_PATH)
  --add-root PATH       register the result as a garbage collector root
  --read-write-mode     write paths that evaluation creates into the store (with --eval)
  --show-trace          show the evaluation trace of errors
  --store DIR           the chroot store to use (logical /nix/store at DIR/nix/store)
`;

export const EVAL_HELP = `Usage: tix eval [OPTIONS] [INSTALLABLE]

Evaluates an expression, a file or a flake output and prints its value (like nix eval).

Options:
  --expr EXPR           the expression to evaluate
  -f, --file FILE       evaluate FILE (with INSTALLABLE: an attribute path in its value)
  --json, --raw         print the value as JSON, or a string without quotes
  --apply FUNCTION      apply FUNCTION to the value first
  --arg NAME EXPR, --argstr NAME STRING
                        arguments for functions met along the attribute path
  --impure              allow access to the environment and to paths outside the flake
  --read-only           compute store paths without writing them into the store
  -I PATH               add to the search path
  --store DIR           the chroot store to use
  Flake flags as in tix build: --override-input, --update-input, --no-write-lock-file, ...
`;

export const PATH_INFO_HELP = `Usage: tix path-info [OPTIONS] PATHS...

Shows information about store paths (like nix path-info).

Options:
  --json                as JSON
  -r, --recursive       also every path in their closures
  -s, --size            the size of each path
  -S, --closure-size    the size of each path's closure
  -h, --human-readable  sizes in KiB, MiB, ...
  --all                 every valid path in the store
  --store DIR           the chroot store to use
`;
