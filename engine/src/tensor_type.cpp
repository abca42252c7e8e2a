#include "ponder/tensor_type.h"

namespace ponder {
namespace {

constexpr TensorTypeTraits kF32{"F32", 1, 4, true};
constexpr TensorTypeTraits kF16{"F16", 1, 2, true};
constexpr TensorTypeTraits kBF16{"BF16", 1, 2, true};
constexpr TensorTypeTraits kQ4_0{"Q4_0", 32, 18, true};
constexpr TensorTypeTraits kQ4_1{"Q4_1", 32, 20, false};
constexpr TensorTypeTraits kQ5_0{"Q5_0", 32, 22, false};
constexpr TensorTypeTraits kQ5_1{"Q5_1", 32, 24, false};
constexpr TensorTypeTraits kQ8_0{"Q8_0", 32, 34, true};
constexpr TensorTypeTraits kQ8_1{"Q8_1", 32, 36, false};
constexpr TensorTypeTraits kQ2_K{"Q2_K", 256, 84, true};
constexpr TensorTypeTraits kQ3_K{"Q3_K", 256, 110, true};
constexpr TensorTypeTraits kQ4_K{"Q4_K", 256, 144, true};
constexpr TensorTypeTraits kQ5_K{"Q5_K", 256, 176, true};
constexpr TensorTypeTraits kQ6_K{"Q6_K", 256, 210, true};
constexpr TensorTypeTraits kQ8_K{"Q8_K", 256, 292, false};

} // namespace

std::optional<TensorType> tensorTypeFromId(uint32_t id)
{
    switch (id) {
    case 0: case 1: case 2: case 3: case 6: case 7: case 8: case 9:
    case 10: case 11: case 12: case 13: case 14: case 15: case 30:
        return static_cast<TensorType>(id);
    default:
        return std::nullopt;
    }
}

const TensorTypeTraits& traits(TensorType type)
{
    switch (type) {
    case TensorType::F32: return kF32;
    case TensorType::F16: return kF16;
    case TensorType::BF16: return kBF16;
    case TensorType::Q4_0: return kQ4_0;
    case TensorType::Q4_1: return kQ4_1;
    case TensorType::Q5_0: return kQ5_0;
    case TensorType::Q5_1: return kQ5_1;
    case TensorType::Q8_0: return kQ8_0;
    case TensorType::Q8_1: return kQ8_1;
    case TensorType::Q2_K: return kQ2_K;
    case TensorType::Q3_K: return kQ3_K;
    case TensorType::Q4_K: return kQ4_K;
    case TensorType::Q5_K: return kQ5_K;
    case TensorType::Q6_K: return kQ6_K;
    case TensorType::Q8_K: return kQ8_K;
    }
    return kF32;
}

} // namespace ponder
