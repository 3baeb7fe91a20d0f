// Arithmetic and bit builtins: add/sub/mul/div (the `-`, `*`, `/` operators desugar to these),
// lessThan (`<`), bitAnd/bitOr/bitXor, floor/ceil.
import { addNumbers, divNumbers, mulNumbers, subNumbers } from "../arith.js";
import { lessThan } from "../compare.js";
import { EvalError } from "../errors.js";
import { expectInt, typeError } from "../expect.js";
import { formatFloat } from "../print.js";
import { NixFloat, Thunk, intFromBigInt, intToString, type Pos, type Value } from "../value.js";
import type { BuiltinRegistry } from "./registry.js";

type Num = number | bigint | NixFloat;

export function register(r: BuiltinRegistry): void {
  r.def("add", 2, (args, pos) => {
    const [a, b] = operands(args, pos, "of the addition", "first argument", "second argument", "first argument");
    return addNumbers(a, b);
  });
  r.def("sub", 2, (args, pos) => {
    const [a, b] = operands(args, pos, "of the subtraction", "first argument", "second argument", "first argument");
    return subNumbers(a, b);
  });
  // Nix's float-path message for the first operand really lacks the word "argument".
  r.def("mul", 2, (args, pos) => {
    const [a, b] = operands(args, pos, "of the multiplication", "first argument", "second argument", "first");
    return mulNumbers(a, b);
  });
  r.def("div", 2, (args, pos) => {
    let a = args[0];
    let b = args[1];
    if (a instanceof Thunk) a = a.force();
    if (b instanceof Thunk) b = b.force();
    // The divisor is checked as a number (and against zero) before anything else.
    const divisor = asFloat(b, "while evaluating the second operand of the division", pos);
    if (divisor === 0) throw new EvalError("division by zero", "eval", pos);
    if (a instanceof NixFloat || b instanceof NixFloat) {
      return new NixFloat(asFloat(a, "while evaluating the first operand of the division", pos) / divisor);
    }
    expectInt(a, "while evaluating the first operand of the division", pos);
    return divNumbers(a, b);
  });

  r.def("lessThan", 2, (args) => {
    const a = args[0] instanceof Thunk ? args[0].force() : args[0];
    const b = args[1] instanceof Thunk ? args[1].force() : args[1];
    return lessThan(a, b);
  });

  r.def("bitAnd", 2, (args, pos) => {
    const [a, b] = intOperands(args, pos, "bitAnd");
    if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) return a & b;
    return intFromBigInt(BigInt(a) & BigInt(b));
  });
  r.def("bitOr", 2, (args, pos) => {
    const [a, b] = intOperands(args, pos, "bitOr");
    if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) return a | b;
    return intFromBigInt(BigInt(a) | BigInt(b));
  });
  r.def("bitXor", 2, (args, pos) => {
    const [a, b] = intOperands(args, pos, "bitXor");
    if (typeof a === "number" && typeof b === "number" && (a | 0) === a && (b | 0) === b) return a ^ b;
    return intFromBigInt(BigInt(a) ^ BigInt(b));
  });

  r.def("floor", 1, (args, pos) => roundToInt(args[0], Math.floor, "floor", pos));
  r.def("ceil", 1, (args, pos) => roundToInt(args[0], Math.ceil, "ceil", pos));
}

/**
 * Forces both operands; if either is a float both must be numbers (floats), otherwise both must
 * be ints. Messages name the operation ("of the addition") and which operand failed.
 */
function operands(
  args: Value[],
  pos: Pos | null,
  what: string,
  first: string,
  second: string,
  firstFloat: string,
): [Num, Num] {
  let a = args[0];
  let b = args[1];
  if (a instanceof Thunk) a = a.force();
  if (b instanceof Thunk) b = b.force();
  if (typeof a === "number" && typeof b === "number") return [a, b];
  if (a instanceof NixFloat || b instanceof NixFloat) {
    asFloat(a, `while evaluating the ${firstFloat} ${what}`, pos);
    asFloat(b, `while evaluating the ${second} ${what}`, pos);
    return [a as Num, b as Num];
  }
  return [expectInt(a, `while evaluating the ${first} ${what}`, pos), expectInt(b, `while evaluating the ${second} ${what}`, pos)];
}

/** A number as a double (Nix's forceFloat: ints are converted, anything else is an error). */
function asFloat(v: Value, ctx: string, pos: Pos | null): number {
  if (v instanceof NixFloat) return v.value;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw typeError("a float", v, ctx, pos);
}

function intOperands(args: Value[], pos: Pos | null, name: string): [number | bigint, number | bigint] {
  const a = expectInt(args[0], `while evaluating the first argument passed to builtins.${name}`, pos);
  const b = expectInt(args[1], `while evaluating the second argument passed to builtins.${name}`, pos);
  return [a, b];
}

const TWO_63 = 2 ** 63;

/** floor/ceil: floats are rounded and must fit in an int64; ints come back unchanged. */
function roundToInt(arg: Value, round: (x: number) => number, name: string, pos: Pos | null): Value {
  const v = arg instanceof Thunk ? arg.force() : arg;
  if (typeof v === "number") return v;
  const x = asFloat(v, `while evaluating the first argument passed to builtins.${name}`, pos);
  const r = round(x);
  if (typeof v === "bigint") {
    // Nix goes through a double here; ints that don't survive the round trip are reported.
    if (!(r >= -TWO_63 && r < TWO_63)) {
      throw new EvalError(
        `Due to a bug (see https://github.com/NixOS/nix/issues/12899) the NixInt argument ${intToString(v)} caused undefined behavior in previous Nix versions.\n\tFuture Nix versions might implement the correct behavior.`,
        "eval",
        pos,
      );
    }
    const back = BigInt(r);
    if (back !== v) {
      throw new EvalError(
        `Due to a bug (see https://github.com/NixOS/nix/issues/12899) a loss of precision occurred in previous Nix versions because the NixInt argument ${intToString(v)} was rounded to ${back.toString()}.\n\tFuture Nix versions might implement the correct behavior.`,
        "eval",
        pos,
      );
    }
    return v;
  }
  if (!(r >= -TWO_63 && r < TWO_63)) {
    throw new EvalError(`NixFloat argument ${formatFloat(x)} is not in the range of NixInt`, "eval", pos);
  }
  if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  return intFromBigInt(BigInt(r));
}
