// The one model the welcome screen recommends on a first run: the
// best-scoring distill (AIME 2024, then MATH-500, from the catalog) whose
// best quant fits the device with room for an 8k context, by the exact fit
// the picker shows (evaluateFit: the engine's own memory plan against free
// memory). The device is the one the engine will use: the chosen GPU, or
// without one the CPU engine, whose memory is RAM.
//
// "Best quant" is the picker's rule (recommendQuant over quantQualityOrder),
// but only a quant that Fits counts (Tight leaves nothing for the rest of
// the desktop), and only one that loses little against F16: at most
// kMaxFirstRunKld mean KL divergence by the catalog's typical figures
// (Q4_K_M and better). A bigger model squeezed to Q2_K answers worse than a
// smaller one at Q6_K. Only when no model passes that floor does the best
// model with any quant that loads (Fits, then Tight) win; when nothing
// loads, there is no recommendation and the welcome offers a server.
#pragma once

#include <QString>

#include <cstdint>

#include "gpu_selector.h"
#include "model_catalog.h"
#include "model_fit.h"

namespace ponder::app {

// The context the recommendation leaves room for, in tokens.
inline constexpr uint32_t kFirstRunContext = 8192;
// The most a first-run quant may lose against F16: mean KL divergence in
// nats (the catalog's typicalQuality; Q4_K_M is 0.031, Q3_K_M 0.102).
inline constexpr double kMaxFirstRunKld = 0.05;

struct FirstRunChoice {
    const CatalogModel* model = nullptr;  // nullptr: nothing loads on this device
    QuantMix mix = QuantMix::Q4_K_M;
    FitResult fit;                        // the chosen quant's fit at kFirstRunContext
    bool belowQualityFloor = false;       // the fallback: no model fits at Q4_K_M or better

    bool found() const { return model != nullptr; }
    const CatalogQuant* quant() const { return model ? model->quant(mix) : nullptr; }
};

// The recommendation for `device` (a GPU or the CPU engine, as GpuSelector
// lists them); `cpuThreads` as the chat's setting (0: one per physical
// core), for the CPU engine's per-thread scratch.
FirstRunChoice chooseFirstModel(const ModelCatalog& catalog, const AdapterSummary& device, int cpuThreads = 0,
                                uint32_t contextLength = kFirstRunContext);

// Why, in words: "Fits your NVIDIA GeForce RTX 4090 (24.0 GB) with room for
// an 8k context: it needs 17.3 GB of the 23.0 GB free." Memory in units of
// 1024 (byte_format.h). Empty when nothing was found.
QString firstRunReason(const FirstRunChoice& choice, const AdapterSummary& device,
                       uint32_t contextLength = kFirstRunContext);

} // namespace ponder::app
