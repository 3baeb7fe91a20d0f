# checkAssertWarn with failing assertions.
let lib = import ../../../flakes/base/lib; in
lib.asserts.checkAssertWarn [
  { assertion = false; message = "first problem"; }
  { assertion = true; message = "not a problem"; }
  { assertion = false; message = "second problem"; }
] [ "never shown" ] "value"
