// Integer and float arithmetic with Nix's rules: exact 64-bit ints (overflow is an error),
// ints promoted to floats when mixed, division by zero and truncating int division.
import { EvalError } from "./errors.js";
import { typeError } from "./expect.js";
import { INT64_MAX, INT64_MIN, NixFloat, Thunk, intFromBigInt, intToString, showType, type Value } from "./value.js";

type Num = number | bigint | NixFloat;

function toFloat(v: number | bigint | NixFloat): number {
  return v instanceof NixFloat ? v.value : Number(v);
}

function checked(r: bigint, what: string, a: number | bigint, op: string, b: number | bigint): number | bigint {
  if (r > INT64_MAX || r < INT64_MIN)
    throw new EvalError(`integer overflow in ${what} ${intToString(a)} ${op} ${intToString(b)}`);
  return intFromBigInt(r);
}

function asNum(v: Value, ctx: string | null): Num {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "number" || typeof v === "bigint" || v instanceof NixFloat) return v;
  throw typeError("an integer", v, ctx);
}

/** `+` on two numbers (the left operand is known to be a number). */
export function addNumbers(a: Num, bv: Value): Value {
  if (bv instanceof Thunk) bv = bv.force();
  if (typeof a === "number" && typeof bv === "number") {
    const r = a + bv;
    if (Number.isSafeInteger(r)) return r;
    return checked(BigInt(a) + BigInt(bv), "adding", a, "+", bv);
  }
  if (typeof bv !== "number" && typeof bv !== "bigint" && !(bv instanceof NixFloat)) {
    throw new EvalError(`cannot add ${showType(bv)} to ${a instanceof NixFloat ? "a float" : "an integer"}`);
  }
  if (a instanceof NixFloat || bv instanceof NixFloat) return new NixFloat(toFloat(a) + toFloat(bv));
  return checked(BigInt(a) + BigInt(bv), "adding", a, "+", bv);
}

export function subNumbers(av: Value, bv: Value, ctx: string | null = null): Value {
  const a = asNum(av, ctx), b = asNum(bv, ctx);
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  if (a instanceof NixFloat || b instanceof NixFloat) return new NixFloat(toFloat(a) - toFloat(b));
  return checked(BigInt(a) - BigInt(b), "subtracting", a, "-", b);
}

export function mulNumbers(av: Value, bv: Value, ctx: string | null = null): Value {
  const a = asNum(av, ctx), b = asNum(bv, ctx);
  if (typeof a === "number" && typeof b === "number") {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  if (a instanceof NixFloat || b instanceof NixFloat) return new NixFloat(toFloat(a) * toFloat(b));
  return checked(BigInt(a) * BigInt(b), "multiplying", a, "*", b);
}

export function divNumbers(av: Value, bv: Value, ctx: string | null = null): Value {
  const a = asNum(av, ctx), b = asNum(bv, ctx);
  if (toFloat(b) === 0) throw new EvalError("division by zero");
  if (a instanceof NixFloat || b instanceof NixFloat) return new NixFloat(toFloat(a) / toFloat(b));
  if (typeof a === "number" && typeof b === "number") {
    const r = Math.trunc(a / b);
    // Exact for safe integers: a/b's rounding can't cross an integer boundary when |a| < 2^53.
    return r === 0 ? 0 : r;
  }
  return checked(BigInt(a) / BigInt(b), "dividing", a, "/", b);
}
