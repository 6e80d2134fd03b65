#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test in the Release build; then the unit
# and integration tests again under AddressSanitizer and UndefinedBehaviorSanitizer (the
# heavy end-to-end, package and memory-bound runs only once, in the Release pass, with a
# 2-minute soak);
# then each fuzzer for 30 s.
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" "${E2E_PACKAGES[@]}"
command -v node >/dev/null && command -v npm >/dev/null || install_packages nodejs npm
install_statsd

echo "==> Release build and tests"
build build
# Twice as many tests as cores: the live ones mostly wait on the daemon's clock.
(cd "$ROOT/build" && ctest --output-on-failure -j"$((2 * $(nproc)))")

echo "==> soak, 2 minutes: lines written = reported through rotation and a kill -9"
"$ROOT/bench/soak.sh" 2

echo "==> sanitizer build (-fsanitize=address,undefined) and tests"
build build-asan -DHITWATCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd "$ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j"$((2 * $(nproc)))" -LE 'e2e|package|bench|memory')

echo "==> fuzzers, 30 s each"
"$ROOT/scripts/fuzz.sh" 30
