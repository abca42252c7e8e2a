#include "cpu/row_interleave.h"

#include <cassert>
#include <cstring>

namespace ponder::cpu {

void interleaveRows4(std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                     uint64_t rowBytes, uint64_t blockBytes)
{
    assert(rows % 4 == 0 && rowBytes % blockBytes == 0);
    assert(source.size() >= rows * rowBytes && target.size() >= rows * rowBytes);
    const uint64_t blocks = rowBytes / blockBytes;
    for (uint64_t group = 0; group < rows / 4; ++group) {
        std::byte* out = target.data() + group * 4 * rowBytes;
        for (uint64_t b = 0; b < blocks; ++b)
            for (uint64_t j = 0; j < 4; ++j, out += blockBytes)
                std::memcpy(out, source.data() + (group * 4 + j) * rowBytes + b * blockBytes, blockBytes);
    }
}

} // namespace ponder::cpu
