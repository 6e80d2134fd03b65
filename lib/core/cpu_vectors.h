// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which of the vector instruction sets the scans are written for this CPU runs, asked at run
// time, so that one binary runs on any x86-64 CPU (core/newlines.cpp, core/quick_scan.cpp).

namespace hitwatch {

struct CpuVectors {
    // Each with the bit instructions the scans use on their masks (BMI1, POPCNT): every CPU
    // with AVX2 has them, but a hypervisor may hide them.
    bool avx2 = false;
    bool avx512 = false;  // F and BW, and AVX2 too
};

CpuVectors cpu_vectors();

}  // namespace hitwatch
