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
work=$(mktemp -d /tmp/tix-walkthrough.XXXXXX)
export TIX_STATE_ROOT="$work/root"
export HOME="$work/home"
mkdir -p "$TIX_STATE_ROOT" "$HOME"
export GIT_AUTHOR_NAME=tix GIT_AUTHOR_EMAIL=tix@example.org GIT_COMMITTER_NAME=tix GIT_COMMITTER_EMAIL=tix@example.org
store=(--store "$TIX_STATE_ROOT")

cleanup() {
  "$tix" container destroy flake-test "${store[@]}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# curl as the host sees it: container names resolve through tix's hosts file.
host_curl() { unshare -m sh -c "mount --bind '$TIX_STATE_ROOT/etc/hosts' /etc/hosts && curl -s $*"; }

step "Create a flake from the simpleContainer template"
mkdir -p "$work/flake-test" && cd "$work/flake-test"
run git init -q
run "$tix" flake init -t templates#simpleContainer
run "$tix" flake lock "${store[@]}"
run git add .
run git commit -q -m "Initial revision"
run "$tix" flake show "${store[@]}"

step "Build the system"
run "$tix" build "${store[@]}" --print-out-paths .#nixosConfigurations.container.config.system.build.toplevel

step "Create and start the container"
run "$tix" container create flake-test --flake . "${store[@]}"
run "$tix" container start flake-test "${store[@]}"
printf '$ curl http://flake-test/\n'; host_curl http://flake-test/

step "Traceability: the container knows the flake's revision"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json; echo
printf '(git rev-parse HEAD: %s)\n' "$(git rev-parse HEAD)"

step "An uncommitted change makes the tree dirty"
sed -i 's/morty@example.org/rick@example.org/' flake.nix
run "$tix" container update flake-test --flake . "${store[@]}"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json; echo
printf '$ tix container update flake-test --flake . --no-allow-dirty\n'
if "$tix" container update flake-test --flake . --no-allow-dirty "${store[@]}"; then echo "unexpected: dirty tree accepted"; exit 1; fi

step "Commit and update again"
run git commit -q -a -m "Change the admin address"
run "$tix" container update flake-test --flake . --commit-lock-file "${store[@]}"
run "$tix" container run flake-test "${store[@]}" -- nixos-version --json; echo

step "Stop and destroy"
run "$tix" container stop flake-test "${store[@]}"
run "$tix" container destroy flake-test "${store[@]}"
printf '\nwalkthrough finished\n'
