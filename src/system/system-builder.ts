// How the system layer gets a built system out of a flake: a hook the caller supplies (the CLI
// runs `tix build`), so containers and rebuilds do not depend on the flake and build layers.

export interface SystemBuildRequest {
  /** The flake reference, without a `#` fragment. */
  readonly flakeRef: string;
  /** The attribute to build, e.g. `nixosConfigurations."container".config.system.build.toplevel`. */
  readonly attrPath: string;
  /** Nix flags to pass through (lock-file flags, `--option K V`, `--impure`, …). */
  readonly nixFlags: readonly string[];
  /** Only show what would be built (`dry-build`); the result may then be "". */
  readonly dryRun?: boolean;
}

/** Builds the request and returns the store path of the result (the system's toplevel). */
export type SystemBuilder = (req: SystemBuildRequest) => Promise<string>;

/** The attribute path of configuration `name`'s toplevel (names are always quoted). */
export function toplevelAttrPath(name: string, output = "toplevel"): string {
  return `nixosConfigurations."${name}".config.system.build.${output}`;
}
