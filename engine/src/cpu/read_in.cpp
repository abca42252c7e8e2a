#include "cpu/read_in.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
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

// Brings the pages under `bytes` into memory and into the process's page
// tables. `populate` turns false, for every later call too, on a kernel
// that does not know MADV_POPULATE_READ.
Result<void> readPages(std::span<const std::byte> bytes, bool& populate)
{
    const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = reinterpret_cast<uintptr_t>(bytes.data()) / page * page;
    const uintptr_t end = reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size();
    if (populate) {
        if (::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ) == 0)
            return {};
        if (errno != EINVAL)
            return fail(ErrorCode::Io, std::string("could not read the model's weights into memory: ") +
                                           std::strerror(errno));
        populate = false;
    }
    // One byte of each page; volatile, so the reads are not optimised away.
    for (uintptr_t at = begin; at < end; at += page)
        (void)*reinterpret_cast<const volatile unsigned char*>(at);
    return {};
}

} // namespace

Result<void> readIn(std::span<const WeightView> tensors, uint64_t chunkBytes, const LoadProgressCallback& progress)
{
    // File order (address order within each mapping), so the disk reads ahead.
    std::vector<std::span<const std::byte>> pieces;
    LoadProgress done;
    for (const WeightView& w : tensors) {
        pieces.push_back(w.data);
        done.bytesTotal += w.data.size();
    }
    std::sort(pieces.begin(), pieces.end(),
              [](const auto& a, const auto& b) { return std::less<>()(a.data(), b.data()); });
    const auto cancelled = [&] { return progress && !progress(done); };
    if (cancelled())
        return fail(ErrorCode::Cancelled, "loading the model was cancelled");

    chunkBytes = std::max<uint64_t>(chunkBytes, 1);
    bool populate = true;
    uint64_t inChunk = 0;
    for (const auto& piece : pieces) {
        for (uint64_t at = 0; at < piece.size();) {
            const uint64_t take = std::min<uint64_t>(piece.size() - at, chunkBytes - inChunk);
            PONDER_TRY(readPages(piece.subspan(at, take), populate));
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

} // namespace ponder::cpu
