// Internal to the kernels that read a weight matrix by rows (matvec, embed):
// splits its rows into slices whose bytes each fit one storage-buffer binding.
// A device binds at most maxStorageBufferRange bytes (128 MiB on lavapipe,
// while an 8B model's output matrix is ~430 MB), at offsets that are
// multiples of minStorageBufferOffsetAlignment; a slice starting mid-way
// binds from the aligned byte before its first row and tells the shader how
// far in that row starts.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/vk/buffer.h"

namespace ponder::kernels {

struct RowSlice {
    uint32_t firstRow = 0;
    uint32_t rowCount = 0;
    vk::BufferRange binding;  // the bytes bound for the slice
    uint32_t rowOffset = 0;   // bytes from binding.offset to row firstRow
};

// Shaders read whole 32-bit words, so a matrix's binding must reach its end
// rounded up to 4 bytes. GGUF pads every tensor to 32 bytes and the memory
// plan places tensors at aligned offsets, so the bytes exist.
inline uint64_t paddedMatrixBytes(uint64_t rows, uint64_t rowBytes)
{
    return (rows * rowBytes + 3) / 4 * 4;
}

// Slices of at most maxBinding bytes each covering rows 0..rows-1 of the
// (rows, rowBytes) matrix in `w`. rowBytes is even (every format's block is).
inline Result<std::vector<RowSlice>> sliceRows(const vk::BufferRange& w, uint32_t rows, uint64_t rowBytes,
                                               uint64_t maxBinding, uint64_t offsetAlignment, const char* what)
{
    const uint64_t needed = paddedMatrixBytes(rows, rowBytes);
    if (w.size < needed)
        return fail(ErrorCode::InvalidArgument,
                    std::string(what) + " holds " + std::to_string(w.size) + " bytes, fewer than the " +
                        std::to_string(needed) + " of its rows rounded up to a multiple of 4");
    // At least 4, so every slice's binding starts on a word of the matrix's padding grid.
    const uint64_t alignment = std::max<uint64_t>(offsetAlignment, 4);
    if (w.offset % alignment != 0)
        return fail(ErrorCode::InvalidArgument, std::string(what) + " starts at byte " + std::to_string(w.offset) +
                                                    ", not a multiple of the storage offset alignment " +
                                                    std::to_string(alignment));
    std::vector<RowSlice> slices;
    for (uint32_t first = 0; first < rows;) {
        const uint64_t start = w.offset + first * rowBytes;
        const uint64_t boundStart = start / alignment * alignment;
        const uint64_t lead = start - boundStart;  // even: w.offset and rowBytes are
        // The slice's bytes, rounded up to a word, must fit: lead + n*rowBytes + 2.
        const uint64_t fit = maxBinding > lead + 2 ? (maxBinding - lead - 2) / rowBytes : 0;
        if (fit == 0)
            return fail(ErrorCode::Unsupported, std::string(what) + ": one row of " + std::to_string(rowBytes) +
                                                    " bytes does not fit the device's " + std::to_string(maxBinding) +
                                                    "-byte storage-buffer range");
        const uint32_t count = uint32_t(std::min<uint64_t>(fit, rows - first));
        const uint64_t end = (lead + count * rowBytes + 3) / 4 * 4;
        slices.push_back({first, count, {w.buffer, boundStart, end}, uint32_t(lead)});
        first += count;
    }
    return slices;
}

} // namespace ponder::kernels
