#include "ponder/model_part.h"

#include <charconv>

namespace ponder {
namespace {

// The layer of "blk.<n>.<suffix>", or -1 for a tensor outside the layers.
int64_t layerOf(std::string_view name)
{
    constexpr std::string_view prefix = "blk.";
    if (!name.starts_with(prefix))
        return -1;
    name.remove_prefix(prefix.size());
    uint32_t layer = 0;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), layer);
    if (error != std::errc() || end == name.data() + name.size() || *end != '.')
        return -1;
    return layer;
}

} // namespace

bool ModelPart::holdsTensor(const ModelConfig& config, std::string_view name) const
{
    // The whole model holds every tensor of the file, those the forward
    // pass does not read included, as the memory plan always has.
    if (isWhole(config))
        return true;
    if (const int64_t layer = layerOf(name); layer >= 0)
        return holdsLayer(uint32_t(layer));
    if (name.starts_with("token_embd."))
        return embedding || (output && config.tiedOutput);
    if (name.starts_with("output.") || name.starts_with("output_norm."))
        return output;
    if (name.starts_with("rope_freqs."))
        return layerCount() > 0;
    return false;
}

Result<void> checkPart(const ModelPart& part, const ModelConfig& config)
{
    if (part.firstLayer > part.endLayer || part.endLayer > config.blockCount)
        return fail(ErrorCode::InvalidArgument, "layers " + std::to_string(part.firstLayer) + " to " +
                                                    std::to_string(part.endLayer) + " are not within the model's " +
                                                    std::to_string(config.blockCount));
    if (part.layerCount() == 0 && !part.output)
        return fail(ErrorCode::InvalidArgument, "a part of a model needs layers or the output");
    return {};
}

std::string describePart(const ModelPart& part)
{
    std::string text;
    if (part.layerCount() > 0)
        text = "layers " + std::to_string(part.firstLayer) + "-" + std::to_string(part.endLayer - 1);
    if (part.output)
        text += text.empty() ? "output only" : " + output";
    return text;
}

} // namespace ponder
