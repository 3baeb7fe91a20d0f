# Assertions with messages, and the check that turns `assertions`/`warnings` option values into
# a failure or warnings.
{ lib }:
let
  assertMsg = cond: msg: cond || throw msg;

  assertOneOf = name: value: allowed:
    assertMsg (builtins.elem value allowed)
      "${name} must be one of ${lib.generators.toPretty { } allowed}, but is: ${lib.generators.toPretty { } value}";

  assertEachOneOf = name: values: allowed:
    assertMsg (lib.lists.all (v: builtins.elem v allowed) values)
      "each element in ${name} must be one of ${lib.generators.toPretty { } allowed}, but is: ${lib.generators.toPretty { } values}";

  # `assertions` is a list of { assertion; message; }, `warnings` a list of strings.
  checkAssertWarn = assertions: warnings: value:
    let failed = map (a: a.message) (builtins.filter (a: !a.assertion) assertions); in
    if failed != [ ] then
      throw "\nFailed assertions:\n${lib.strings.concatMapStringsSep "\n" (m: "- ${m}") failed}"
    else lib.trivial.showWarnings warnings value;
in
{
  inherit assertMsg assertOneOf assertEachOneOf checkAssertWarn;
}
