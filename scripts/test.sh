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
# Each step says when it began: where a CI run's time went.
step() { echo "==> $* ($(date -u +%T))"; }

step "Release build and tests"
build build
# The Release tests and the soak mostly wait on the daemon's clock (a quarter of the CPU):
# the sanitizer build takes what they leave, at the lowest priority so that it never holds
# up a daemon under test. Its output is shown once it is done.
# (A process group of its own, stopped with the script if a test fails; -w: waited for even
# where setsid has to fork, as under job control.)
asan_log="$ROOT/build/sanitizer-build.log"
setsid -w nice -n 19 bash -c \
    "source '$ROOT/scripts/lib.sh'; build build-asan -DHITWATCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" \
    >"$asan_log" 2>&1 &
asan_build=$!
trap 'kill -- -"$asan_build" 2>/dev/null || true' EXIT
# Twice as many tests as cores: the live ones mostly wait on the daemon's clock.
(cd "$ROOT/build" && ctest --output-on-failure -j"$((2 * $(nproc)))")

step "soak, 2 minutes: lines written = reported through rotation and a kill -9"
"$ROOT/bench/soak.sh" 2

step "sanitizer build (-fsanitize=address,undefined), begun beside the Release tests"
asan_built=0
wait "$asan_build" || asan_built=$?
cat "$asan_log"
((asan_built == 0)) || { echo "the sanitizer build failed (exit $asan_built)" >&2; exit 1; }
step "sanitizer tests (unit and integration; not the e2e, package, memory and bench ones)"
(cd "$ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j"$((2 * $(nproc)))" -LE 'e2e|package|bench|memory')

step "fuzzers, 30 s each"
"$ROOT/scripts/fuzz.sh" 30
step "done"
