// The rows16 copy of a matrix (rows16.h describes the layout): each type's
// blocks of 16 rows from the file's layout, run at load by
// resident_weights.cpp on every thread.
#include <cassert>
#include <cstring>

#include "cpu/rows16.h"
#include "cpu/rows16_layout.h"

namespace ponder::cpu {

using namespace rows16;

namespace {

// Scale and minimum j of a Q4_K block's 12 packed bytes (llama.cpp's
// get_scale_min_k4 layout).
void scaleMin(const uint8_t* q, int j, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// Row r's d, dmin, scales and minimums of a Q4_K or Q5_K block `in` (the
// same 16 bytes in both) into the group block `out`, the 6-bit ones
// unpacked to bytes.
void interleaveKHead(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in, 2);
    std::memcpy(out + 32 + 2 * r, in + 2, 2);
    for (int g = 0; g < 8; ++g)
        scaleMin(in + 4, g, out[64 + 16 * g + r], out[192 + 16 * g + r]);
}

// Row r's Q4_K block `in` into the group block `out`.
void interleaveQ4KBlock(const uint8_t* in, int r, uint8_t* out)
{
    interleaveKHead(in, r, out);
    // Values 8j..8j+7 lie in one half of one 32-byte chunk of qs: bytes
    // q[k], q[k + 4] hold values 8j + k and 8j + 4 + k.
    const uint8_t* qs = in + 16;
    for (int j = 0; j < 32; ++j) {
        const int shift = (j / 4) % 2 * 4;
        const uint8_t* q = qs + 32 * (j / 8) + 8 * (j % 4);
        for (int k = 0; k < 4; ++k)
            out[320 + 64 * j + 4 * r + k] = uint8_t(((q[k] >> shift) & 15) | (((q[k + 4] >> shift) & 15) << 4));
    }
}

// The levels of a block, in value order, are computed a run of 32 at a
// time in plain loops the compiler vectorizes: value by value (a division
// and a few shifts each) the copy of a Q6_K model took twice as long.

// Levels (0..31) of a Q5_K block: qs's nibbles (qs[32c + l] holds values
// 64c + l and 64c + 32 + l), qh's bits (qh[l] holds those of values l,
// l + 32, l + 64, ... in bits 0, 1, 2, ...).
void q5Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* qh = block + 16;
    const uint8_t* qs = block + 48;
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            const uint8_t q = qs[32 * c + l];
            levels[64 * c + l] = uint8_t((q & 15) | (((qh[l] >> (2 * c)) & 1) << 4));
            levels[64 * c + 32 + l] = uint8_t((q >> 4) | (((qh[l] >> (2 * c + 1)) & 1) << 4));
        }
}

// Sets row r's four bits (bytes 4r..4r+3) of the little-endian 64-bit mask
// at `mask` to `bits`.
void setMaskNibble(uint8_t* mask, int r, unsigned bits)
{
    const int shift = 4 * (r % 2);
    mask[r / 2] = uint8_t((mask[r / 2] & ~(15u << shift)) | (bits << shift));
}

// Row r's Q5_K block `in` into the group block `out`: chunks as Q4_K's
// nibbles, each value group's fifth bits as masks ahead of its chunks.
void interleaveQ5KBlock(const uint8_t* in, int r, uint8_t* out)
{
    interleaveKHead(in, r, out);
    uint8_t levels[256];
    q5Levels(in, levels);
    for (int j = 0; j < 32; ++j) {
        unsigned lowBits = 0, highBits = 0;
        for (int k = 0; k < 4; ++k) {
            const uint8_t low = levels[8 * j + k], high = levels[8 * j + 4 + k];
            out[chunkOffset<TensorType::Q5_K>(j) + 4 * r + k] = uint8_t((low & 15) | ((high & 15) << 4));
            lowBits |= unsigned(low >> 4) << k;
            highBits |= unsigned(high >> 4) << k;
        }
        setMaskNibble(out + q5kFifthBitsOffset(j), r, lowBits);
        setMaskNibble(out + q5kFifthBitsOffset(j) + 8, r, highBits);
    }
}

