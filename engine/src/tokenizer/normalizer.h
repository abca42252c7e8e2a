// Unicode NFC, which Qwen2's tokenizer.json applies to text before
// pre-tokenizing (llama.cpp skips it; the model was trained with it, so we
// do not). ICU does the work; text with no byte >= 0xCC holds only code
// points below U+0300, which NFC never changes, so plain English skips ICU.
#pragma once

#include <string>
#include <string_view>

namespace ponder {

// Sets `out` to the NFC form of `text` (valid UTF-8) and returns true, or
// returns false when `text` is already in NFC (then `out` is untouched).
bool normalizeNfc(std::string_view text, std::string& out);

} // namespace ponder
