#!/usr/bin/env bash
# Sets everything up, then runs the walkthrough. For now: evaluates examples/hello.nix the way
# the article's commands will be run once the flake and system layers land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
run() { printf '\n$ %s\n' "$*"; "$@"; }
run ./bin/tix instantiate --eval --strict examples/hello.nix
run ./bin/tix instantiate --eval --strict --json examples/hello.nix
run ./bin/tix eval --file examples/hello.nix greeting
