// The names of a split model's parts, as llama.cpp's gguf-split gives them
// (<prefix>-00001-of-00003.gguf …): made by the engine's ggufSplitPath and
// read back here, so every feature writes and reads them one way.
#pragma once

#include <QString>

#include <optional>

namespace ponder::app {

struct SplitPart {
    QString prefix;  // the path before "-00002-of-00003.gguf"
    int index = 0;   // 0-based
    int count = 1;
};

// Part `index` (0-based) of `count`: "dir/model", 1, 3 give "dir/model-00002-of-00003.gguf".
QString splitPartPath(const QString& prefix, int index, int count);
// The part `path` names, as its name says (index may be past count in a
// damaged name: the caller checks what it needs); nullopt for a name that
// is not a part's.
std::optional<SplitPart> splitPartOf(const QString& path);
// What a split model's parts are called together: "Model-Q4_K_M-00001-of-00002.gguf"
// gives "Model-Q4_K_M.gguf"; any other name is itself.
QString splitModelName(const QString& path);

} // namespace ponder::app
