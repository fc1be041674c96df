#!/usr/bin/env bash
# Installs the OS packages the tests and the local platform use, from Debian's archive, if missing.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

# command → Debian package
declare -A NEED=(
  [veritysetup]=cryptsetup-bin   # dm-verity reference for the policy library's tests
  [pg_isready]=postgresql        # the local database server and its tools
  [node]=nodejs                  # independent JWT verification (npm jose) in attestation tests
  [npm]=npm
  [prometheus]=prometheus        # e2e: Prometheus scrapes the running platform
  [runc]=runc                    # node-agent: containers of both SKUs run as OCI bundles
  [docker-registry]=docker-registry  # node-agent tests and ./parma: a real OCI registry on loopback
  [busybox]=busybox-static       # tests and ./parma: the busybox image is built locally (no internet)
  [socat]=socat                  # node-agent tests: containers reach the in-group attestation socket with it
  [chromium]=chromium            # api-gateway: the SRE page is tested in headless Chromium (playwright-core)
)

missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && { echo "OS packages: all present"; exit 0; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "OS packages: installed ${missing[*]}"
