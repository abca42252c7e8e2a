#pragma once

#include "ponder/quant_divergence.h"

namespace ponder::divergence {

// Fills a report's totals (mean and maximum KL, top-1 agreement,
// perplexities) from its per-position values: one computation for both
// kinds of comparison, the same as summarizeDivergence()'s.
void completeTotals(DivergenceReport& report);

} // namespace ponder::divergence
