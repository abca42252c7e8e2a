#include "cpu/simd_limit.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

// The kernels' target set, so the limit speaks of the targets they have.
#include "cpu/hwy_targets.h"
#include <hwy/targets.h>

namespace ponder::cpu {
namespace {

// The Highway target PONDER_CPU_SIMD names; 0 for none.
int64_t namedLimit()
{
    const char* value = std::getenv("PONDER_CPU_SIMD");
    if (!value || !*value)
        return 0;
    const std::string_view name(value);
    const int64_t target = name == "AVX2" ? HWY_AVX2 : name == "SSE4" ? HWY_SSE4 : 0;
    if (target == 0) {
        std::fprintf(stderr, "ponder: PONDER_CPU_SIMD=%s is not AVX2 or SSE4; using the best the CPU has\n", value);
        return 0;
    }
    if ((hwy::SupportedTargets() & HWY_TARGETS & target) == 0) {
        std::fprintf(stderr, "ponder: PONDER_CPU_SIMD=%s: this CPU has no %s; using the best it has\n", value, value);
        return 0;
    }
    return target;
}

// Turns off every target better than the limit (lower bits are better
// targets); Highway's dispatch picks among the rest from its next call.
int64_t applyLimit()
{
    const int64_t limit = namedLimit();
    if (limit != 0)
        hwy::DisableTargets(limit - 1);
    return limit;
}

} // namespace

bool avx512Allowed()
{
    static const int64_t limit = applyLimit();
    return limit == 0;
}

} // namespace ponder::cpu
