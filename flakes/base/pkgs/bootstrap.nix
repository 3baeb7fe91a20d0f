# The root of the package set: a static busybox copied from the host into the store by a
# fixed-output derivation pinned in ../bootstrap.json, and the `busybox` package built by it.
#
# Why a trampoline: busybox picks the applet from the name it is run as (argv[0]), and a
# builder is run as the base name of its store path ("<hash>-busybox-bootstrap"), which is no
# applet. So the one derivation that first runs the pinned binary starts in the sandbox's
# /bin/sh (tix binds the host's busybox there, as NixOS-style Nix setups do), which only makes
# a link named `busybox` to the pinned binary in the build directory and hands over to it.
# Everything after that step runs the pinned binary itself.
{ system, pin }:
let
  inherit (builtins) isAttrs isString;

  updateHint =
    "update flakes/base/bootstrap.json (\"busybox\".sha256) or override config.bootstrapBusybox = { url = ...; sha256 = ...; } "
    + "(or `bootstrapBusyboxPin` in an overlay) with the NAR hash of your busybox: the 'got:' value of the hash mismatch, "
    + "or `nix-hash --type sha256 /bin/busybox`. It must be a static busybox with the usual applets.";

  checkedPin =
    if !isAttrs pin then throw "base: the busybox bootstrap pin must be an attribute set { url; sha256; }"
    else if !(pin ? url) || !isString pin.url then throw "base: the busybox bootstrap pin has no `url` (a file:// or http(s) URL of a static busybox)"
    else if !(pin ? sha256) && !(pin ? hash) then throw "base: the busybox bootstrap pin has no `sha256` (or SRI `hash`); ${updateHint}"
    else pin;

  version = pin.version or "unknown";

  localFile = let u = checkedPin.url; in
    if builtins.substring 0 7 u == "file://" then builtins.substring 7 (builtins.stringLength u) u else "FILE";

  # Shown by tix after the error when this derivation fails (hash mismatch, missing file).
  failureHint = ''
    base's package set starts from the host's static busybox at ${checkedPin.url}, pinned by hash
    (by default flakes/base/bootstrap.json's: Debian's busybox-static 1:1.35.0-4+deb12u1+b1).
    This host's file is missing or another binary. To use it anyway (it must be a static busybox
    with the usual applets), pin its hash: the 'got:' value above, or the output of
    `nix-hash --type sha256 ${localFile}`:
      import base { config.bootstrapBusybox.sha256 = "sha256-…"; }      (url = "file:///…" for another file)
      nixpkgs.config.bootstrapBusybox.sha256 = "sha256-…";              (in a nixosSystem module)
      final: prev: { bootstrapBusyboxPin = prev.bootstrapBusyboxPin // { sha256 = "sha256-…"; }; }
    or update "sha256" in a copy of flakes/base/bootstrap.json.
  '';

  # base16, nix32 or SRI ("sha256-…", as a hash mismatch reports it).
  pinnedHash = checkedPin.hash or checkedPin.sha256;

  # The host's binary, byte for byte, marked executable. Fails with a hash mismatch when the host
  # has another binary than the pinned one.
  bootstrapBusybox = derivation ({
    name = "busybox-bootstrap";
    inherit system;
    builder = "builtin:fetchurl";
    url = checkedPin.url;
    executable = true;
    unpack = false;
    outputHashMode = "recursive";
    preferLocalBuild = true;
    inherit failureHint;
  } // (if builtins.match "sha256-.*" pinnedHash != null then { outputHash = pinnedHash; }
        else { outputHashAlgo = "sha256"; outputHash = pinnedHash; }))
  // {
    pin = checkedPin;
    inherit updateHint;
    meta = {
      description = "The host's static busybox ${version}, pinned by hash (see flakes/base/bootstrap.json)";
      longDescription = "If building this fails with a hash mismatch, the host's busybox differs from the pinned one: ${updateHint}";
    };
  };

  applets = "awk cat chmod cp cut echo grep ln ls mkdir mv readlink rm sed sh sort test tr";

  # The busybox package: the pinned binary as bin/busybox and a link for every applet it lists.
  busybox = derivation {
    name = "busybox-${version}";
    pname = "busybox";
    inherit system version;
    builder = "/bin/sh";
    args = [
      "-c"
      ''
        ln -s "$bootstrap" ./busybox 2>/dev/null || PATH="$PATH:/bin:/usr/bin" ln -s "$bootstrap" ./busybox
        exec ./busybox sh -e -c "$script"
      ''
    ];
    bootstrap = bootstrapBusybox;
    script = ''
      bb=./busybox
      $bb mkdir -p "$out/bin"
      $bb cp "$bootstrap" "$out/bin/busybox"
      $bb chmod 0555 "$out/bin/busybox"
      count=0
      for applet in $($bb --list); do
        case "$applet" in
          busybox|*/*) continue ;;
        esac
        $bb ln -s busybox "$out/bin/$applet"
        count=$((count + 1))
      done
      for needed in ${applets}; do
        if ! $bb test -L "$out/bin/$needed"; then
          echo "busybox-bootstrap: the pinned busybox has no '$needed' applet; base needs a busybox with the usual applets" >&2
          exit 1
        fi
      done
      echo "busybox ${version}: $count applets"
    '';
  } // {
    inherit version;
    bootstrap = bootstrapBusybox;
    meta = {
      description = "BusyBox ${version}: the host's pinned static binary and a link for each of its applets";
      mainProgram = "busybox";
      outputsToInstall = [ "out" ];
      priority = 10;
    };
  };
in
{
  inherit bootstrapBusybox busybox updateHint;
}
