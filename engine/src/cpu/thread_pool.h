// A persistent pool of worker threads for the CPU engine: the threads start
// once, at load, and every parallel step of the forward pass is one run()
// that hands each thread its index. Threads split work by output rows (or
// heads), so each streams its own part of the weights. Waking and joining
// cost a spin of a few microseconds while the pool is busy, and a futex
// wait once it has been idle longer: per token there are
// a few hundred barriers and no thread is created.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace ponder::cpu {

class ThreadPool {
public:
    // `threads` >= 1 threads in all: the caller of run() is thread 0, so
    // threads - 1 workers start here.
    explicit ThreadPool(unsigned threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    unsigned size() const { return unsigned(m_workers.size()) + 1; }

    // Calls task(thread) for thread = 0 .. size()-1, each on its own thread,
    // and returns when all have returned. Never allocates. An exception from
    // a task (std::bad_alloc in a kernel's scratch, say) is rethrown here,
    // on the caller's thread, once every thread has returned: on a worker it
    // would end the process, and the caller's error path turns it into a
    // message. With several, the first caught is rethrown.
    template <typename Task>
    void run(const Task& task)
    {
        runErased([](const void* context, unsigned thread) { (*static_cast<const Task*>(context))(thread); },
                  &task);
    }

private:
    using Function = void (*)(const void* context, unsigned thread);
    void runErased(Function function, const void* context);
    void workerLoop(unsigned thread);
    void waitWhileEquals(std::atomic<uint32_t>& value, uint32_t old);
    void wake(std::atomic<uint32_t>& value);
    void runCatching(unsigned thread) noexcept;

    std::vector<std::thread> m_workers;
    Function m_function = nullptr;
    const void* m_context = nullptr;
    // Bumped once per run(); workers wait for it to change.
    alignas(64) std::atomic<uint32_t> m_generation{0};
    // Workers still busy with the current run(); the caller waits for 0.
    alignas(64) std::atomic<uint32_t> m_pending{0};
    std::atomic<bool> m_stop{false};
    // The first exception of the current run(): written before its thread
    // counts itself out of m_pending, read after m_pending reaches 0.
    std::atomic<bool> m_failed{false};
    std::exception_ptr m_failure;
    // Threads asleep in the kernel (past their spin): a wake costs a system
    // call only when there are any.
    alignas(64) std::atomic<uint32_t> m_sleepers{0};
};

// The half-open range [begin, end) of `count` items, in whole multiples of
// `granularity` (the last range takes the remainder), that thread `thread`
// of `threads` owns: contiguous and about equal.
struct Range {
    size_t begin = 0;
    size_t end = 0;
};
Range splitRange(size_t count, size_t granularity, unsigned thread, unsigned threads);

// Hands out [0, count) in chunks of whole multiples of `granularity` to the
// threads of one run(). Each thread starts on its own contiguous share
// (splitRange) and takes it front to back, in chunks of a quarter of what
// it has left, so its weights are one unbroken stream: the hardware and the
// kernels' prefetch run on from one chunk into the next. A thread done with
// its share takes the back half of what another has left and goes on with
// that: a fixed split alone makes every thread wait at the next meeting
// for the one that ran late (on a shared or virtual machine a core is taken
// away now and then, and in decode the threads mostly wait for memory).
// Every item is still computed by exactly one thread, with the same code,
// so results do not depend on who took which chunk. reset() on the caller
// before run() (which publishes it to the workers); next() inside it.
//
// Shares before steals: a queue that dealt chunks first come, first served
// gave each thread scattered chunks, and two threads streamed a (1536,
// 1536) Q4_K matrix at 27.6 GB/s on the 2-core Xeon, against 32.1-32.7
// with one contiguous range each (BENCHMARKS.md).
class ChunkQueue {
public:
    // Room for up to `threads` threads' shares; reset() never allocates.
    explicit ChunkQueue(unsigned threads);

    void reset(size_t count, size_t granularity, unsigned threads);
    // The next chunk for `thread`, or an empty range once all are taken.
    Range next(unsigned thread);

private:
    // A thread's part left to take, [begin, end) in units of m_granularity,
    // packed into one word (begin low, end high) so the owner taking from
    // the front and a thief taking from the back agree by one exchange.
    struct alignas(64) Share {
        std::atomic<uint64_t> range{0};
    };
    static uint64_t pack(uint64_t begin, uint64_t end) { return begin | end << 32; }
    static uint64_t beginOf(uint64_t range) { return range & 0xFFFFFFFFu; }
    static uint64_t endOf(uint64_t range) { return range >> 32; }
    Range take(uint64_t begin, uint64_t end) const;
    bool steal(unsigned thread);

    std::vector<Share> m_shares;
    unsigned m_threads = 1;
    size_t m_count = 0;
    size_t m_granularity = 1;
};

} // namespace ponder::cpu
