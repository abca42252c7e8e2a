#include "ponder/model_file.h"

#include "ponder/tokenizer_gguf.h"

namespace ponder {
namespace {

Error inFile(const std::filesystem::path& path, const Error& error)
{
    const std::string prefix = path.filename().string() + ": ";
    if (error.message.rfind(path.string(), 0) == 0)
        return error;  // already names the file
    return Error{error.code, prefix + error.message};
}

} // namespace

Result<std::unique_ptr<ModelFile>> ModelFile::open(const std::filesystem::path& path)
{
    auto gguf = GgufFile::open(path);
    if (!gguf)
        return std::unexpected(gguf.error());
    auto info = readModelInfo(gguf->header());
    if (!info)
        return std::unexpected(inFile(path, info.error()));
    auto tokenizer = loadTokenizer(gguf->header());
    if (!tokenizer)
        return std::unexpected(inFile(path, tokenizer.error()));
    if (uint32_t(tokenizer->vocabSize()) > info->config.vocabSize)
        return std::unexpected(inFile(path, Error{ErrorCode::Malformed,
                                                  "the tokenizer has more tokens than the embedding table has rows"}));

    std::unique_ptr<ModelFile> model(new ModelFile(std::move(*gguf), std::move(*info), std::move(*tokenizer)));
    const GgufFile& file = model->m_gguf;
    auto weights = bindWeights(model->m_info, [&file](const TensorDesc& desc) {
        const GgufTensorInfo* tensor = file.findTensor(desc.name);
        return tensor ? file.tensorData(*tensor) : std::span<const std::byte>();
    });
    if (!weights)
        return std::unexpected(inFile(path, weights.error()));
    model->m_weights = std::move(*weights);
    model->m_chatFormat = detectChatFormat(file.header().getString("tokenizer.chat_template").value_or(""));
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
