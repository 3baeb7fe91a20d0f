#!/usr/bin/env bash
# Sets everything up, then runs the article's walkthrough ("Nix Flakes, Part 3: Managing NixOS
# systems") on the embedded base flake, offline. Everything tix writes (store, container state,
# hosts entries) lives under one directory, so the host's /nix and /etc are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
# TIX_WALKTHROUGH_SKIP_SETUP=1: already set up (the end-to-end test runs this script).
[ -n "${TIX_WALKTHROUGH_SKIP_SETUP:-}" ] || bash scripts/setup.sh
repo=$(pwd)
tix="$repo/bin/tix"
# TIX_WALKTHROUGH_DIR: an empty directory to work in (the end-to-end test cleans it up itself).
work=${TIX_WALKTHROUGH_DIR:-$(mktemp -d /tmp/tix-walkthrough.XXXXXX)}
export TIX_STATE_ROOT="$work/root"
export HOME="$work/home"
mkdir -p "$TIX_STATE_ROOT" "$HOME"
export GIT_PAGER=cat GIT_AUTHOR_NAME=tix GIT_AUTHOR_EMAIL=tix@example.org GIT_COMMITTER_NAME=tix GIT_COMMITTER_EMAIL=tix@example.org
store=(--store "$TIX_STATE_ROOT")

cleanup() {
  "$tix" container destroy flake-test "${store[@]}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
# Prints "$ COMMAND" as one would type it (tix by its name, arguments quoted where needed), runs it.
run() {
  local a shown=""
  for a in "$@"; do
    [ "$a" = "$tix" ] && a=tix
    case "$a" in
      '' | *[[:space:]\'\"\$\\]*) shown+=" '${a//\'/\'\\\'\'}'" ;;
      *) shown+=" $a" ;;
    esac
  done
  printf '$%s\n' "$shown"
  "$@"
}
# curl as the host sees it: container names resolve through tix's hosts file (retried while a
# service that was just started opens its port).
host_curl() { unshare -m sh -c "mount --bind '$TIX_STATE_ROOT/etc/hosts' /etc/hosts && curl -s --retry 5 --retry-connrefused --retry-delay 1 $*"; }

step "Create a flake from the simpleContainer template"
mkdir -p "$work/flake-test" && cd "$work/flake-test"
run git init -q
run "$tix" flake init -t templates#simpleContainer
run "$tix" flake lock "${store[@]}"
run git add .
run git commit -q -m "Initial revision"
first_rev=$(git rev-parse HEAD)
run "$tix" flake show "${store[@]}"

step "Build the system"
run "$tix" build "${store[@]}" --print-out-paths .#nixosConfigurations.container.config.system.build.toplevel

step "Create and start the container"
run "$tix" container create flake-test --flake . "${store[@]}"
run "$tix" container start flake-test "${store[@]}"
printf '$ curl http://flake-test/\n'; host_curl http://flake-test/

step "Traceability: the container knows the flake's revision"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json
printf '(git rev-parse HEAD: %s)\n' "$(git rev-parse HEAD)"

step "An uncommitted change makes the tree dirty"
sed -i 's/morty@example.org/rick@example.org/' flake.nix
run "$tix" container update flake-test --flake . "${store[@]}"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json
printf '$ tix container update flake-test --flake . --no-allow-dirty %s\n' "${store[*]}"
if "$tix" container update flake-test --flake . --no-allow-dirty "${store[@]}"; then echo "unexpected: dirty tree accepted"; exit 1; fi

step "Commit and update again"
run git commit -q -a -m "Change the admin address"
run "$tix" container update flake-test --flake . --commit-lock-file "${store[@]}"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json

step "Roll back to the first revision (?rev=)"
run "$tix" container update flake-test --flake "$work/flake-test?rev=$first_rev" "${store[@]}"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json
printf '(first revision: %s)\n' "$first_rev"

step "A third-party flake: a NixOS module and an overlay (standing in for github:NixOS/hydra)"
mkdir -p "$work/hydra" && cp "$repo/flakes/templates/container-with-module/hydra/flake.nix" "$work/hydra/"
(cd "$work/hydra" && git init -q && git add . && git commit -q -m "Hydra stand-in 1")
run "$tix" flake show "${store[@]}" "git+file://$work/hydra"
# The container's flake takes it as an input, uses its module and overlay and opens port 3000;
# it also pins nixpkgs in the registry and describes a second, non-container machine.
cat > flake.nix <<EOF
{
  inputs.nixpkgs.url = "nixpkgs";
  inputs.hydra.url = "git+file://$work/hydra";

  outputs = { self, nixpkgs, hydra }:
    let
      common = { pkgs, ... }: {
        # Let 'nixos-version --json' know about the Git revision
        # of this flake.
        system.configurationRevision = nixpkgs.lib.mkIf (self ? rev) self.rev;

        # The third-party flake's package (an overlay) and service (a module).
        nixpkgs.overlays = [ hydra.overlay ];
        services.hydra.enable = true;

        # Pin nixpkgs in the system-wide flake registry.
        nix.registry.nixpkgs.flake = nixpkgs;
      };
    in {

    nixosConfigurations.container = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules =
        [ hydra.nixosModules.hydra
          common

          ({ pkgs, ... }: {
            boot.isContainer = true;

            # Network configuration.
            networking.useDHCP = false;
            # Hydra runs on port 3000 by default, so open it in the firewall.
            networking.firewall.allowedTCPPorts = [ 80 3000 ];

            # Enable a web server.
            services.httpd = {
              enable = true;
              adminAddr = "rick@example.org";
            };
          })
        ];
    };

    nixosConfigurations.my-machine = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules =
        [ hydra.nixosModules.hydra
          common
          { networking.hostName = "my-machine"; }
        ];
    };

  };
}
EOF
run git diff
run "$tix" flake lock "${store[@]}"
run git commit -q -a -m "Add Hydra"
run "$tix" container update flake-test --flake . "${store[@]}"
printf '$ curl http://flake-test:3000/\n'; host_curl http://flake-test:3000/

