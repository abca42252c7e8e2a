#include "cpu/read_in.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

// Linux 5.14; older C libraries do not name it.
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

namespace ponder::cpu {
namespace {

// False, for every later call too, once a kernel without
// MADV_POPULATE_READ has said so.
std::atomic<bool> g_populate{true};

} // namespace

Result<void> readPages(std::span<const std::byte> bytes)
{
    const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = reinterpret_cast<uintptr_t>(bytes.data()) / page * page;
    const uintptr_t end = reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size();
    if (g_populate.load(std::memory_order_relaxed)) {
        if (::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ) == 0)
            return {};
        if (errno != EINVAL)
            return fail(ErrorCode::Io, std::string("could not read the model's weights into memory: ") +
                                           std::strerror(errno));
        g_populate.store(false, std::memory_order_relaxed);
    }
    // One byte of each page; volatile, so the reads are not optimised away.
    for (uintptr_t at = begin; at < end; at += page)
        (void)*reinterpret_cast<const volatile unsigned char*>(at);
    return {};
}

Result<void> readInPieces(std::span<const WeightView> tensors, uint64_t chunkBytes,
                          const LoadProgressCallback& progress, const ReadPiece& read)
{
    // File order (address order within each mapping), so the disk reads ahead.
    std::vector<WeightView> pieces(tensors.begin(), tensors.end());
    LoadProgress done;
    for (const WeightView& w : pieces)
        done.bytesTotal += w.data.size();
    std::sort(pieces.begin(), pieces.end(),
              [](const WeightView& a, const WeightView& b) { return std::less<>()(a.data.data(), b.data.data()); });
    const auto cancelled = [&] { return progress && !progress(done); };
    if (cancelled())
        return fail(ErrorCode::Cancelled, "loading the model was cancelled");

    chunkBytes = std::max<uint64_t>(chunkBytes, 1);
    uint64_t inChunk = 0;
    for (const WeightView& piece : pieces) {
        for (uint64_t at = 0; at < piece.data.size();) {
            const uint64_t take = std::min<uint64_t>(piece.data.size() - at, chunkBytes - inChunk);
            PONDER_TRY(read(piece, at, take));
            at += take;
            inChunk += take;
            done.bytesDone += take;
            const bool last = done.bytesDone == done.bytesTotal;
            if (inChunk == chunkBytes || last) {
                inChunk = 0;
                if (cancelled())
                    return fail(ErrorCode::Cancelled, "loading the model was cancelled");
            }
        }
    }
    return {};
}

Result<void> readIn(std::span<const WeightView> tensors, uint64_t chunkBytes, const LoadProgressCallback& progress)
{
    return readInPieces(tensors, chunkBytes, progress, [](const WeightView& tensor, uint64_t at, uint64_t take) {
        return readPages(tensor.data.subspan(at, take));
    });
}

} // namespace ponder::cpu
