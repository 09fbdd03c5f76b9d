#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the tests that load pages in a real headless
# browser (the eval report). Installs it with apt-get when it is missing; prints its path.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  sudo_=""
  if [ "$(id -u)" -ne 0 ]; then sudo_="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_ apt-get update -qq >&2
  $sudo_ apt-get install -y -qq chromium >&2
fi
command -v chromium
