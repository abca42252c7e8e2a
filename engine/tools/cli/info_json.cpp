#include "info_json.h"

#include "json_writer.h"
#include "ponder/model_file.h"

namespace ponder::tools {

std::string modelInfoJson(const ModelFile& model)
{
    const ModelInfo& info = model.info();
    const ModelConfig& c = info.config;
    JsonWriter json;
    json.beginObject();
    json.field("file", model.gguf().path().string());
    json.field("parts", uint64_t(model.files().count()));
    json.field("name", info.name);
    json.field("architecture", architectureName(c.architecture));
    json.field("file_type", info.fileType);
    json.field("gguf_version", model.gguf().header().version());
    json.field("embedding_length", c.embeddingLength);
    json.field("block_count", c.blockCount);
    json.field("feed_forward_length", c.feedForwardLength);
    json.field("head_count", c.headCount);
    json.field("head_count_kv", c.headCountKv);
    json.field("head_dim", c.headDim);
    json.field("rope_dimensions", c.ropeDimensions);
    json.field("rope_layout", c.ropeLayout == RopeLayout::Neox ? "neox" : "adjacent-pairs");
    json.field("rope_freq_base", double(c.ropeFreqBase));
    json.field("rope_freqs", c.hasRopeFreqs);
    json.field("rms_epsilon", double(c.rmsEpsilon));
    json.field("vocab_size", c.vocabSize);
    json.field("context_length", c.contextLength);
    json.field("qkv_bias", c.hasQkvBias);
    json.field("tied_output", c.tiedOutput);
    json.field("chat_format", chatFormatName(model.chatFormat()));
    json.field("tokenizer_pre", model.tokenizer().preTokenizer());
    json.field("tokenizer_tokens", model.tokenizer().vocabSize());
    json.field("parameters", info.parameterCount);
    json.field("tensor_bytes", info.tensorBytes);
    json.key("bytes_by_type").beginObject();
    for (const auto& [type, bytes] : info.bytesByType)
        json.field(tensorTypeName(type), bytes);
    json.endObject();
    json.key("tensors").beginArray();
    for (const auto& t : info.tensors) {
        json.beginObject();
        json.field("name", t.name);
        json.field("type", tensorTypeName(t.type));
        json.key("dims").beginArray();
        for (uint64_t d : t.dims)
            json.value(d);
        json.endArray();
        json.field("bytes", t.bytes);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return json.text();
}

} // namespace ponder::tools
