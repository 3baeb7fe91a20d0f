// The abstract syntax tree the parser produces and the compiler consumes: plain data with positions.
// Text is kept as "byte strings": every JS char holds one byte (0–255) of the UTF-8 source.

/** Where an expression came from. `path` is the absolute file name for files, null otherwise. */
export interface Source {
  readonly origin: "file" | "string" | "stdin";
  readonly path: string | null;
  /** The source bytes, one byte per char (latin1-decoded). */
  readonly text: string;
  /** Directory that relative path literals are resolved against. */
  readonly baseDir: string;
}

/** A position: an offset into `Source.text` (line/column are computed on demand). */
export type Offset = number;

/** One component of an attribute path: `a`, `"a"` (static), `${e}` or `"a${e}"` (dynamic). */
export type AttrName =
  | { readonly kind: "static"; readonly name: string; readonly pos: Offset }
  | { readonly kind: "dynamic"; readonly expr: Expr; readonly pos: Offset };

/**
 * A static binding of an attribute set or `let`, after the parser merged nested paths.
 * - inherit "none": `name = value;` (value compiled in the set's own scope if rec/let).
 * - inherit "plain": `inherit name;` — value is a Var compiled in the *enclosing* scope.
 * - inherit "from": `inherit (src) name;` — value is Select(InheritSource(i), [name]) compiled in
 *   the set's scope (rec/let) or the enclosing one (plain sets); the source is evaluated once.
 */
export interface AttrDef {
  readonly name: string;
  readonly pos: Offset;
  readonly value: Expr;
  readonly inherit: "none" | "plain" | "from";
}

/** `${nameExpr} = value;` — evaluated when the set is, after the static attributes. */
export interface DynamicAttrDef {
  readonly name: Expr;
  readonly value: Expr;
  readonly pos: Offset;
}

export interface Formal {
  readonly name: string;
  readonly pos: Offset;
  readonly default: Expr | null;
}

export interface Formals {
  readonly formals: readonly Formal[];
  readonly ellipsis: boolean;
}

export type BinaryOp = "==" | "!=" | "&&" | "||" | "->" | "//" | "++" | "+";

export type Expr =
  | { readonly kind: "Int"; readonly pos: Offset; readonly value: number | bigint }
  | { readonly kind: "Float"; readonly pos: Offset; readonly value: number }
  /** A string without interpolation (also URI literals and indented strings). */
  | { readonly kind: "String"; readonly pos: Offset; readonly value: string }
  /** A string with interpolation; literal parts are strings, the rest expressions. */
  | { readonly kind: "InterpString"; readonly pos: Offset; readonly parts: readonly (string | Expr)[] }
  /** An absolute, canonical path literal. */
  | { readonly kind: "Path"; readonly pos: Offset; readonly value: string }
  /**
   * An interpolated path (`./a/${x}.nix`). The first part is a string already made absolute
   * (joined with the base directory, NOT canonicalised, trailing `/` kept); the evaluator
   * concatenates all parts and canonicalises the result.
   */
  | { readonly kind: "InterpPath"; readonly pos: Offset; readonly parts: readonly (string | Expr)[] }
  | { readonly kind: "Var"; readonly pos: Offset; readonly name: string }
  | { readonly kind: "Select"; readonly pos: Offset; readonly expr: Expr; readonly path: readonly AttrName[]; readonly default: Expr | null }
  | { readonly kind: "HasAttr"; readonly pos: Offset; readonly expr: Expr; readonly path: readonly AttrName[] }
  | {
      readonly kind: "Attrs";
      readonly pos: Offset;
      readonly rec: boolean;
      readonly attrs: readonly AttrDef[];
      readonly dynamic: readonly DynamicAttrDef[];
      /** Sources of `inherit (e) …`, referenced by InheritSource.index. */
      readonly inheritFrom: readonly Expr[];
    }
  | { readonly kind: "List"; readonly pos: Offset; readonly elems: readonly Expr[] }
  /** `arg: body`, `{ formals }: body`, `arg@{ formals }: body`. */
  | { readonly kind: "Lambda"; readonly pos: Offset; readonly arg: string | null; readonly formals: Formals | null; readonly body: Expr }
  /** Application of `fn` to one or more arguments (`f a b` is one Call with two args). */
  | { readonly kind: "Call"; readonly pos: Offset; readonly fn: Expr; readonly args: readonly Expr[] }
  | {
      readonly kind: "Let";
      readonly pos: Offset;
      readonly attrs: readonly AttrDef[];
      readonly inheritFrom: readonly Expr[];
      readonly body: Expr;
    }
  | { readonly kind: "With"; readonly pos: Offset; readonly env: Expr; readonly body: Expr }
  | { readonly kind: "If"; readonly pos: Offset; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly kind: "Assert"; readonly pos: Offset; readonly cond: Expr; readonly body: Expr }
  | { readonly kind: "Not"; readonly pos: Offset; readonly expr: Expr }
  | { readonly kind: "BinOp"; readonly pos: Offset; readonly op: BinaryOp; readonly lhs: Expr; readonly rhs: Expr }
  /** Reference to the i-th `inherit (e)` source of the enclosing Attrs/Let. */
  | { readonly kind: "InheritSource"; readonly pos: Offset; readonly index: number }
  /** `__curPos`. */
  | { readonly kind: "CurPos"; readonly pos: Offset };

/**
 * Desugarings the parser applies (by name, so `let` can shadow them, as in Nix):
 *   a - b  → Call(Var "__sub", [a, b])        -a     → Call(Var "__sub", [Int 0, a])
 *   a * b  → Call(Var "__mul", [a, b])        a / b  → Call(Var "__div", [a, b])
 *   a < b  → Call(Var "__lessThan", [a, b])   a > b  → Call(Var "__lessThan", [b, a])
 *   a <= b → Not(Call(Var "__lessThan", [b, a]))   a >= b → Not(Call(Var "__lessThan", [a, b]))
 *   <p>    → Call(Var "__findFile", [Var "__nixPath", String "p"])
 *   a |> f → Call(f, [a])                     f <| a → Call(f, [a])
 *   let { binds } → Select(Attrs{rec: true, …}, ["body"])
 */
export type ExprKind = Expr["kind"];
