# Interpolations of one or two parts (the shapes with their own fast paths) and `+` on strings
# keep the union of their operands' contexts, and stay plain when no operand has one.
let
  a = builtins.toFile "a" "A";
  b = builtins.toFile "b" "B";
  ctx = s: builtins.attrNames (builtins.getContext s);
  plain = "p";
in
{
  twoExprs = ctx "${a}${b}";
  exprText = ctx "${a}-x";
  textExpr = ctx "x-${b}";
  exprPlain = builtins.hasContext "${plain}${plain}";
  textPlain = builtins.hasContext "x${plain}";
  plainText = builtins.hasContext "${plain}x";
  leftOnly = ctx "${a}${plain}";
  rightOnly = ctx "${plain}${b}";
  same = ctx "${a}${a}";
  three = ctx "${a}${plain}${b}";
  plus = ctx (a + b);
  plusPlain = builtins.hasContext ("x" + plain);
  plusLeft = ctx (a + plain);
  plusRight = ctx (plain + b);
  values = [ "${a}${b}" "${a}-x" "x-${b}" "${toString 1}${toString 2}" ("x" + toString 3) ];
}