step "Update one input and commit the lock file"
(cd "$work/hydra" && sed -i 's/version = "1"/version = "2"/' flake.nix && git commit -q -a -m "Hydra stand-in 2")
run "$tix" container update flake-test --flake . --update-input hydra --commit-lock-file "${store[@]}"
run git log -1 --format=%B
printf '$ curl http://flake-test:3000/\n'; host_curl http://flake-test:3000/

step "Build against a local checkout of an input (--override-input)"
run git clone -q "$work/hydra" "$work/my-hydra"
(cd "$work/my-hydra" && sed -i 's/version = "2"/version = "2-local"/' flake.nix && git commit -q -a -m "A local change")
run "$tix" container update flake-test --flake . --override-input hydra "$work/my-hydra" "${store[@]}"
printf '$ curl http://flake-test:3000/\n'; host_curl http://flake-test:3000/
run git status --short

step "A host system: tix os rebuild (into $work/machine, standing for /)"
run "$tix" os rebuild switch --flake .#my-machine --root "$work/machine" "${store[@]}"
run "$tix" os version --json --root "$work/machine" "${store[@]}"
printf '(git rev-parse HEAD: %s)\n' "$(git rev-parse HEAD)"

step "nixpkgs pinned in the systems' flake registry"
run "$tix" os enter --root "$work/machine" "${store[@]}" -- cat /etc/nix/registry.json; echo
run "$tix" container run flake-test "${store[@]}" -- cat /etc/nix/registry.json; echo

step "Stop and destroy"
run "$tix" container stop flake-test "${store[@]}"
run "$tix" container destroy flake-test "${store[@]}"

step "Nothing left behind"
for d in etc/nixos-containers var/lib/nixos-containers run/tix-containers \
  nix/var/nix/profiles/per-container nix/var/nix/gcroots/per-container; do
  printf '$ ls -A %s\n' "$TIX_STATE_ROOT/$d"; ls -A "$TIX_STATE_ROOT/$d" 2>/dev/null | grep . || echo "(empty)"
done
printf '$ grep flake-test %s\n' "$TIX_STATE_ROOT/etc/hosts"; grep flake-test "$TIX_STATE_ROOT/etc/hosts" 2>/dev/null || echo "(none)"
printf '$ ip -brief link show type veth\n'; ip -brief link show type veth | grep ve-flake-test || echo "(none)"
printf '$ grep %s /proc/self/mountinfo\n' "$work"; grep -F "$work" /proc/self/mountinfo || echo "(none)"
# Processes whose root directory is below the walkthrough's directory (the container's init and services).
printf '$ ls -l /proc/*/root | grep %s\n' "$work"
for p in /proc/[0-9]*; do
  r=$(readlink "$p/root" 2>/dev/null) || continue
  case "$r" in "$work"/*) printf '%s %s\n' "${p#/proc/}" "$r" ;; esac
done | grep . || echo "(none)"
printf '\nwalkthrough finished\n'