// The 2-bit levels of a Q2_K block's qs, or the low 2 bits of a Q3_K
// block's: qs[32n + l] holds values 128n + l, + 32, + 64, + 96 in bits
// 0-1, 2-3, 4-5, 6-7.
void twoBitLevels(const uint8_t* qs, uint8_t levels[256])
{
    for (int n = 0; n < 2; ++n)
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l)
                levels[128 * n + 32 * j + l] = uint8_t((qs[32 * n + l] >> (2 * j)) & 3);
}

// Levels (0..7, stored + 4) of a Q3_K block: twoBitLevels and hmask's bits
// (hmask[l] holds those of values l, l + 32, ..., l + 224).
void q3Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* hmask = block;
    twoBitLevels(block + 32, levels);
    for (int i = 0; i < 8; ++i)
        for (int l = 0; l < 32; ++l)
            levels[32 * i + l] = uint8_t(levels[32 * i + l] | (((hmask[l] >> i) & 1) << 2));
}

// Row r's 2 low bits of value group g's levels into the group's 64 bytes
// at `at` (Q2_K's and Q3_K's layout): byte 4r + k holds those of values
// 16g + k, + 4, + 8, + 12 in bits 0-1, 2-3, 4-5, 6-7.
void packTwoBits(const uint8_t* levels, int g, int r, uint8_t* at)
{
    for (int k = 0; k < 4; ++k) {
        unsigned bits = 0;
        for (int i = 0; i < 4; ++i)
            bits |= unsigned(levels[16 * g + 4 * i + k] & 3) << (2 * i);
        at[4 * r + k] = uint8_t(bits);
    }
}

// Row r's Q2_K block `in` (scales and minimums, qs, d, dmin) into the group
// block `out`: its scale bytes as they are (scale low, minimum high).
void interleaveQ2KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 80, 2);
    std::memcpy(out + 32 + 2 * r, in + 82, 2);
    for (int g = 0; g < 16; ++g)
        out[64 + 16 * g + r] = in[g];
    uint8_t levels[256];
    twoBitLevels(in + 16, levels);
    for (int g = 0; g < 16; ++g)
        packTwoBits(levels, g, r, out + kQ2KHeadBytes + 64 * g);
}

// Scale j (-32..31) of a Q3_K block's 12 packed bytes: 4 low bits from
// bytes 0-7, 2 high bits from bytes 8-11.
int8_t q3Scale(const uint8_t* packed, int j)
{
    const int low = j < 8 ? packed[j] & 15 : packed[j - 8] >> 4;
    const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
    return int8_t((low | (high << 4)) - 32);
}

// Row r's Q3_K block `in` into the group block `out`.
void interleaveQ3KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 108, 2);
    for (int g = 0; g < 16; ++g)
        out[32 + 16 * g + r] = uint8_t(q3Scale(in + 96, g));
    uint8_t levels[256];
    q3Levels(in, levels);
    for (int g = 0; g < 16; ++g) {
        uint8_t* at = out + kSignedHeadBytes + valueGroup16Bytes<TensorType::Q3_K>() * g;
        packTwoBits(levels, g, r, at);
        unsigned thirdBits[4] = {};
        for (int k = 0; k < 4; ++k)
            for (int i = 0; i < 4; ++i)
                thirdBits[i] |= unsigned(levels[16 * g + 4 * i + k] >> 2) << k;
        for (int i = 0; i < 4; ++i)
            setMaskNibble(at + 64 + 8 * i, r, thirdBits[i]);
    }
}

// Levels (0..63) of a Q6_K block: ql's nibbles (ql[64h + l] holds values
// 128h + l and 128h + 64 + l, ql[64h + 32 + l] values 128h + 32 + l and
// 128h + 96 + l) and qh's bit pairs (qh[32h + l] holds those of values
// 128h + l, + 32, + 64, + 96 in bits 0-1, 2-3, 4-5, 6-7).
void q6Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* ql = block;
    const uint8_t* qh = block + 128;
    for (int h = 0; h < 2; ++h)
        for (int quarter = 0; quarter < 4; ++quarter)
            for (int l = 0; l < 32; ++l) {
                const uint8_t low = ql[64 * h + 32 * (quarter % 2) + l];
                levels[128 * h + 32 * quarter + l] = uint8_t(((quarter < 2 ? low : low >> 4) & 15) |
                                                             (((qh[32 * h + l] >> (2 * quarter)) & 3) << 4));
            }
}

