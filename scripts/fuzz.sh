#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (tests/fuzz) and runs each for SECONDS (default 60)
# from its seed corpus, under AddressSanitizer and UndefinedBehaviorSanitizer. A crash input
# is kept in build-fuzz/crashes/ and fails the run: turn it into a regression test.
# Usage: scripts/fuzz.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
# clang only recommends libclang-rt-14-dev, which holds the sanitizer and fuzzer runtimes.
install_packages "${PACKAGES[@]}" clang-14 libfuzzer-14-dev libclang-rt-14-dev
seconds="${1:-60}"

echo "==> fuzz targets (clang, -fsanitize=fuzzer,address,undefined)"
CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$ROOT/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHITWATCH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$ROOT/build-fuzz" -j"$(nproc)" --target fuzz_parser fuzz_state fuzz_config fuzz_format

crashes="$ROOT/build-fuzz/crashes"
mkdir -p "$crashes"
work="$(mktemp -d)"  # what the runs find stays out of the repository
trap 'rm -rf "$work"' EXIT
# fuzz TARGET: one libFuzzer run, its summary into $work/TARGET.out.
fuzz() {
    local target="$1"
    mkdir -p "$work/$target"
    (cd "$crashes" && ASAN_OPTIONS=detect_leaks=1 "$ROOT/build-fuzz/tests/fuzz/fuzz_$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/fuzz_$target-" "$work/$target" "$ROOT/tests/fuzz/$target" 2>&1 |
        grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|ERROR|SUMMARY|Test unit written") \
        >"$work/$target.out" || true
}
# Each run is one thread: as many at once as there are cores.
targets=(parser state config format)
for ((i = 0; i < ${#targets[@]}; i += $(nproc))); do
    for target in "${targets[@]:i:$(nproc)}"; do
        echo "==> fuzz_$target for $seconds s"
        fuzz "$target" &
    done
    wait
done
status=0
for target in "${targets[@]}"; do
    echo "--- fuzz_$target"
    cat "$work/$target.out"
    if ls "$crashes"/fuzz_"$target"-* >/dev/null 2>&1; then
        echo "fuzz_$target found a crash: $(ls "$crashes"/fuzz_"$target"-*)" >&2
        status=1
    fi
done
exit $status
