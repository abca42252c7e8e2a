// ponder-server's command line, read and checked before anything is loaded.
//
//   ponder-server --model FILE [--device D] [--port 8080] [--host 127.0.0.1]
//                 [--api-key KEY] [--context N] [--threads N] [--queue N]
//                 [--model-id NAME] [--request-timeout S] [--split S]
//                 [--gpu-layers N] [--kv-type T]
//
// Safe by default: it listens on 127.0.0.1; a --host other machines can
// reach is refused unless an API key is set (--api-key, or the environment
// variable PONDER_API_KEY, which keeps the key out of the process list).
#pragma once

#include <QString>

#include <optional>
#include <string>

#include "backends.h"
#include "ponder/error.h"

namespace ponder::serve {

struct ServeOptions {
    std::string model;
    std::string device = "vulkan";
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080;         // 0: any free port (printed)
    QString apiKey;
    uint32_t context = 4096;
    uint32_t threads = 0;        // --device cpu: 0 is one per physical core
    uint32_t queue = 16;         // requests waiting besides the running one
    QString modelId;             // empty: the file's name without .gguf
    int requestTimeoutMs = 10000;
    tools::SplitChoice split;
    std::optional<KvCacheType> kvType;
    bool help = false;
};

extern const char* const kServeUsage;

// InvalidArgument naming the option at fault; `environmentKey` is
// PONDER_API_KEY's value (empty: unset).
Result<ServeOptions> parseServeOptions(int argc, char** argv, const QString& environmentKey);

} // namespace ponder::serve
