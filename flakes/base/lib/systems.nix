# Platforms: the systems flakes usually expose, sets describing a system (`elaborate`), and the
# lists `meta.platforms` uses (`lib.platforms.linux`, …).
{ lib }:
let
  inherit (builtins) elem filter match head elemAt isString;

  # The systems nixpkgs' flakes build for (what `lib.genAttrs lib.systems.flakeExposed` spans).
  flakeExposed = [
    "x86_64-linux" "aarch64-linux" "x86_64-darwin" "armv6l-linux" "armv7l-linux" "i686-linux"
    "aarch64-darwin" "powerpc64le-linux" "riscv64-linux" "x86_64-freebsd"
  ];

  # "cpu-kernel" doubles, by family.
  ofCpu = cpu: filter (s: head (split s) == cpu);

  doubles = rec {
    linux = [
      "x86_64-linux" "i686-linux" "aarch64-linux" "armv5tel-linux" "armv6l-linux" "armv7a-linux"
      "armv7l-linux" "powerpc64-linux" "powerpc64le-linux" "riscv32-linux" "riscv64-linux"
      "mips64el-linux" "mipsel-linux" "loongarch64-linux" "s390x-linux" "m68k-linux"
    ];
    darwin = [ "x86_64-darwin" "aarch64-darwin" ];
    freebsd = [ "x86_64-freebsd" "i686-freebsd" "aarch64-freebsd" ];
    openbsd = [ "x86_64-openbsd" "i686-openbsd" ];
    netbsd = [ "x86_64-netbsd" "i686-netbsd" "aarch64-netbsd" ];
    windows = [ "x86_64-windows" "i686-windows" ];
    unix = linux ++ darwin ++ freebsd ++ openbsd ++ netbsd;
    all = unix ++ windows;
    x86_64 = ofCpu "x86_64" all;
    i686 = ofCpu "i686" all;
    x86 = x86_64 ++ i686;
    aarch64 = ofCpu "aarch64" all;
    riscv = ofCpu "riscv32" all ++ ofCpu "riscv64" all;
  };

  split = system:
    let m = match "([^-]+)-(.+)" system; in
    if m == null then throw "lib.systems.elaborate: `${system}' is not a system of the form CPU-KERNEL (for example x86_64-linux)"
    else m;

  # A system string → a set like nixpkgs' platform sets (the common predicates only).
  elaborate = platform:
    let
      system = if isString platform then platform else platform.system;
      parts = split system;
      cpu = elemAt parts 0;
      kernel = elemAt parts 1;
      bits = if elem cpu [ "x86_64" "aarch64" "powerpc64" "powerpc64le" "riscv64" "mips64el" "loongarch64" "s390x" ] then 64 else 32;
    in
    {
      inherit system;
      config = "${cpu}-unknown-${kernel}${if kernel == "linux" then "-gnu" else ""}";
      parsed = { cpu = { name = cpu; inherit bits; }; kernel.name = kernel; };
      isLinux = kernel == "linux";
      isDarwin = kernel == "darwin";
      isFreeBSD = kernel == "freebsd";
      isWindows = kernel == "windows";
      isUnix = kernel != "windows";
      isx86_64 = cpu == "x86_64";
      isi686 = cpu == "i686";
      isx86 = cpu == "x86_64" || cpu == "i686";
      isAarch64 = cpu == "aarch64";
      isRiscV = cpu == "riscv32" || cpu == "riscv64";
      is64bit = bits == 64;
      is32bit = bits == 32;
      canExecute = other: (elaborate other).system == system;
    } // (if isString platform then { } else removeAttrs platform [ "system" ]);

  platforms = {
    inherit (doubles) all linux darwin freebsd openbsd netbsd windows unix x86_64 i686 x86 aarch64 riscv;
    none = [ ];
  };
in
{
  systems = { inherit flakeExposed doubles elaborate; };
  inherit platforms;
}
