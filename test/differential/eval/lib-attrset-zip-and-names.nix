let
  nameValuePair = name: value: { inherit name value; };
  genAttrs = names: f: builtins.listToAttrs (map (n: nameValuePair n (f n)) names);
in genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" ] (system: { inherit system; short = builtins.head (builtins.split "-" system); })
