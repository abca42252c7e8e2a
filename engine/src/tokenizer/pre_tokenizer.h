// The pre-tokenizer: a regex from the model's tokenizer.json splits text into
// pieces (words with their leading space, digits, punctuation runs, runs of
// whitespace) that BPE then merges separately. PCRE2 does the matching with
// Unicode properties (PCRE2_UTF | PCRE2_UCP), JIT-compiled where available.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ponder/error.h"

namespace ponder {

// What a tokenizer.ggml.pre name stands for.
struct PreTokenizerStyle {
    std::string_view pattern;  // PCRE2 syntax
    bool nfc;                  // tokenizer.json has an NFC normalizer
    bool ignoreMerges;         // a piece that is itself a token is emitted whole
};

// nullopt for a name we do not know.
std::optional<PreTokenizerStyle> preTokenizerStyle(std::string_view preName);

class PreTokenizer {
public:
    // Unsupported when PCRE2 rejects the pattern.
    static Result<PreTokenizer> create(std::string_view pattern);

    // Appends the pieces of `text` (valid UTF-8) to `pieces`, in order. They
    // cover the text exactly: stretches the regex does not match become
    // pieces of their own, as in Hugging Face's "Isolated" split.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

private:
    struct Code;
    explicit PreTokenizer(std::shared_ptr<const Code> code);
    std::shared_ptr<const Code> m_code;
};

} // namespace ponder
