// A model file opened for use: the mapped GGUF (or the parts of a split
// model, see GgufParts), its architecture, its weights bound by role, its
// tokenizer and its chat format. What the CLI, the app, the benchmark and the
// tests open a model with.
#pragma once

#include <filesystem>
#include <memory>

#include "ponder/chat_template.h"
#include "ponder/error.h"
#include "ponder/gguf.h"
#include "ponder/gguf_parts.h"
#include "ponder/model_info.h"
#include "ponder/model_weights.h"
#include "ponder/tokenizer.h"

namespace ponder {

class ModelFile {
public:
    // Maps and validates the file, reads the architecture and binds every
    // weight; a file without a usable tokenizer is an error too. The path of
    // any part of a split model opens the whole model. Messages name the file.
    static Result<std::unique_ptr<ModelFile>> open(const std::filesystem::path& path);

    ModelFile(const ModelFile&) = delete;
    ModelFile& operator=(const ModelFile&) = delete;

    // Every part of the model; one for a file that is not split.
    const GgufParts& files() const { return m_files; }
    // The file with the model's metadata: the only file, or the first part
    // of a split model (whose tensors may lie in the other parts).
    const GgufFile& gguf() const { return m_files.metadata(); }
    const ModelInfo& info() const { return m_info; }
    const ModelWeights& weights() const { return m_weights; }
    const Tokenizer& tokenizer() const { return m_tokenizer; }
    ChatFormat chatFormat() const { return m_chatFormat; }
    // Text of the BOS token, for the chat template; empty when none.
    ChatTemplateTokens templateTokens() const;

private:
    ModelFile(GgufParts files, ModelInfo info, Tokenizer tokenizer)
        : m_files(std::move(files)), m_info(std::move(info)), m_tokenizer(std::move(tokenizer))
    {
    }

    GgufParts m_files;
    ModelInfo m_info;
    ModelWeights m_weights;  // views into m_files' mappings, descs in m_info
    Tokenizer m_tokenizer;
    ChatFormat m_chatFormat = ChatFormat::DeepSeekR1;
};

} // namespace ponder
