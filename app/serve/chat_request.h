// A POST /v1/chat/completions body read into a generation request, or the
// OpenAI-style error that says what is wrong with it. Everything here comes
// from a client and is hostile: any JSON is answered with a request or an
// error, never a crash or an unbounded allocation (the body's size is
// bounded before it gets here).
//
// Fields read: model (must name the served model), messages (role system,
// developer, user or assistant; content a string, null, or an array of
// {"type": "text", "text": ...} parts), stream, stream_options.include_usage,
// temperature [0, 2] (0: greedy), top_p [0, 1], max_tokens or
// max_completion_tokens (>= 1), stop (a string or up to 4 strings), seed (an
// integer; none: a fresh random seed per request), n (1 only), and Ponder's
// reasoning_format (below). Other fields are ignored, as OpenAI-compatible
// servers do with options they lack (frequency_penalty, user, tools...), but
// a known field of the wrong type is an error naming it.
//
// reasoning_format (llama.cpp's server has the same option, with the same
// values): "deepseek" (the default) sends R1's reasoning apart, as DeepSeek's
// API does: delta.reasoning_content while it thinks, delta.content for the
// answer; "none" sends the raw output in content, reasoning inline between
// <think> and </think>, for clients that parse the tags themselves.
#pragma once

#include <QByteArray>
#include <QString>

#include <expected>
#include <string>
#include <vector>

#include "api_error.h"
#include "ponder/generator.h"

namespace ponder::serve {

enum class ReasoningFormat {
    Separate,  // "deepseek": reasoning_content deltas
    Inline,    // "none": <think>...</think> in content
};

struct ChatRequest {
    GenerationRequest generation;   // messages, sampler, maxTokens
    std::vector<std::string> stop;  // UTF-8, non-empty strings
    bool stream = false;
    bool includeUsage = false;      // stream_options.include_usage
    ReasoningFormat reasoning = ReasoningFormat::Separate;
};

struct RequestLimits {
    int maxMessages = 4096;
    int maxStopStrings = 4;      // OpenAI's limit
    int maxStopBytes = 256;      // per stop string
    quint32 contextLength = 0;   // tokens; the default max_tokens, and its upper bound
};

// `servedModel`: the id /v1/models lists; `model` must equal it.
std::expected<ChatRequest, ApiError> parseChatRequest(const QByteArray& body, const QString& servedModel,
                                                      const RequestLimits& limits);

} // namespace ponder::serve
