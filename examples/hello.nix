# A small example evaluated by the walkthrough: functions, sets, and a derivation's store paths.
let
  greet = name: "Hello, ${name}!";
  hello = derivation {
    name = "hello";
    system = "x86_64-linux";
    builder = "/bin/sh";
    args = [ "-c" "echo ${greet "world"} > $out" ];
  };
in {
  greeting = greet "world";
  squares = map (x: x * x) [ 1 2 3 4 5 ];
  drv = hello.drvPath;
  out = hello.outPath;
}
