// Decimal text of small non-negative integers, built without V8's number-to-string cache.
//
// `String(n)` stores each result in a cache that lives in the old generation, so every string it
// makes stays reachable until some 8,000 later conversions evict it: in code that converts many
// distinct numbers (`"item-" + toString i` over a genList) those strings, dead as soon as they are
// concatenated, survive scavenges and are copied with the live data. Building the digits with
// String.fromCharCode makes a string nothing else holds, and is no slower than a cache miss.
const fromCode = String.fromCharCode;

/** The decimal digits of `n`, an integer with 0 <= n < 10^6; other numbers go through String(). */
export function smallIntString(n: number): string {
  if (n < 0 || n >= 1000000 || n !== Math.floor(n)) return String(n);
  if (n < 10) return fromCode(48 + n);
  if (n < 100) return fromCode(48 + ((n / 10) | 0), 48 + (n % 10));
  if (n < 1000) return fromCode(48 + ((n / 100) | 0), 48 + (((n / 10) | 0) % 10), 48 + (n % 10));
  if (n < 10000) {
    return fromCode(48 + ((n / 1000) | 0), 48 + (((n / 100) | 0) % 10), 48 + (((n / 10) | 0) % 10), 48 + (n % 10));
  }
  if (n < 100000) {
    return fromCode(
      48 + ((n / 10000) | 0),
      48 + (((n / 1000) | 0) % 10),
      48 + (((n / 100) | 0) % 10),
      48 + (((n / 10) | 0) % 10),
      48 + (n % 10),
    );
  }
  return fromCode(
    48 + ((n / 100000) | 0),
    48 + (((n / 10000) | 0) % 10),
    48 + (((n / 1000) | 0) % 10),
    48 + (((n / 100) | 0) % 10),
    48 + (((n / 10) | 0) % 10),
    48 + (n % 10),
  );
}
