#include "scripted_backend.h"

#include <chrono>

#include "synthetic_vocab.h"

namespace ponder::test {

const Tokenizer& testTokenizer()
{
    static const Tokenizer tokenizer = *Tokenizer::create(testing::syntheticR1Vocab(512));
    return tokenizer;
}

std::vector<int32_t> scriptFor(std::string_view text)
{
    std::vector<int32_t> script = testTokenizer().encode(text, false, true);
    script.push_back(*testTokenizer().findToken("<｜end▁of▁sentence｜>"));
    return script;
}

ScriptedBackend::ScriptedBackend(std::vector<int32_t> script, uint32_t contextLength) : m_script(std::move(script))
{
    m_config.architecture = Architecture::Qwen2;
    m_config.vocabSize = uint32_t(testTokenizer().vocabSize());
    m_config.contextLength = contextLength;
}

void ScriptedBackend::setGated(bool gated)
{
    std::lock_guard lock(m_mutex);
    m_gated = gated;
    m_permitted.notify_all();
}

void ScriptedBackend::release(int permits)
{
    std::lock_guard lock(m_mutex);
    m_permits += permits;
    m_permitted.notify_all();
}

Result<void> ScriptedBackend::truncate(uint32_t length)
{
    if (length > m_length)
        return fail(ErrorCode::InvalidArgument, "truncate beyond the cache");
    m_length = length;
    m_fresh = true;
    return {};
}

bool ScriptedBackend::waitForPermit()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_cancel && m_cancel->load())
            return false;
        if (!m_gated || m_permits > 0)
            break;
        m_permitted.wait_for(lock, std::chrono::milliseconds(5));
    }
    if (m_gated)
        --m_permits;
    return true;
}

Result<std::vector<float>> ScriptedBackend::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    PONDER_TRY(checkEvaluation(tokens, m_length, m_config.contextLength, m_config.vocabSize));
    if (allLogits)
        return fail(ErrorCode::Unsupported, "the scripted backend gives the last position's logits only");
    if (m_fresh) {
        m_fresh = false;
        m_step = 0;
        ++m_prompts;
        m_promptTokens += tokens.size();
    } else {
        if (!waitForPermit()) {
            ++m_cancelledInside;
            return fail(ErrorCode::Cancelled, "cancelled");
        }
        ++m_step;
        m_decodeSteps += tokens.size();
    }
    m_length += uint32_t(tokens.size());
    std::vector<float> logits(m_config.vocabSize, 0.f);
    logits[size_t(m_script[std::min(m_step, m_script.size() - 1)])] = 100.f;
    return logits;
}

} // namespace ponder::test
