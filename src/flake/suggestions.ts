// "Did you mean …?" for a flake attribute that is not there, as Nix words it: the closest names
// (edit distance at most 2, at most 5 of them, nearest first, then by name).
import { levenshtein } from "../eval/state.js";

const MAX_DISTANCE = 2;
const MAX_SUGGESTIONS = 5;

/** Collects close matches for missing names, possibly from several places, and words them. */
export class Suggestions {
  private readonly best = new Map<string, number>();

  /** Records the names that sit where `missing` was looked for. */
  add(missing: string, names: readonly string[]): void {
    for (const name of names) {
      const d = levenshtein(missing, name);
      if (d > MAX_DISTANCE) continue;
      const old = this.best.get(name);
      if (old === undefined || d < old) this.best.set(name, d);
    }
  }

  /** `Did you mean a?`, `Did you mean one of a, b or c?`, or null when nothing is close. */
  text(): string | null {
    const names = [...this.best.entries()]
      .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .slice(0, MAX_SUGGESTIONS)
      .map(([name]) => name);
    if (names.length === 0) return null;
    if (names.length === 1) return `Did you mean ${names[0]}?`;
    return `Did you mean one of ${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}?`;
  }
}
