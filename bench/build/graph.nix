# 1,001 tiny derivations: 10 chains of 100 (each step depends on the previous one) and a final
# derivation that depends on the end of every chain. Builders are the sandbox's /bin/sh.
let
  node = name: deps: derivation {
    inherit name;
    system = "x86_64-linux";
    builder = "/bin/sh";
    args = [ "-c" "echo ${name} ${builtins.concatStringsSep " " deps} > $out" ];
  };
  chain = c: builtins.foldl' (prev: i: node "c${toString c}-${toString i}" (if prev == null then [ ] else [ "${prev}" ]))
    null (builtins.genList (i: i) 100);
in
node "top" (builtins.genList (c: "${chain c}") 10)
