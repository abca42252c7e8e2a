// Progress and cancel for loading a model's weights: bytes done of the
// total, after each piece, on the loading thread. The GPU engine counts the
// bytes it uploaded, the CPU engine those it read into memory, a split model
// both over all its parts.
#pragma once

#include <cstdint>
#include <functional>

namespace ponder {

struct LoadProgress {
    uint64_t bytesDone = 0;
    uint64_t bytesTotal = 0;
};
// Called as the weights load; returning false cancels the load, which then
// returns ErrorCode::Cancelled having kept nothing.
using LoadProgressCallback = std::function<bool(const LoadProgress&)>;

} // namespace ponder
