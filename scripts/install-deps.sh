#!/usr/bin/env bash
# Installs what Stepline needs to build and test on Debian 12, and only what
# is missing: when every package is already there it returns at once,
# without touching the network. Safe to run again and again.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  clang libclang-rt-dev  # the ASan+UBSan build with the libFuzzer targets (.ci/run)
  libboost-dev nlohmann-json3-dev libsqlite3-dev libspdlog-dev catch2 libssl-dev zlib1g-dev
  python3 python3-boto3 awscli ca-certificates
  nodejs npm
)
# Packages that count as present when their command is there: a Node.js
# installed from elsewhere (such as a nodejs package that bundles npm and
# conflicts with Debian's npm) must not be replaced by Debian's older one.
declare -A commands=([nodejs]=node [npm]=npm)

# One dpkg query for all of them (a package dpkg never heard of is missing too).
present=" $(dpkg-query -W -f='${Package}:${Status}\n' "${packages[@]}" 2>/dev/null |
  sed -n 's/^\([^:]*\):install ok installed$/\1/p' | tr '\n' ' ' || true) "
missing=()
for p in "${packages[@]}"; do
  [[ "$present" == *" $p "* ]] && continue
  [[ -n "${commands[$p]:-}" ]] && command -v "${commands[$p]}" >/dev/null && continue
  missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
