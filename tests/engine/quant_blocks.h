// Quant blocks written by hand for tst_quant, straight from the layouts in
// FORMATS.md and ggml's block structs, independent of the engine's packers:
// - baseBlock(): one block per format that decodes to all ones;
// - kPokes: one byte of a base block changed, and which values that must move;
// - buildBlocks(): blocks of random levels, scales and mins, packed value by
//   value, with the floats they must decode to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "ponder/half.h"
#include "ponder/tensor_type.h"

namespace test {

using ponder::TensorType;

inline void put16(std::vector<std::byte>& b, size_t at, uint16_t v)
{
    b[at] = std::byte(v & 0xff);
    b[at + 1] = std::byte(v >> 8);
}

inline std::vector<std::byte> filled(size_t size, size_t from, size_t count, uint8_t value, std::vector<std::byte> b = {})
{
    if (b.empty())
        b.assign(size, std::byte(0));
    for (size_t i = from; i < from + count; ++i)
        b[i] = std::byte(value);
    return b;
}

// d = dmin = 1, every scale 1, every min 0, every level 1.
inline std::vector<std::byte> baseBlock(TensorType type)
{
    constexpr uint16_t kOne = 0x3c00;
    std::vector<std::byte> b;
    switch (type) {
    case TensorType::Q4_0:  // f16 d; u8 qs[16]; level 9 - 8 = 1
        b = filled(18, 2, 16, 0x99);
        put16(b, 0, kOne);
        break;
    case TensorType::Q8_0:  // f16 d; i8 qs[32]
        b = filled(34, 2, 32, 0x01);
        put16(b, 0, kOne);
        break;
    case TensorType::Q2_K:  // u8 scales[16] (scale | min << 4); u8 qs[64]; f16 d; f16 dmin
        b = filled(84, 0, 16, 0x01);
        b = filled(84, 16, 64, 0x55, b);
        put16(b, 80, kOne);
        put16(b, 82, kOne);
        break;
    case TensorType::Q3_K:  // u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d
        b = filled(110, 0, 32, 0xff);        // high bits set: no "- 4"
        b = filled(110, 32, 64, 0x55, b);    // low 2 bits 01
        b = filled(110, 96, 8, 0x11, b);     // scale low nibbles 1
        b = filled(110, 104, 4, 0xaa, b);    // scale top bits 2: 1 + 32 stored
        put16(b, 108, kOne);
        break;
    case TensorType::Q4_K:  // f16 d; f16 dmin; u8 scales[12]; u8 qs[128]
    case TensorType::Q5_K:  // f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]
    {
        const bool five = type == TensorType::Q5_K;
        b = filled(five ? 176 : 144, 4, 4, 0x01);  // scales 0-3
        b = filled(b.size(), 12, 4, 0x01, b);      // scales 4-7 low bits, mins 4-7 zero
        b = filled(b.size(), five ? 48 : 16, 128, 0x11, b);
        put16(b, 0, kOne);
        put16(b, 2, kOne);
        break;
    }
    case TensorType::Q6_K:  // u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d; level 33 - 32
        b = filled(210, 0, 128, 0x11);
        b = filled(210, 128, 64, 0xaa, b);
        b = filled(210, 192, 16, 0x01, b);
        put16(b, 208, kOne);
        break;
    default: break;
    }
    return b;
}

struct Poke {
    const char* what;
    TensorType type;
    int offset;  // byte in the block
    int byte;    // its new value
    int first;   // values [first, first + count) become `value`
    int count;
    float value;
};

inline const Poke kPokes[] = {
    {"Q4_0 d is bytes 0-1", TensorType::Q4_0, 1, 0x40, 0, 32, 2.f},
    {"Q4_0 low nibble of qs[3] is value 3", TensorType::Q4_0, 5, 0x9b, 3, 1, 3.f},
    {"Q4_0 high nibble of qs[3] is value 19", TensorType::Q4_0, 5, 0x29, 19, 1, -6.f},
    {"Q8_0 d is bytes 0-1", TensorType::Q8_0, 1, 0x40, 0, 32, 2.f},
    {"Q8_0 qs[5] is value 5, signed", TensorType::Q8_0, 7, 0xfe, 5, 1, -2.f},
    {"Q2_K d is bytes 80-81", TensorType::Q2_K, 81, 0x40, 0, 256, 2.f},
    {"Q2_K low nibble of scales[5] scales values 80-95", TensorType::Q2_K, 5, 0x04, 80, 16, 4.f},
    {"Q2_K high nibble of scales[5] is their min", TensorType::Q2_K, 5, 0x31, 80, 16, -2.f},
    {"Q2_K qs[0] bits 0-1 are value 0", TensorType::Q2_K, 16, 0x57, 0, 1, 3.f},
    {"Q2_K qs[0] bits 2-3 are value 32", TensorType::Q2_K, 16, 0x5d, 32, 1, 3.f},
    {"Q2_K qs[40] bits 6-7 are value 232", TensorType::Q2_K, 56, 0x15, 232, 1, 0.f},
    {"Q3_K d is bytes 108-109", TensorType::Q3_K, 109, 0x40, 0, 256, 2.f},
    {"Q3_K hmask[3] bit 2 is value 67", TensorType::Q3_K, 3, 0xfb, 67, 1, -3.f},
    {"Q3_K hmask[31] bit 7 is value 255", TensorType::Q3_K, 31, 0x7f, 255, 1, -3.f},
    {"Q3_K qs[33] bits 2-3 are value 161", TensorType::Q3_K, 65, 0x5d, 161, 1, 3.f},
    {"Q3_K low nibble of scales[2] is scale 2", TensorType::Q3_K, 98, 0x13, 32, 16, 3.f},
    {"Q3_K high nibble of scales[2] is scale 10", TensorType::Q3_K, 98, 0x51, 160, 16, 5.f},
    {"Q3_K scales[10] bits 0-1 top scale 2", TensorType::Q3_K, 106, 0xa8, 32, 16, -31.f},
    {"Q3_K scales[9] bits 6-7 top scale 13", TensorType::Q3_K, 105, 0x2a, 208, 16, -31.f},
    {"Q4_K d is bytes 0-1", TensorType::Q4_K, 1, 0x40, 0, 256, 2.f},
    {"Q4_K low nibble of qs[33] is value 65", TensorType::Q4_K, 49, 0x17, 65, 1, 7.f},
    {"Q4_K high nibble of qs[33] is value 97", TensorType::Q4_K, 49, 0x71, 97, 1, 7.f},
    {"Q4_K scales[2] is scale 2", TensorType::Q4_K, 6, 0x05, 64, 32, 5.f},
    {"Q4_K scales[6] is min 2", TensorType::Q4_K, 10, 0x03, 64, 32, -2.f},
    {"Q4_K low nibble of scales[9] is scale 5", TensorType::Q4_K, 13, 0x06, 160, 32, 6.f},
    {"Q4_K high nibble of scales[9] is min 5", TensorType::Q4_K, 13, 0x31, 160, 32, -2.f},
    {"Q4_K scales[1] bits 6-7 top scale 5", TensorType::Q4_K, 5, 0x41, 160, 32, 17.f},
    {"Q4_K scales[7] bits 6-7 top min 7", TensorType::Q4_K, 11, 0x40, 224, 32, -15.f},
    {"Q5_K d is bytes 0-1", TensorType::Q5_K, 1, 0x40, 0, 256, 2.f},
    {"Q5_K qh[2] bit 3 is value 98", TensorType::Q5_K, 18, 0x08, 98, 1, 17.f},
    {"Q5_K qh[2] bit 6 is value 194", TensorType::Q5_K, 18, 0x40, 194, 1, 17.f},
    {"Q5_K low nibble of qs[100] is value 196", TensorType::Q5_K, 148, 0x1f, 196, 1, 15.f},
    {"Q5_K low nibble of scales[8] is scale 4", TensorType::Q5_K, 12, 0x03, 128, 32, 3.f},
    {"Q6_K d is bytes 208-209", TensorType::Q6_K, 209, 0x40, 0, 256, 2.f},
    {"Q6_K high nibble of ql[40] is value 104", TensorType::Q6_K, 40, 0x61, 104, 1, 6.f},
    {"Q6_K low nibble of ql[64] is value 128", TensorType::Q6_K, 64, 0x13, 128, 1, 3.f},
    {"Q6_K qh[37] bits 0-1 are value 133", TensorType::Q6_K, 165, 0xab, 133, 1, 17.f},
    {"Q6_K qh[37] bits 6-7 are value 229", TensorType::Q6_K, 165, 0x2a, 229, 1, -31.f},
    {"Q6_K scales[7] is values 112-127, signed", TensorType::Q6_K, 199, 0xfd, 112, 16, -3.f},
};

struct HandBuilt {
    std::vector<std::byte> bytes;
    std::vector<float> expected;
};

inline void orBits(std::vector<std::byte>& b, size_t at, int value, int shift)
{
    b[at] |= std::byte(uint8_t(value << shift));
}

// `blocks` blocks with random levels and scales; d and dmin are chosen so
// every expected value is exact in float whatever the order of operations.
inline HandBuilt buildBlocks(TensorType type, int blocks, std::mt19937& rng)
{
    const float ds[] = {0.5f, -1.5f, 0.25f, 3.f};
    const float dmins[] = {0.25f, 0.125f, 1.f, 0.5f};
    auto random = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const auto& t = ponder::traits(type);
    HandBuilt out;
    for (int blk = 0; blk < blocks; ++blk) {
        std::vector<std::byte> b(t.blockBytes, std::byte(0));
        const float d = ds[blk % 4], dmin = dmins[blk % 4];
        std::vector<float> y(t.blockSize);
        int sc[16], mn[16];
        switch (type) {
        case TensorType::Q4_0:
            put16(b, 0, ponder::floatToHalf(d));
            for (int w = 0; w < 32; ++w) {
                const int q = random(0, 15);
                orBits(b, 2 + w % 16, q, w < 16 ? 0 : 4);
                y[w] = d * float(q - 8);
            }
            break;
        case TensorType::Q8_0:
            put16(b, 0, ponder::floatToHalf(d));
            for (int w = 0; w < 32; ++w) {
                const int q = random(-128, 127);
                b[2 + w] = std::byte(uint8_t(q));
                y[w] = d * float(q);
            }
            break;
        case TensorType::Q2_K:
            put16(b, 80, ponder::floatToHalf(d));
            put16(b, 82, ponder::floatToHalf(dmin));
            for (int j = 0; j < 16; ++j) {
                sc[j] = random(0, 15), mn[j] = random(0, 15);
                b[j] = std::byte(uint8_t(sc[j] | mn[j] << 4));
            }
            for (int w = 0; w < 256; ++w) {
                const int q = random(0, 3);
                orBits(b, 16 + 32 * (w / 128) + w % 32, q, 2 * ((w % 128) / 32));
                y[w] = d * float(sc[w / 16] * q) - dmin * float(mn[w / 16]);
            }
            break;
        case TensorType::Q3_K:
            put16(b, 108, ponder::floatToHalf(d));
            for (int j = 0; j < 16; ++j) {
                sc[j] = random(-32, 31);
                const int stored = sc[j] + 32;
                orBits(b, 96 + j % 8, stored & 15, j < 8 ? 0 : 4);
                orBits(b, 104 + j % 4, stored >> 4, 2 * (j / 4));
            }
            for (int w = 0; w < 256; ++w) {
                const int q = random(-4, 3), stored = q + 4;
                orBits(b, 32 + 32 * (w / 128) + w % 32, stored & 3, 2 * ((w % 128) / 32));
                orBits(b, w % 32, stored >> 2, w / 32);
                y[w] = d * float(sc[w / 16] * q);
            }
            break;
        case TensorType::Q4_K:
        case TensorType::Q5_K: {
            const bool five = type == TensorType::Q5_K;
            put16(b, 0, ponder::floatToHalf(d));
            put16(b, 2, ponder::floatToHalf(dmin));
            for (int j = 0; j < 8; ++j) {
                sc[j] = random(0, 63), mn[j] = random(0, 63);
                if (j < 4) {
                    orBits(b, 4 + j, sc[j], 0);
                    orBits(b, 4 + j + 4, mn[j], 0);
                } else {
                    orBits(b, 4 + j + 4, (sc[j] & 15) | (mn[j] & 15) << 4, 0);
                    orBits(b, 4 + j - 4, sc[j] >> 4, 6);
                    orBits(b, 4 + j, mn[j] >> 4, 6);
                }
            }
            for (int w = 0; w < 256; ++w) {
                const int q = random(0, five ? 31 : 15);
                orBits(b, (five ? 48 : 16) + 32 * (w / 64) + w % 32, q & 15, (w % 64) < 32 ? 0 : 4);
                if (five)
                    orBits(b, 16 + w % 32, q >> 4, w / 32);
                y[w] = d * float(sc[w / 32] * q) - dmin * float(mn[w / 32]);
            }
            break;
        }
        case TensorType::Q6_K:
            put16(b, 208, ponder::floatToHalf(d));
            for (int j = 0; j < 16; ++j) {
                sc[j] = random(-128, 127);
                b[192 + j] = std::byte(uint8_t(sc[j]));
            }
            for (int w = 0; w < 256; ++w) {
                const int q = random(-32, 31), stored = q + 32;
                const int quarter = (w % 128) / 32;
                orBits(b, 64 * (w / 128) + w % 32 + 32 * (quarter % 2), stored & 15, quarter < 2 ? 0 : 4);
                orBits(b, 128 + 32 * (w / 128) + w % 32, stored >> 4, 2 * quarter);
                y[w] = d * float(sc[w / 16] * q);
            }
            break;
        default: break;
        }
        out.bytes.insert(out.bytes.end(), b.begin(), b.end());
        out.expected.insert(out.expected.end(), y.begin(), y.end());
    }
    return out;
}

} // namespace test
