#include "cpu/thread_pool.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ponder::cpu {
namespace {

// Pause iterations before sleeping: about 20-50 microseconds on current
// x86 cores, longer than the gap between two parallel steps of a token,
// far shorter than the gap between tokens of a person's chat.
constexpr int kSpins = 4000;

inline void pause()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// Sleeps while `value` holds `old` (it may return early; callers re-check).
// A raw futex on Linux: libstdc++ 12's std::atomic::wait lost wake-ups here.
void sleepWhileEquals(std::atomic<uint32_t>& value, uint32_t old)
{
#if defined(__linux__)
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&value), FUTEX_WAIT_PRIVATE, old, nullptr, nullptr, 0);
#else
    value.wait(old, std::memory_order_seq_cst);
#endif
}

void wakeAll(std::atomic<uint32_t>& value)
{
#if defined(__linux__)
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&value), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
#else
    value.notify_all();
#endif
}

} // namespace

// Waits until `value` differs from `old`: spins first, then sleeps in the
// kernel. A sleeper counts itself in m_sleepers before its last check, and
// a waker changes the value before it reads m_sleepers (both sequentially
// consistent), so either the sleeper sees the new value or the waker sees
// the sleeper and wakes it.
void ThreadPool::waitWhileEquals(std::atomic<uint32_t>& value, uint32_t old)
{
    for (int i = 0; i < kSpins; ++i) {
        if (value.load(std::memory_order_acquire) != old)
            return;
        pause();
    }
    m_sleepers.fetch_add(1, std::memory_order_seq_cst);
    while (value.load(std::memory_order_seq_cst) == old)
        sleepWhileEquals(value, old);
    m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
}

void ThreadPool::wake(std::atomic<uint32_t>& value)
{
    if (m_sleepers.load(std::memory_order_seq_cst) > 0)
        wakeAll(value);
}

ThreadPool::ThreadPool(unsigned threads)
{
    const unsigned workers = threads > 1 ? threads - 1 : 0;
    m_workers.reserve(workers);
    for (unsigned i = 0; i < workers; ++i)
        m_workers.emplace_back([this, i] { workerLoop(i + 1); });
}

ThreadPool::~ThreadPool()
{
    m_stop.store(true, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_seq_cst);
    wakeAll(m_generation);
    for (auto& worker : m_workers)
        worker.join();
}

void ThreadPool::runErased(Function function, const void* context)
{
    if (m_workers.empty()) {
        function(context, 0);
        return;
    }
    m_function = function;
    m_context = context;
    m_pending.store(uint32_t(m_workers.size()), std::memory_order_relaxed);
    m_generation.fetch_add(1, std::memory_order_seq_cst);
    wake(m_generation);
    // Thread 0's exception waits too: the workers still read the task.
    runCatching(0);
    for (uint32_t left = m_pending.load(std::memory_order_acquire); left != 0;
         left = m_pending.load(std::memory_order_acquire))
        waitWhileEquals(m_pending, left);
    if (m_failed.load(std::memory_order_acquire)) {
        m_failed.store(false, std::memory_order_relaxed);
        std::rethrow_exception(std::exchange(m_failure, nullptr));
    }
}

void ThreadPool::runCatching(unsigned thread) noexcept
{
    try {
        m_function(m_context, thread);
    } catch (...) {
        if (!m_failed.exchange(true, std::memory_order_acq_rel))
            m_failure = std::current_exception();
    }
}

void ThreadPool::workerLoop(unsigned thread)
{
    // The generation before any run(): a run() may begin before this thread
    // first looks, and must not be mistaken for the one it has seen.
    uint32_t seen = 0;
    for (;;) {
        waitWhileEquals(m_generation, seen);
        seen = m_generation.load(std::memory_order_acquire);
        if (m_stop.load(std::memory_order_acquire))
            return;
        runCatching(thread);
        if (m_pending.fetch_sub(1, std::memory_order_seq_cst) == 1)
            wake(m_pending);
    }
}

Range splitRange(size_t count, size_t granularity, unsigned thread, unsigned threads)
{
    const size_t units = (count + granularity - 1) / granularity;
    const size_t base = units / threads;
    const size_t extra = units % threads;
    const size_t first = thread * base + std::min<size_t>(thread, extra);
    const size_t taken = base + (thread < extra ? 1 : 0);
    Range r;
    r.begin = std::min(count, first * granularity);
    r.end = std::min(count, (first + taken) * granularity);
    return r;
}

ChunkQueue::ChunkQueue(unsigned threads) : m_shares(std::max(threads, 1u)) {}

void ChunkQueue::reset(size_t count, size_t granularity, unsigned threads)
{
    assert(threads >= 1 && threads <= m_shares.size());
    m_threads = threads;
    m_granularity = std::max<size_t>(granularity, 1);
    m_count = count;
    const size_t units = (count + m_granularity - 1) / m_granularity;
    assert(units < (uint64_t(1) << 32));
    for (unsigned t = 0; t < threads; ++t) {
        const Range share = splitRange(units, 1, t, threads);
        m_shares[t].range.store(pack(share.begin, share.end), std::memory_order_relaxed);
    }
}

Range ChunkQueue::take(uint64_t begin, uint64_t end) const
{
    return {std::min(m_count, size_t(begin) * m_granularity), std::min(m_count, size_t(end) * m_granularity)};
}

Range ChunkQueue::next(unsigned thread)
{
    std::atomic<uint64_t>& mine = m_shares[thread].range;
    for (;;) {
        uint64_t range = mine.load(std::memory_order_relaxed);
        for (;;) {
            const uint64_t begin = beginOf(range), end = endOf(range);
            if (begin >= end)
                break;
            const uint64_t taken = std::max<uint64_t>((end - begin) / 4, 1);
            if (mine.compare_exchange_weak(range, pack(begin + taken, end), std::memory_order_relaxed))
                return take(begin, begin + taken);
        }
        if (!steal(thread))
            return {m_count, m_count};
    }
}

// Moves the back half of the next other share that has any left (in
// thread order after `thread`) into `thread`'s (empty) share; false once no other thread has anything left. Only the
// owner writes its share while it is empty, and a thief's exchange on a
// share fails if the owner or another thief changed it first.
bool ChunkQueue::steal(unsigned thread)
{
    for (unsigned step = 1; step < m_threads; ++step) {
        std::atomic<uint64_t>& theirs = m_shares[(thread + step) % m_threads].range;
        uint64_t range = theirs.load(std::memory_order_relaxed);
        for (;;) {
            const uint64_t begin = beginOf(range), end = endOf(range);
            if (begin >= end)
                break;
            const uint64_t middle = end - std::max<uint64_t>((end - begin) / 2, 1);
            if (theirs.compare_exchange_weak(range, pack(begin, middle), std::memory_order_relaxed)) {
                m_shares[thread].range.store(pack(middle, end), std::memory_order_relaxed);
                return true;
            }
        }
    }
    return false;
}

} // namespace ponder::cpu
