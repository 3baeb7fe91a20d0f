// Which build of tix is running: scripts/bundle.mjs gives both of its bundles (the CLI and the
// small fast-answer entry) the same fresh id, so that an answer recorded by one build is never
// replayed by another, which might print it differently.

declare const __TIX_BUILD_ID__: string | undefined;

/** The id of this build; undefined when running unbundled (from dist/ or tests). */
export function buildId(): string | undefined {
  return typeof __TIX_BUILD_ID__ === "string" ? __TIX_BUILD_ID__ : undefined;
}
