// Elementwise kernels: silu_mul (SwiGLU) and add (residual).
#include <algorithm>
#include <array>
#include <string>

#include "elementwise_push.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"

namespace ponder {
namespace {

// Memory-bound: 256 invocations keep several waves of loads in flight per
// workgroup on every vendor; the grid is capped at Vulkan's smallest
// maxComputeWorkGroupCount and the shaders stride over the rest.
constexpr uint32_t kBlock = 256;
constexpr uint64_t kMaxGroups = 65535;

// Records `shader` over count floats of three same-shaped bindings, in
// chunks that each fit one binding (at most maxBinding bytes, 0: the
// device's range; a prefill batch's feed-forward activations can pass
// lavapipe's 128 MiB). Chunks start at multiples of the offset alignment.
Result<void> dispatchElementwise(const Kernels& kernels, vk::CommandRecorder& recorder, ShaderId shader,
                                 const char* name, uint64_t count, const std::array<vk::BufferRange, 3>& ranges,
                                 uint64_t maxBinding)
{
    if (count == 0)
        return fail(ErrorCode::InvalidArgument, std::string(name) + " of no elements");
    for (const auto& range : ranges)
        PONDER_TRY(checkBinding(range, count, 4, name));
    const vk::AdapterInfo& adapter = kernels.device().adapter();
    if (maxBinding == 0 || maxBinding > adapter.maxStorageBufferRange)
        maxBinding = adapter.maxStorageBufferRange;
    const uint64_t alignment = std::max<uint64_t>(adapter.minStorageBufferOffsetAlignment, 4);
    // Floats per chunk: the bytes are a multiple of the alignment, and the count fits the shader's u32.
    const uint64_t chunk = std::min<uint64_t>(maxBinding, uint64_t(1) << 32) / alignment * alignment / 4;
    if (chunk == 0)
        return fail(ErrorCode::Unsupported, std::string(name) + ": the device binds fewer bytes than one chunk");
    if (count > chunk)
        for (const auto& range : ranges)
            if (range.offset % alignment != 0)
                return fail(ErrorCode::InvalidArgument, std::string(name) + ": a binding at byte " +
                                                            std::to_string(range.offset) +
                                                            " is not aligned for splitting");

    const std::array<uint32_t, 1> spec{kBlock};
    auto pipeline = kernels.pipeline({shader, 3, sizeof(kernels::ElementwisePush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    for (uint64_t first = 0; first < count; first += chunk) {
        const uint64_t n = std::min(chunk, count - first);
        const auto part = [&](const vk::BufferRange& r) { return vk::BufferRange{r.buffer, r.offset + first * 4, n * 4}; };
        const kernels::ElementwisePush push{uint32_t(n)};
        const auto groups = uint32_t(std::min((n + kBlock - 1) / kBlock, kMaxGroups));
        PONDER_TRY(recorder.dispatch(**pipeline, {part(ranges[0]), part(ranges[1]), part(ranges[2])}, &push, groups));
    }
    return {};
}

} // namespace

Result<void> Kernels::siluMul(vk::CommandRecorder& recorder, uint64_t count, const vk::BufferRange& out,
                              const vk::BufferRange& gate, const vk::BufferRange& up, uint64_t maxBindingBytes) const
{
    return dispatchElementwise(*this, recorder, ShaderId::SiluMul, "silu_mul", count, {out, gate, up},
                               maxBindingBytes);
}

Result<void> Kernels::add(vk::CommandRecorder& recorder, uint64_t count, const vk::BufferRange& y,
                          const vk::BufferRange& a, const vk::BufferRange& b, uint64_t maxBindingBytes) const
{
    return dispatchElementwise(*this, recorder, ShaderId::Add, "add", count, {y, a, b}, maxBindingBytes);
}

} // namespace ponder
