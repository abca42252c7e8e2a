#include "ponder/model_file.h"

#include "ponder/tokenizer_gguf.h"

namespace ponder {
namespace {

// Prefixes a message with the model's name ("model.gguf: ...", or
// "model-00001-of-00003.gguf (3 parts): ..." for a split model).
Error inFile(const GgufParts& files, const Error& error)
{
    return Error{error.code, files.displayName() + ": " + error.message};
}

} // namespace

Result<std::unique_ptr<ModelFile>> ModelFile::open(const std::filesystem::path& path)
{
    auto files = GgufParts::open(path);
    if (!files)
        return std::unexpected(files.error());
    const GgufHeader& metadata = files->metadata().header();
    auto info = readModelInfo(metadata, files->tensors());
    if (!info)
        return std::unexpected(inFile(*files, info.error()));
    // The embedding table bounds the vocabulary before the tokenizer is built.
    auto tokenizer = loadTokenizer(metadata, info->config.vocabSize);
    if (!tokenizer)
        return std::unexpected(inFile(*files, tokenizer.error()));

    std::unique_ptr<ModelFile> model(new ModelFile(std::move(*files), std::move(*info), std::move(*tokenizer)));
    const GgufParts& parts = model->m_files;
    auto weights = bindWeights(model->m_info,
                               [&parts](const TensorDesc& desc) { return parts.tensorData(desc.name); });
    if (!weights)
        return std::unexpected(inFile(parts, weights.error()));
    model->m_weights = std::move(*weights);
    model->m_chatFormat = detectChatFormat(parts.metadata().header().getString("tokenizer.chat_template").value_or(""));
    return model;
}

ChatTemplateTokens ModelFile::templateTokens() const
{
    ChatTemplateTokens tokens;
    if (m_tokenizer.bos() >= 0)
        tokens.bos = std::string(m_tokenizer.tokenText(m_tokenizer.bos()));
    return tokens;
}

} // namespace ponder
