// Reading a model's weights into memory at load. Where the CPU engine
// computes from the mapped file in place (CpuWeightPlacement::Mapped),
// without this the first prompt faults the weights in from disk page by
// page: minutes for a 40 GB model, with no progress to show and no way to
// cancel but Stop. (The copy into huge pages, resident_weights.h, walks
// the file the same way.) Here they come in
// chunks, in file order, with progress after each chunk, and a cancel that
// takes effect within one.
//
// A chunk is one madvise(MADV_POPULATE_READ) per tensor in it (Linux 5.14):
// the kernel reads the pages, with readahead, and maps them into the
// process, so the first prompt takes no page faults either. On a kernel
// without it, one read per page does the same, slower.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "ponder/error.h"
#include "ponder/load_progress.h"
#include "ponder/model_weights.h"

namespace ponder::cpu {

// Reads the bytes of `tensors` (views into mapped files) into memory, one
// thread: more did not read faster (a cold 1.1 GB file, 2 cores: one
// thread 3-5 GB/s, two and four 2.3-3.6 GB/s). `progress`, when set, gets
// {0, total} before the first chunk and the bytes done after each chunk;
// total is the tensors' bytes. Cancelled when it returns false; Io when the
// kernel cannot read a page (the file shrank or its disk failed).
Result<void> readIn(std::span<const WeightView> tensors, uint64_t chunkBytes, const LoadProgressCallback& progress);

// What a read-in does with each piece of a tensor: `take` bytes from `at`
// bytes into `tensor`'s data.
using ReadPiece = std::function<Result<void>(const WeightView& tensor, uint64_t at, uint64_t take)>;

// readIn's walk with another action per piece (the copy into huge pages,
// resident_weights.h): the same order, chunks, progress and cancel.
Result<void> readInPieces(std::span<const WeightView> tensors, uint64_t chunkBytes,
                          const LoadProgressCallback& progress, const ReadPiece& read);

// Brings the pages under `bytes` into memory and into the process's page
// tables (what readIn does per piece); Io when a page cannot be read.
Result<void> readPages(std::span<const std::byte> bytes);

} // namespace ponder::cpu
