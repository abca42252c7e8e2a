// Reading a model's weights into memory at load. The CPU engine computes
// from the mapped file in place, so without this the first prompt faults
// the weights in from disk page by page: minutes for a 40 GB model, with
// no progress to show and no way to cancel but Stop. Here they come in
// chunks, in file order, with progress after each chunk, and a cancel that
// takes effect within one.
//
// A chunk is one madvise(MADV_POPULATE_READ) per tensor in it (Linux 5.14):
// the kernel reads the pages, with readahead, and maps them into the
// process, so the first prompt takes no page faults either. On a kernel
// without it, one read per page does the same, slower.
#pragma once

#include <cstdint>
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

} // namespace ponder::cpu
