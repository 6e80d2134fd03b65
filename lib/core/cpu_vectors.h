// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which of the vector instruction sets the scans are written for this CPU runs, asked at run
// time, so that one binary runs on any x86-64 CPU (core/newlines.cpp, core/quick_scan.cpp).
#include <cstring>
#include <vector>

namespace hitwatch {

struct CpuVectors {
    // Each with the bit instructions the scans use on their masks (BMI1, POPCNT): every CPU
    // with AVX2 has them, but a hypervisor may hide them.
    bool avx2 = false;
    bool avx512 = false;  // F and BW, and AVX2 too
};

CpuVectors cpu_vectors();

// One width of a scan written for several: its function and its name ("avx512", "avx2", ...).
// A scan lists those this CPU runs, the widest first.
template <class Fn>
struct VectorVariant {
    Fn fn;
    const char* kind;
};

// The variant named `kind`; nullptr if it is not among them.
template <class Fn>
const VectorVariant<Fn>* variant_of_kind(const std::vector<VectorVariant<Fn>>& variants, const char* kind) {
    for (const auto& variant : variants) {
        if (std::strcmp(variant.kind, kind) == 0) return &variant;
    }
    return nullptr;
}

// The widest variant that is not AVX-512's (glibc told to leave its AVX-512 code out); nullptr
// if there is none.
template <class Fn>
const VectorVariant<Fn>* widest_without_avx512(const std::vector<VectorVariant<Fn>>& variants) {
    for (const auto& variant : variants) {
        if (std::strcmp(variant.kind, "avx512") != 0) return &variant;
    }
    return nullptr;
}

// Their names, widest first (for tests that try each).
template <class Fn>
std::vector<const char*> kinds_of(const std::vector<VectorVariant<Fn>>& variants) {
    std::vector<const char*> kinds;
    for (const auto& variant : variants) kinds.push_back(variant.kind);
    return kinds;
}

}  // namespace hitwatch
