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

// Hands out [0, count) in chunks of whole multiples of `granularity`, first
// come, first served, to the threads of one run(). A fixed split makes every
// thread wait at the next meeting for the one that ran late (on a shared or
// virtual machine a core is taken away now and then, and in decode the
// threads mostly wait for memory); with chunks, the others take its share.
// Every item is still computed by exactly one thread, with the same code,
// so results do not depend on who took which chunk. reset() on the caller
// before run() (which publishes it to the workers); next() inside it.
//
// Chunks shrink as the range runs out (each a 1/(2 threads) share of what
// is left, "guided"): the first are long, unbroken streams of weights, the
// last small, so the threads finish together. With equal chunks (1/16 of
// the range on 2 threads) one thread waited at each meeting for half a
// chunk on average: 4-6% of a decode step.
class ChunkQueue {
public:
    // The smallest chunk, as a share of one thread's part of the range:
    // fine enough to even out the end, still tens of kilobytes of weights.
    static constexpr size_t kSmallestPerThread = 32;

    void reset(size_t count, size_t granularity, unsigned threads);
    // The next chunk, or an empty range once all are taken.
    Range next();

private:
    alignas(64) std::atomic<size_t> m_next{0};  // in units of m_granularity
    size_t m_count = 0;
    size_t m_units = 0;
    size_t m_granularity = 1;
    size_t m_smallest = 1;  // units
    size_t m_divisor = 2;   // 2 threads
};

} // namespace ponder::cpu
