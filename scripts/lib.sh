# Shared by demo.sh and test.sh: install what the build needs, build a tree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(g++ cmake make pkg-config logrotate zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libboost1.81-dev
          libboost-json1.81-dev libboost-log1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev)

# The real servers and clients of the end-to-end tests (Prometheus with promtool, Chromium), and what
# the package test uses (dpkg-shlibdeps, systemd-analyze, man).
E2E_PACKAGES=(rsyslog graphite-carbon python3-whisper prometheus chromium dpkg-dev lintian binutils systemd man-db faketime
              nginx apache2 apache2-utils haproxy bzip2 xz-utils zstd)
STATSD_VERSION=0.9.0

# Installs only what is missing, so a second run costs nothing.
install_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "==> installing ${missing[*]}"
        [ "$(id -u)" = 0 ] || { echo "need root to install packages: ${missing[*]}" >&2; exit 1; }
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# build DIR [cmake args...]
# build DIR [CMAKE_ARGS...] [-- TARGETS...]: configures a tree and builds it, all of it or
# only the targets named.
build() {
    local dir="$1"; shift
    local configure=() targets=()
    while [ $# -gt 0 ]; do
        if [ "$1" = "--" ]; then shift; targets=(--target "$@"); break; fi
        configure+=("$1"); shift
    done
    cmake -S "$ROOT" -B "$ROOT/$dir" -DCMAKE_BUILD_TYPE=Release "${configure[@]}" >/dev/null
    cmake --build "$ROOT/$dir" -j"$(nproc)" "${targets[@]}"
}

# Etsy's statsd from npm, into .deps/ beside the sources (where the tests look for it).
install_statsd() {
    [ -f "$ROOT/.deps/node_modules/statsd/stats.js" ] && return
    echo "==> installing statsd $STATSD_VERSION from npm"
    npm install --prefix "$ROOT/.deps" --no-audit --no-fund --loglevel=error "statsd@$STATSD_VERSION" >/dev/null
}
