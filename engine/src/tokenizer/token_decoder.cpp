#include "ponder/token_decoder.h"

#include "tokenizer/tokenizer_data.h"
#include "tokenizer/utf8.h"

namespace ponder {

TokenDecoder::TokenDecoder(const Tokenizer& tokenizer, bool renderControl)
    : m_tokenizer(tokenizer)
    , m_renderControl(renderControl)
{
}

std::string TokenDecoder::push(int32_t id)
{
    m_pending.append(m_tokenizer.m_data->piece(id, m_renderControl));
    std::string text;
    const size_t used = utf8::appendValid(m_pending, text, false);
    m_pending.erase(0, used);
    return text;
}

std::string TokenDecoder::flush()
{
    std::string text;
    utf8::appendValid(m_pending, text, true);
    m_pending.clear();
    return text;
}

void TokenDecoder::reset()
{
    m_pending.clear();
}

} // namespace ponder
