#include "cpu/resident_weights.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cpu/huge_page_memory.h"
#include "cpu/rows16.h"
#include "cpu/read_in.h"
#include "cpu/scratch_layout.h"
#include "ponder/cpu_memory_plan.h"

// Linux 5.14; older C libraries do not name it (an older kernel says
// EINVAL, and the copy faults the pages in itself).
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace ponder::cpu {
namespace {

bool isMatrix(const WeightView& w)
{
    return w.desc->dims.size() > 1;
}

// Unmaps the mapping's whole pages inside `bytes`, once copied: the file
// stays in the page cache for the kernel to keep or drop, but out of this
// process's memory. Pages shared with a neighbour stay until its turn.
void letGo(std::span<const std::byte> bytes)
{
    const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(bytes.data()) + page - 1) / page * page;
    const uintptr_t end = (reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size()) / page * page;
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

// Copies `bytes` from `from` to `to`, fresh memory, on `threads` threads,
// each faulting its slice in first (MADV_POPULATE_WRITE: one call, not a
// fault per page). A fresh page's first touch is most of the cost: on the
// 2-core VM, where it traps to the host, 1 GiB of huge pages took 1.6-1.9 s
// to fault in on one thread and 0.8 s on two; the copy itself 0.1-0.2 s.
// Slices end on huge page boundaries, so no page is faulted by two.
void copyInParallel(std::byte* to, const std::byte* from, uint64_t bytes, uint32_t threads)
{
    const auto copySlice = [&](uint64_t begin, uint64_t end) {
        if (end <= begin)
            return;
        ::madvise(to + begin, end - begin, MADV_POPULATE_WRITE);
        std::memcpy(to + begin, from + begin, end - begin);
    };
    // Huge pages per thread, at least one.
    const uint64_t pages = (bytes + kHugePageBytes - 1) / kHugePageBytes;
    threads = uint32_t(std::clamp<uint64_t>(pages, 1, std::max(threads, 1u)));
    // Where slice t begins: 0, ends rounded up to the destination's huge
    // pages (`to` is not always on one), `bytes` for t == threads.
    const auto boundary = [&](uint32_t t) {
        if (t == 0)
            return uint64_t(0);
        const uintptr_t base = reinterpret_cast<uintptr_t>(to);
        const uintptr_t at = base + bytes * t / threads;
        const uintptr_t rounded = (at + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
        return std::min<uint64_t>(rounded - base, bytes);
    };
    std::vector<std::thread> helpers;
    for (uint32_t t = 1; t < threads; ++t)
        helpers.emplace_back(copySlice, boundary(t), boundary(t + 1));
    copySlice(0, boundary(1));
    for (std::thread& helper : helpers)
        helper.join();
}

// Groups [first, last) of matrix `w` into its rows16 copy at `to`, on
// `threads` threads, each faulting its slice in first as copyInParallel does.
void interleaveInParallel(const WeightView& w, std::byte* to, uint64_t first, uint64_t last, uint32_t threads)
{
    if (last <= first)
        return;
    const uint64_t groupBytes = rows16Bytes(w.type(), 16, w.rowLength());
    const auto slice = [&](uint64_t begin, uint64_t end) {
        if (end <= begin)
            return;
        ::madvise(to + begin * groupBytes, (end - begin) * groupBytes, MADV_POPULATE_WRITE);
        interleaveRows16Groups(w.type(), w.data.data(), to, w.rowLength(), begin, end);
    };
    threads = uint32_t(std::clamp<uint64_t>(last - first, 1, std::max(threads, 1u)));
    const auto boundary = [&](uint32_t t) { return first + (last - first) * t / threads; };
    std::vector<std::thread> helpers;
    for (uint32_t t = 1; t < threads; ++t)
        helpers.emplace_back(slice, boundary(t), boundary(t + 1));
    slice(boundary(0), boundary(1));
    for (std::thread& helper : helpers)
        helper.join();
}

} // namespace

Result<ResidentWeights> ResidentWeights::copy(std::span<const WeightView> tensors, uint64_t bytes, uint32_t threads,
                                              uint64_t chunkBytes, const LoadProgressCallback& progress)
{
    // Each matrix's place, in file order (the order the copy runs in).
    std::vector<WeightView> matrices;
    for (const WeightView& w : tensors)
        if (isMatrix(w))
            matrices.push_back(w);
    std::sort(matrices.begin(), matrices.end(),
              [](const WeightView& a, const WeightView& b) { return std::less<>()(a.data.data(), b.data.data()); });
    std::unordered_map<const TensorDesc*, uint64_t> offsets;
    uint64_t needed = 0;
    for (const WeightView& w : matrices)
        if (offsets.emplace(w.desc, needed).second)
            needed += alignBytes(heldBytes(*w.desc));
    if (needed > bytes)
        return fail(ErrorCode::OutOfMemory, "the model's matrices need " + std::to_string(needed) +
                                                " bytes, more than the " + std::to_string(bytes) + " planned for them");

    ResidentWeights resident;
    // Without huge pages (the setting changed since the plan) the copy is
    // still right, in 4 KiB pages.
    resident.m_memory = HugePageMemory(bytes);
    if (bytes > 0 && !resident.m_memory)
        return fail(ErrorCode::OutOfMemory, "cannot map " + std::to_string(bytes >> 20) +
                                                " MiB for the model's weights: " + std::strerror(errno));
    std::byte* const base = resident.m_memory.data();
    for (const auto& [desc, offset] : offsets)
        resident.m_copies.emplace(desc, std::span<const std::byte>(base + offset, heldBytes(*desc)));
    const auto copyPiece = [&](const WeightView& w, uint64_t at, uint64_t take) -> Result<void> {
        const auto piece = w.data.subspan(at, take);
        // Read through readPages first: a page the kernel cannot read is an
        // error here, where a plain copy would die of SIGBUS.
        PONDER_TRY(readPages(piece));
        if (isMatrix(w) && heldAsRows16(*w.desc)) {
            // Whole groups of 16 rows, once all their bytes are read: a
            // group that began in an earlier piece is finished here.
            const uint64_t groupBytes = 16 * w.rowBytes();
            const uint64_t first = at / groupBytes, last = (at + take) / groupBytes;
            interleaveInParallel(w, base + offsets.at(w.desc), first, last, threads);
            letGo(w.data.subspan(first * groupBytes, (last - first) * groupBytes));
        } else if (isMatrix(w)) {
            copyInParallel(base + offsets.at(w.desc) + at, piece.data(), take, threads);
            letGo(piece);
        }
        return {};
    };
    PONDER_TRY(readInPieces(tensors, chunkBytes, progress, copyPiece));
    resident.m_memory.makeReadOnly();
    return resident;
}

ModelWeights ResidentWeights::relocate(const ModelWeights& weights) const
{
    ModelWeights moved = weights;
    forEachView(moved, [&](WeightView& w) {
        if (!w)
            return;
        if (const auto copy = m_copies.find(w.desc); copy != m_copies.end())
            w.data = copy->second;
    });
    return moved;
}

uint64_t ResidentWeights::hugePageBytes() const
{
    if (!m_memory)
        return 0;
    // smaps: a "start-end perms ..." line per mapping, then "Key: value kB"
    // lines; sum AnonHugePages over the mappings inside the copy.
    const uintptr_t begin = reinterpret_cast<uintptr_t>(m_memory.data()), end = begin + m_memory.bytes();
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    uint64_t kib = 0;
    while (std::getline(smaps, line)) {
        uintptr_t start = 0, stop = 0;
        char dash = 0;
        std::istringstream fields(line);
        if (fields >> std::hex >> start >> dash >> stop && dash == '-') {
            inside = start >= begin && stop <= end;
            continue;
        }
        if (inside && line.rfind("AnonHugePages:", 0) == 0)
            kib += std::stoull(line.substr(14));
    }
    return kib << 10;
}

} // namespace ponder::cpu
