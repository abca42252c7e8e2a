// Dequantization in registers, shared by embed, matvec and the prefill matmul.
// Include types.glsl first (it selects the format and defines the reads).
//
// The chunk API, one implementation per format:
//   void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
//     values first .. first+7 of the block starting at byte `blockByte`;
//     `first` is a multiple of 8 below BLOCK_VALUES. For F32/F16/BF16 a
//     "block" is one value, so pass the byte of the first of the 8 values and
//     first = 0.
//   float dequantValue(uint byte)                  (F32/F16/BF16 only)
//     the one value at `byte`, for the ragged end of a row.
// Eight consecutive values is the unit a matmul tile loader wants (two vec4
// stores), and for every format it is a whole number of stored bytes. The
// bit layouts below follow engine/src/quant/*.cpp value for value.
#ifndef PONDER_DEQUANT_GLSL
#define PONDER_DEQUANT_GLSL

// The four bytes of `w` (little-endian order) as unsigned values.
vec4 unpackU8x4(uint w)
{
    return vec4(uvec4(w, w >> 8, w >> 16, w >> 24) & 0xffu);
}

// The four bytes of `w` as signed values.
vec4 unpackI8x4(uint w)
{
    return vec4((ivec4(w) << ivec4(24, 16, 8, 0)) >> 24);
}

// The low and the high nibbles of the four bytes of `w`.
vec4 nibblesLow(uint w)
{
    return unpackU8x4(w & 0x0f0f0f0fu);
}
vec4 nibblesHigh(uint w)
{
    return unpackU8x4((w >> 4) & 0x0f0f0f0fu);
}

// Byte i (0..11) of twelve bytes held in three words.
uint byteOf12(uvec3 w, uint i)
{
    const uint word = i < 4u ? w.x : (i < 8u ? w.y : w.z);
    return (word >> ((i & 3u) * 8u)) & 0xffu;
}

// Q4_K/Q5_K: the 6-bit scale (x) and min (y) of sub-block j (0..7) from the
// 12 packed scale bytes (engine/src/quant/k_scales.h).
uvec2 kScaleMin(uvec3 packed, uint j)
{
    if (j < 4u)
        return uvec2(byteOf12(packed, j) & 63u, byteOf12(packed, j + 4u) & 63u);
    const uint low = byteOf12(packed, j + 4u);
    return uvec2((low & 15u) | ((byteOf12(packed, j - 4u) >> 6) << 4),
                 (low >> 4) | ((byteOf12(packed, j) >> 6) << 4));
}

// Q3_K: the signed 6-bit scale of sub-block j (0..15), stored as scale + 32.
float q3kScale(uvec3 packed, uint j)
{
    const uint low = j < 8u ? byteOf12(packed, j) & 15u : byteOf12(packed, j - 8u) >> 4;
    const uint high = (byteOf12(packed, 8u + (j & 3u)) >> (2u * (j >> 2))) & 3u;
    return float(int(low | (high << 4)) - 32);
}

#if defined(TYPE_F32)

void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uint i = blockByte >> 2;
    lo = uintBitsToFloat(uvec4(quantWord(i), quantWord(i + 1u), quantWord(i + 2u), quantWord(i + 3u)));
    hi = uintBitsToFloat(uvec4(quantWord(i + 4u), quantWord(i + 5u), quantWord(i + 6u), quantWord(i + 7u)));
}

float dequantValue(uint byte)
{
    return uintBitsToFloat(quantWord(byte >> 2));
}

#elif defined(TYPE_F16)

void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uvec4 w = quantU32x4(blockByte);
    lo = vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y));
    hi = vec4(unpackHalf2x16(w.z), unpackHalf2x16(w.w));
}

float dequantValue(uint byte)
{
    return quantHalf(byte);
}

#elif defined(TYPE_BF16)

// bf16 is the top half of an f32.
vec2 unpackBf16x2(uint w)
{
    return uintBitsToFloat(uvec2(w << 16, w & 0xffff0000u));
}

void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uvec4 w = quantU32x4(blockByte);
    lo = vec4(unpackBf16x2(w.x), unpackBf16x2(w.y));
    hi = vec4(unpackBf16x2(w.z), unpackBf16x2(w.w));
}

float dequantValue(uint byte)
{
    return uintBitsToFloat(quantU16(byte) << 16);
}

#elif defined(TYPE_Q4_0)

// Value j < 16 is the low nibble of qs[j], value j + 16 its high nibble.
void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const float d = quantHalf(blockByte + Q4_0_D);
    const uvec2 q = quantU32x2(blockByte + Q4_0_QS + (first & 15u));
    if (first < 16u) {
        lo = d * (nibblesLow(q.x) - 8.0);
        hi = d * (nibblesLow(q.y) - 8.0);
    } else {
        lo = d * (nibblesHigh(q.x) - 8.0);
        hi = d * (nibblesHigh(q.y) - 8.0);
    }
}

