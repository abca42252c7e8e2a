// Records compute dispatches and copies into one command buffer, owns the
// descriptor sets they bind, and submits it. A recording can be submitted
// many times (decode replays one recording per token). Optionally profiles:
// GPU timestamps around every dispatch, summed per shader.
#pragma once

#include <vulkan/vulkan.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/error.h"
#include "ponder/vk/buffer.h"

namespace ponder::vk {

class Device;
class ComputePipeline;

// GPU time of one kind of command in a profiled submission.
struct KernelTime {
    std::string name;          // the shader's build name ("matvec_q4_k", shaderName()), or "copy"
    uint64_t nanoseconds = 0;  // summed over its commands
    uint32_t count = 0;        // dispatches (or copies) of it in the recording
};

// What a recording holds: each barrier is a phase boundary the GPU must
// drain (every earlier command finishes before any later one starts).
struct RecordingCounts {
    uint32_t dispatches = 0;
    uint32_t barriers = 0;
    uint32_t copies = 0;
};

class CommandRecorder {
public:
    static Result<std::unique_ptr<CommandRecorder>> create(const Device& device);
    ~CommandRecorder();
    CommandRecorder(const CommandRecorder&) = delete;
    CommandRecorder& operator=(const CommandRecorder&) = delete;

    // Starts a new recording, dropping the previous one and its descriptor sets.
    Result<void> begin();
    // Binds `buffers` to bindings 0..n-1 and dispatches `groups` workgroups.
    // `push` points at pipeline.pushConstantSize() bytes (may be null when 0).
    Result<void> dispatch(const ComputePipeline& pipeline, std::initializer_list<BufferRange> buffers,
                          const void* push, uint32_t groupsX, uint32_t groupsY = 1, uint32_t groupsZ = 1);
    // Makes every earlier write visible to every later read or write
    // (compute and transfer alike).
    void barrier();
    void copy(const BufferRange& source, const BufferRange& destination);
    Result<void> end();

    // Submits the finished recording and waits for it.
    Result<void> submitAndWait();
    // Submits the finished recording without waiting (at most one submission
    // in flight per recorder); wait() blocks until it is done.
    Result<void> submit();
    // Blocks until the submission is done, at most hangTimeout(): a GPU that
    // stops without reporting device loss gives a DeviceLost error ("seems to
    // have hung") instead of blocking forever, and marks the device hung. The
    // submission stays in flight; a later wait() may still see it finish.
    Result<void> wait();
    // How long wait() lets one submission run. The default is far above any
    // real step (a 512-token prefill chunk of a 1.5B model on lavapipe takes
    // about two minutes, on a GPU well under a second).
    static constexpr std::chrono::milliseconds kDefaultHangTimeout{std::chrono::minutes(5)};
    void setHangTimeout(std::chrono::milliseconds timeout) { m_hangTimeout = timeout; }
    std::chrono::milliseconds hangTimeout() const { return m_hangTimeout; }
    bool inFlight() const { return m_inFlight; }

    VkCommandBuffer handle() const { return m_commands; }
    // Commands in the current (or last finished) recording; begin() resets them.
    const RecordingCounts& counts() const { return m_counts; }

    // Profiling, off by default and free when off. While on, each recording
    // begin() starts also writes a GPU timestamp at its start and after every
    // dispatch and copy, and the interval ending at a command's timestamp is
    // charged to it. On a GPU that overlaps dispatches between barriers that
    // interval is the time between completions, so the sums still add up to
    // the submission's GPU time. Takes effect at the next begin(); an
    // Unsupported error when the queue has no timestamps.
    Result<void> setProfiling(bool on);
    bool profiling() const { return m_profiling; }
    // Per-shader GPU time of the last completed submission of the current
    // recording, in the order each shader first ran. An error when that
    // recording was not profiled or has not completed a submission.
    Result<std::vector<KernelTime>> profile() const;

private:
    explicit CommandRecorder(const Device& device) : m_device(device) {}
    Result<VkDescriptorSet> allocateSet(VkDescriptorSetLayout layout);
    // Writes the next timestamp, closing the interval charged to `label`
    // (empty for the recording's first timestamp).
    void writeTimestamp(std::string_view label);

    const Device& m_device;
    VkCommandPool m_pool = VK_NULL_HANDLE;
    VkCommandBuffer m_commands = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    std::vector<VkDescriptorPool> m_descriptorPools;  // the last one has room; all reset by begin()
    size_t m_activePool = 0;
    bool m_recording = false;
    bool m_inFlight = false;
    bool m_completed = false;  // a submission of the current recording has finished
    std::chrono::milliseconds m_hangTimeout = kDefaultHangTimeout;
    RecordingCounts m_counts;

    bool m_profiling = false;   // asked for: applies from the next begin()
    bool m_profiled = false;    // the current recording writes timestamps
    uint64_t m_timestampMask = ~0ull;          // the queue's timestampValidBits
    std::vector<VkQueryPool> m_queryPools;     // kQueriesPerPool each, added as recordings need them
    std::vector<std::string_view> m_labels;    // per timestamp: the command it ends ("" for the first)
    Result<void> m_profileError;               // a query pool that could not be created, reported by end()
};

} // namespace ponder::vk
