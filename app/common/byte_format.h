// Byte counts in words, the way users meet them elsewhere: GPU memory in
// units of 1024, as vendors and drivers give it (a "24 GB" card holds
// 24 GiB); file sizes in units of 1000, as Hugging Face and file managers
// list them. Each figure always uses its one convention (README, "Units").
#pragma once

#include <QString>

#include <cstdint>

namespace ponder::app {

// "9.4 GB" of memory: one decimal, units of 1024.
QString formatMemoryBytes(uint64_t bytes);
// "4.68 GB", "924 MB" of file: units of 1000, three significant digits.
QString formatFileBytes(uint64_t bytes);

} // namespace ponder::app