#elif defined(TYPE_Q8_0)

void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const float d = quantHalf(blockByte + Q8_0_D);
    const uvec2 q = quantU32x2(blockByte + Q8_0_QS + first);
    lo = d * unpackI8x4(q.x);
    hi = d * unpackI8x4(q.y);
}

#elif defined(TYPE_Q2_K)

// Value w = 128h + 32s + l is bits 2s..2s+1 of qs[32h + l]; sub-block w/16
// has scale (low nibble) and min (high nibble) in scales[w/16].
void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uint h = first >> 7, shift = 2u * ((first >> 5) & 3u), l = first & 31u;
    const vec2 dm = unpackHalf2x16(quantU32(blockByte + Q2_K_DM));
    const uint sc = quantU8(blockByte + Q2_K_SCALES + (first >> 4));
    const float step = dm.x * float(sc & 15u), offset = dm.y * float(sc >> 4);
    const uvec2 q = (quantU32x2(blockByte + Q2_K_QS + 32u * h + l) >> shift) & 0x03030303u;
    lo = step * unpackU8x4(q.x) - offset;
    hi = step * unpackU8x4(q.y) - offset;
}

#elif defined(TYPE_Q3_K)

// As Q2_K for the low two bits; bit w/32 of hmask[l] set means +0, clear -4.
void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uint h = first >> 7, s = (first >> 5) & 3u, l = first & 31u;
    const float step = quantHalf(blockByte + Q3_K_D) * q3kScale(quantU32x3(blockByte + Q3_K_SCALES), first >> 4);
    const uvec2 low = (quantU32x2(blockByte + Q3_K_QS + 32u * h + l) >> (2u * s)) & 0x03030303u;
    const uvec2 high = (quantU32x2(blockByte + Q3_K_HMASK + l) >> (4u * h + s)) & 0x01010101u;
    const uvec2 q = low | (high << 2);  // 0..7, the level plus 4
    lo = step * (unpackU8x4(q.x) - 4.0);
    hi = step * (unpackU8x4(q.y) - 4.0);
}

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)

// For each 64-value chunk c, the low nibbles of qs[32c + l] are value 64c + l
// (sub-block 2c), the high nibbles value 64c + 32 + l (sub-block 2c + 1).
// Q5_K adds bit j (the sub-block) of qh[l] as 16.
void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uint c = first >> 6, j = first >> 5, l = first & 31u;
    const vec2 dm = unpackHalf2x16(quantU32(blockByte + Q4_K_DM));
    const uvec2 sm = kScaleMin(quantU32x3(blockByte + Q4_K_SCALES), j);
    const float step = dm.x * float(sm.x), offset = dm.y * float(sm.y);
#if defined(TYPE_Q4_K)
    const uvec2 q = (quantU32x2(blockByte + Q4_K_QS + 32u * c + l) >> (4u * (j & 1u))) & 0x0f0f0f0fu;
#else
    const uvec2 nibbles = (quantU32x2(blockByte + Q5_K_QS + 32u * c + l) >> (4u * (j & 1u))) & 0x0f0f0f0fu;
    const uvec2 fifth = (quantU32x2(blockByte + Q5_K_QH + l) >> j) & 0x01010101u;
    const uvec2 q = nibbles | (fifth << 4);
#endif
    lo = step * unpackU8x4(q.x) - offset;
    hi = step * unpackU8x4(q.y) - offset;
}

#elif defined(TYPE_Q6_K)

// Within half h (128 values), value 128h + 32k + l takes its low 4 bits from
// ql[64h + 32(k&1) + l] (low nibble for k < 2, high for k >= 2) and its high
// 2 bits from bits 2k..2k+1 of qh[32h + l]; level = stored - 32; sub-block
// w/16 has the signed scale scales[w/16].
void dequant8(uint blockByte, uint first, out vec4 lo, out vec4 hi)
{
    const uint h = first >> 7, k = (first >> 5) & 3u, l = first & 31u;
    const float d = quantHalf(blockByte + Q6_K_D);
    const float step = d * unpackI8x4(quantU8(blockByte + Q6_K_SCALES + (first >> 4))).x;
    const uvec2 low = (quantU32x2(blockByte + Q6_K_QL + 64u * h + 32u * (k & 1u) + l) >> (4u * (k >> 1))) & 0x0f0f0f0fu;
    const uvec2 high = (quantU32x2(blockByte + Q6_K_QH + 32u * h + l) >> (2u * k)) & 0x03030303u;
    const uvec2 q = low | (high << 4);
    lo = step * (unpackU8x4(q.x) - 32.0);
    hi = step * (unpackU8x4(q.y) - 32.0);
}

#endif

#endif
