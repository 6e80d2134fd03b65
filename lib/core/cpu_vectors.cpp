// SPDX-License-Identifier: Apache-2.0
#include "core/cpu_vectors.h"

namespace hitwatch {

CpuVectors cpu_vectors() {
    CpuVectors has;
#if defined(__x86_64__)
    __builtin_cpu_init();
    const bool bit_ops = __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
    has.avx2 = bit_ops && __builtin_cpu_supports("avx2");
    has.avx512 = has.avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
#endif
    return has;
}

}  // namespace hitwatch
