// Tensor storage formats as the shaders see them: block geometry and field
// offsets of F32, F16, BF16, Q4_0, Q8_0 and Q2_K..Q6_K (FORMATS.md "Quant
// blocks"; engine/src/quant/*.cpp is the CPU truth), and byte-level reads.
//
// A quantized tensor is bound as a plain array of 32-bit words, not as block
// structs: most blocks are only 2-byte aligned (18, 34, 110, 210 bytes), and
// words need no 8- or 16-bit storage feature, so every Vulkan 1.2 device runs
// every format. Byte offsets are relative to the start of the binding.
//
// The including shader selects the format with one of TYPE_F32, TYPE_F16,
// TYPE_BF16, TYPE_Q4_0, TYPE_Q8_0, TYPE_Q2_K, TYPE_Q3_K, TYPE_Q4_K, TYPE_Q5_K,
// TYPE_Q6_K, and defines before including this file:
//   uint quantWord(uint index)   the index-th little-endian 32-bit word of the tensor binding
//
// Reads at an even byte offset may touch the two bytes after the field, in
// the same word; a binding must therefore extend to the tensor's end rounded
// up to a multiple of 4 bytes (GGUF pads tensors to 32 bytes).
#ifndef PONDER_TYPES_GLSL
#define PONDER_TYPES_GLSL

// BLOCK_VALUES values are stored in BLOCK_BYTES bytes; a row of `cols` values
// takes cols / BLOCK_VALUES * BLOCK_BYTES bytes.
#if defined(TYPE_F32)
const uint BLOCK_VALUES = 1, BLOCK_BYTES = 4;
#elif defined(TYPE_F16) || defined(TYPE_BF16)
const uint BLOCK_VALUES = 1, BLOCK_BYTES = 2;
#elif defined(TYPE_Q4_0)
const uint BLOCK_VALUES = 32, BLOCK_BYTES = 18;   // f16 d; u8 qs[16]
#elif defined(TYPE_Q8_0)
const uint BLOCK_VALUES = 32, BLOCK_BYTES = 34;   // f16 d; i8 qs[32]
#elif defined(TYPE_Q2_K)
const uint BLOCK_VALUES = 256, BLOCK_BYTES = 84;  // u8 scales[16]; u8 qs[64]; f16 d; f16 dmin
#elif defined(TYPE_Q3_K)
const uint BLOCK_VALUES = 256, BLOCK_BYTES = 110; // u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d
#elif defined(TYPE_Q4_K)
const uint BLOCK_VALUES = 256, BLOCK_BYTES = 144; // f16 d; f16 dmin; u8 scales[12]; u8 qs[128]
#elif defined(TYPE_Q5_K)
const uint BLOCK_VALUES = 256, BLOCK_BYTES = 176; // f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]
#elif defined(TYPE_Q6_K)
const uint BLOCK_VALUES = 256, BLOCK_BYTES = 210; // u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d
#else
#error "define one TYPE_* for the tensor format"
#endif

// Field offsets in bytes from the start of a block.
const uint Q4_0_D = 0, Q4_0_QS = 2;
const uint Q8_0_D = 0, Q8_0_QS = 2;
const uint Q2_K_SCALES = 0, Q2_K_QS = 16, Q2_K_DM = 80;            // DM: d then dmin
const uint Q3_K_HMASK = 0, Q3_K_QS = 32, Q3_K_SCALES = 96, Q3_K_D = 108;
const uint Q4_K_DM = 0, Q4_K_SCALES = 4, Q4_K_QS = 16;
const uint Q5_K_DM = 0, Q5_K_SCALES = 4, Q5_K_QH = 16, Q5_K_QS = 48;
const uint Q6_K_QL = 0, Q6_K_QH = 128, Q6_K_SCALES = 192, Q6_K_D = 208;

// The byte at `offset`.
uint quantU8(uint offset)
{
    return (quantWord(offset >> 2) >> ((offset & 3u) * 8u)) & 0xffu;
}

// The little-endian u16 at an even `offset`.
uint quantU16(uint offset)
{
    return (quantWord(offset >> 2) >> ((offset & 2u) * 8u)) & 0xffffu;
}

// Four bytes at an even `offset` as one word: one load when 4-aligned, else
// the halves of two.
uint quantU32(uint offset)
{
    const uint i = offset >> 2;
    if ((offset & 2u) == 0u)
        return quantWord(i);
    return (quantWord(i) >> 16) | (quantWord(i + 1u) << 16);
}

// Eight bytes at an even `offset` as two words (two or three loads).
uvec2 quantU32x2(uint offset)
{
    const uint i = offset >> 2;
    const uint a = quantWord(i), b = quantWord(i + 1u);
    if ((offset & 2u) == 0u)
        return uvec2(a, b);
    const uint c = quantWord(i + 2u);
    return uvec2((a >> 16) | (b << 16), (b >> 16) | (c << 16));
}

// Twelve bytes at an even `offset` as three words.
uvec3 quantU32x3(uint offset)
{
    const uint i = offset >> 2;
    const uint a = quantWord(i), b = quantWord(i + 1u), c = quantWord(i + 2u);
    if ((offset & 2u) == 0u)
        return uvec3(a, b, c);
    const uint d = quantWord(i + 3u);
    return uvec3((a >> 16) | (b << 16), (b >> 16) | (c << 16), (c >> 16) | (d << 16));
}

// Sixteen bytes at an even `offset` as four words.
uvec4 quantU32x4(uint offset)
{
    const uint i = offset >> 2;
    const uvec4 w = uvec4(quantWord(i), quantWord(i + 1u), quantWord(i + 2u), quantWord(i + 3u));
    if ((offset & 2u) == 0u)
        return w;
    const uint e = quantWord(i + 4u);
    return (w >> 16) | (uvec4(w.yzw, e) << 16);
}

// The f16 at an even `offset`, widened.
float quantHalf(uint offset)
{
    return unpackHalf2x16(quantU16(offset)).x;
}

#endif
