// What `nixos-version` reports (spec §5): the version data a system records in
// `$toplevel/version-info.json`, the output for each flag, and the reference `nixos-version`
// script with those values baked in (what a system's `sw/bin/nixos-version` is).

import { SystemError } from "./errors.js";

export interface VersionInfo {
  /** `system.nixos.version`, e.g. `20.03.20200622.13c15f2`. */
  readonly nixosVersion: string;
  /** `system.nixos.codeName`, e.g. `Markhor`. */
  readonly nixosCodeName: string;
  /** `system.nixos.revision` (the nixpkgs commit), if known. */
  readonly nixpkgsRevision: string | null;
  /** `system.configurationRevision`, if the configuration sets it. */
  readonly configurationRevision: string | null;
}

function optionalString(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new SystemError(`version-info.json: '${key}' is not a string`);
  return v;
}

export function parseVersionInfo(text: string): VersionInfo {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new SystemError(`version-info.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new SystemError("version-info.json is not a JSON object");
  const r = o as Record<string, unknown>;
  const nixosVersion = optionalString(r, "nixosVersion");
  if (nixosVersion === null) throw new SystemError("version-info.json has no 'nixosVersion'");
  return {
    nixosVersion,
    nixosCodeName: optionalString(r, "nixosCodeName") ?? "",
    nixpkgsRevision: optionalString(r, "nixpkgsRevision"),
    configurationRevision: optionalString(r, "configurationRevision"),
  };
}

/** `nixos-version --json`: one compact line, keys sorted, null values left out. */
export function versionJson(info: VersionInfo): string {
  const o: Record<string, string> = {};
  if (info.configurationRevision !== null) o["configurationRevision"] = info.configurationRevision;
  o["nixosVersion"] = info.nixosVersion;
  if (info.nixpkgsRevision !== null) o["nixpkgsRevision"] = info.nixpkgsRevision;
  return JSON.stringify(o);
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

const HELP = `Usage: nixos-version [--hash|--revision|--configuration-revision|--json]

Show the version of the running system.

  --hash, --revision         the nixpkgs commit the system was built from
  --configuration-revision   the revision of the configuration (system.configurationRevision)
  --json                     all of it as JSON
`;

/** What `nixos-version ARGS` prints; `prog` names the program in error messages. */
export function nixosVersionOutput(info: VersionInfo, args: readonly string[], prog = "nixos-version"): CommandOutput {
  const plain = `${info.nixosVersion} (${info.nixosCodeName})\n`;
  switch (args[0]) {
    case "--hash":
    case "--revision":
      if (info.nixpkgsRevision === null || !/^[0-9a-f]+$/.test(info.nixpkgsRevision)) {
        return { stdout: "", stderr: `${prog}: Nixpkgs commit hash is unknown\n`, status: 1 };
      }
      return { stdout: info.nixpkgsRevision + "\n", stderr: "", status: 0 };
    case "--configuration-revision":
      if (info.configurationRevision === null) {
        return { stdout: "", stderr: `${prog}: configuration revision is unknown\n`, status: 1 };
      }
      return { stdout: info.configurationRevision + "\n", stderr: "", status: 0 };
    case "--json":
      return { stdout: versionJson(info) + "\n", stderr: "", status: 0 };
    case "-h":
    case "--help":
      return { stdout: HELP, stderr: "", status: 0 };
    default:
      return { stdout: plain, stderr: "", status: 0 };
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The reference `nixos-version` script for a system (what `$toplevel/sw/bin/nixos-version`
 * should be), run by `shell` (a POSIX shell's store path). Behaves like nixosVersionOutput.
 */
export function nixosVersionScript(info: VersionInfo, shell: string): string {
  const rev = info.nixpkgsRevision ?? "";
  const conf = info.configurationRevision ?? "";
  const json = versionJson(info);
  return `#! ${shell}
# nixos-version: the version of this system (values fixed when the system was built).
case "$1" in
  -h|--help)
    cat <<'EOF'
${HELP}EOF
    ;;
  --hash|--revision)
    rev=${shellQuote(rev)}
    case "$rev" in
      "" | *[!0-9a-f]*) echo "$0: Nixpkgs commit hash is unknown" >&2; exit 1 ;;
    esac
    echo "$rev"
    ;;
  --configuration-revision)
    ${info.configurationRevision === null ? `echo "$0: configuration revision is unknown" >&2; exit 1` : `echo ${shellQuote(conf)}`}
    ;;
  --json)
    echo ${shellQuote(json)}
    ;;
  *)
    echo ${shellQuote(`${info.nixosVersion} (${info.nixosCodeName})`)}
    ;;
esac
`;
}
