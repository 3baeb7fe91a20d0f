#!/usr/bin/env bash
# Installs everything tix needs on a fresh Debian machine (run as root) and builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in nix-bin busybox-static bubblewrap iproute2 git nftables curl; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "tix setup: missing Debian packages: ${need[*]} (run as root to install them)" >&2
  fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
