let
  callPackageWith = autoArgs: fn: args:
    let f = if builtins.isFunction fn then fn else import fn;
        fargs = builtins.functionArgs f;
    in f (builtins.intersectAttrs fargs autoArgs // args);
  pkgs = { lib = { v = 1; }; stdenv = "stdenv"; zlib = "zlib"; unused = throw "never"; };
  callPackage = callPackageWith pkgs;
  drv = { stdenv, zlib, lib, extra ? "default" }: { inherit stdenv zlib extra; libv = lib.v; };
in [ (callPackage drv { }) (callPackage drv { extra = "given"; }) ]
