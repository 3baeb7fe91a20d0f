let
  src = ./src.txt;
  plain = derivation { name = "plain"; builder = "/bin/sh"; system = "x86_64-linux"; args = [ "-c" "echo hi > $out" ]; };
  multi = derivation { name = "multi"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "dev" "bin" ];
    esc = "quote\" backslash\\ nl\n cr\r tab\t dollar\${x} unicode é"; flag = true; nul = null; lst = [ 1 "two" 3.5 ]; };
  foFlat = derivation { name = "fo-flat"; builder = "/bin/sh"; system = "x86_64-linux";
    outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; };
  foRec = derivation { name = "fo-rec"; builder = "/bin/sh"; system = "x86_64-linux";
    outputHashMode = "recursive"; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; };
  foSha1 = derivation { name = "fo-sha1"; builder = "/bin/sh"; system = "x86_64-linux";
    outputHashMode = "recursive"; outputHashAlgo = "sha1"; outputHash = "p1kpcdzaxbmbkp0xbphzr9x5z8vy9xw6"; };
  foMd5 = derivation { name = "fo-md5"; builder = "/bin/sh"; system = "x86_64-linux";
    outputHashAlgo = "md5"; outputHash = "0cc175b9c0f1b6a831c399e269772661"; };
  dependent = derivation { name = "dependent"; builder = "/bin/sh"; system = "x86_64-linux";
    args = [ "-c" "${plain} ${multi.dev} ${multi.bin} ${foFlat} ${src} ${./srcdir}" ];
    deps = [ foRec foSha1 foMd5 ]; };
  second = derivation { name = "second"; builder = "${dependent}/bin/sh"; system = "aarch64-linux"; outputs = ["lib" "out"];
    x = "${dependent.out}"; };
  ctl = derivation { name = "ctl"; builder = "b"; system = "s"; c = builtins.fromJSON "\"a\\u0001b\\u001fc\\u007fd\\u0008e\\u000cf\""; };
in { inherit plain multi foFlat foRec foSha1 foMd5 dependent second ctl; }
