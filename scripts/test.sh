#!/usr/bin/env bash
# Sets everything up, then runs every test (unit, differential against real Nix when installed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NIX_CONFIG=$'experimental-features = nix-command flakes\nsubstituters ='
# tix keeps caches in $XDG_CACHE_HOME/tix: the tests get one of their own, not the user's ~/.cache.
XDG_CACHE_HOME=$(mktemp -d -t tix-test-cache-XXXXXX)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
node --test --test-concurrency=2 $(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