// Row r's Q6_K block `in` into the group block `out`.
void interleaveQ6KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 208, 2);
    for (int g = 0; g < 16; ++g)
        out[32 + 16 * g + r] = in[192 + g];
    uint8_t levels[256];
    q6Levels(in, levels);
    for (int g = 0; g < 16; ++g) {
        uint8_t* at = out + 288 + 192 * g;
        for (int k = 0; k < 4; ++k) {
            uint8_t bits = 0;
            for (int i = 0; i < 4; ++i)
                bits = uint8_t(bits | ((levels[16 * g + 4 * i + k] >> 4) << (2 * i)));
            at[4 * r + k] = bits;
            for (int c = 0; c < 2; ++c) {
                const int j = 2 * g + c;
                at[64 * (c + 1) + 4 * r + k] = uint8_t((levels[8 * j + k] & 15) | ((levels[8 * j + 4 + k] & 15) << 4));
            }
        }
    }
}

// Row r's Q8_0 block b `in` into the group `out` of `blocks` blocks.
void interleaveQ8_0Block(const uint8_t* in, int r, uint64_t b, uint64_t blocks, uint8_t* out)
{
    std::memcpy(out + blocks * kQ8_0LevelBytes + 32 * b + 2 * r, in, 2);
    uint8_t* levels = out + kQ8_0LevelBytes * b;
    for (int j = 0; j < 8; ++j)
        for (int k = 0; k < 4; ++k)
            levels[64 * j + 4 * r + k] = uint8_t(in[2 + 4 * j + k] ^ 0x80);  // two's complement + 128
}

} // namespace

void interleaveRows16Groups(TensorType type, const std::byte* source, std::byte* target, uint64_t rowLength,
                            uint64_t groupBegin, uint64_t groupEnd)
{
    assert(hasRows16(type) && rowLength % blockValues(type) == 0);
    const uint64_t blockBytes = traits(type).blockBytes;  // in the file
    const uint64_t blocks = rowLength / blockValues(type), rowBytes = blocks * blockBytes;
    const uint64_t stride = groupBytes(type, rowLength), outBlockBytes = groupBlockBytes(type);
    for (uint64_t group = groupBegin; group < groupEnd; ++group) {
        auto* out = reinterpret_cast<uint8_t*>(target) + group * stride;
        if (stride > blocks * kQ8_0GroupBlockBytes && type == TensorType::Q8_0)
            std::memset(out + blocks * kQ8_0GroupBlockBytes, 0, stride - blocks * kQ8_0GroupBlockBytes);
        for (uint64_t b = 0; b < blocks; ++b)
            for (int r = 0; r < 16; ++r) {
                const auto* in =
                    reinterpret_cast<const uint8_t*>(source) + (group * 16 + uint64_t(r)) * rowBytes + b * blockBytes;
                switch (type) {
                case TensorType::Q2_K: interleaveQ2KBlock(in, r, out + b * outBlockBytes); break;
                case TensorType::Q3_K: interleaveQ3KBlock(in, r, out + b * outBlockBytes); break;
                case TensorType::Q4_K: interleaveQ4KBlock(in, r, out + b * outBlockBytes); break;
                case TensorType::Q5_K: interleaveQ5KBlock(in, r, out + b * outBlockBytes); break;
                case TensorType::Q6_K: interleaveQ6KBlock(in, r, out + b * outBlockBytes); break;
                default: interleaveQ8_0Block(in, r, b, blocks, out); break;
                }
            }
    }
}

void interleaveRows16(TensorType type, std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                      uint64_t rowLength)
{
    assert(rows % 16 == 0);
    assert(source.size() >= rows * tensorBytes(type, rowLength));
    assert(target.size() >= rows16Bytes(type, rows, rowLength));
    interleaveRows16Groups(type, source.data(), target.data(), rowLength, 0, rows / 16);
}

} // namespace ponder::cpu
