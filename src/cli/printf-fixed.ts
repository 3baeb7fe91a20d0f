// Numbers with a fixed count of decimals as C's printf("%.Nf") writes them, for output that must
// match Nix's (`path-info -h`, `gc`'s "MiB freed"). JavaScript's toFixed rounds an exact tie up
// (1.25 ⇒ "1.3"); glibc rounds it to even (1.25 ⇒ "1.2").

const GUARD_DIGITS = 30;

/** `x` with `digits` decimals, an exact tie rounded to the even neighbour like glibc's printf. */
export function printfFixed(x: number, digits: number): string {
  // toFixed is exact up to 100 decimals, so a tie shows as "…5" followed only by zeros.
  const exact = x.toFixed(Math.min(100, digits + GUARD_DIGITS));
  const tail = exact.slice(exact.length - GUARD_DIGITS);
  if (!/^50*$/.test(tail)) return x.toFixed(digits);
  const kept = exact.slice(0, exact.length - GUARD_DIGITS).replace(/\.$/, "");
  const lastDigit = Number(kept[kept.length - 1]);
  return lastDigit % 2 === 0 ? kept : x.toFixed(digits);
}
