rec {
  pname = "tool";
  version = "1.2.3";
  name = "${pname}-${version}";
  meta = { description = "a ${pname}"; inherit version; };
  parts = builtins.splitVersion version;
  major = builtins.head parts;
}
