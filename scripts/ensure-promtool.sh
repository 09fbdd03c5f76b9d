#!/usr/bin/env bash
# Makes sure `promtool` (Prometheus's rule and config checker) is on PATH: installs Debian's
# `prometheus` package, which ships it, when it is missing. Prints promtool's path on success;
# exits non-zero, saying why, when it cannot be installed (no apt-get, no root or sudo).
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  command -v promtool
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool is missing and there is no apt-get to install it (install Prometheus's promtool by hand)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "promtool is missing and installing it needs root (or password-less sudo): apt-get install prometheus" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# The package's service is not wanted here: refuse service starts during the install.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod +x "$policy"
  added_policy=true
fi
cleanup() { if $added_policy; then "${as_root[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

if ! apt-cache show prometheus >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -qq >&2
fi
"${as_root[@]}" apt-get install -y -qq --no-install-recommends prometheus >&2

if ! command -v promtool >/dev/null 2>&1; then
  echo "apt-get installed prometheus but promtool is not on PATH" >&2
  exit 1
fi
command -v promtool
