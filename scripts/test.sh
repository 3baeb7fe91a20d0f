#!/usr/bin/env bash
# Sets everything up, then runs every test (unit, differential against real Nix when installed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NIX_CONFIG=$'experimental-features = nix-command flakes\nsubstituters ='
node --test --test-concurrency=2 $(find dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
