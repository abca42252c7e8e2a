#include "serve_options.h"

#include "arguments.h"
#include "chat_server.h"

namespace ponder::serve {

const char* const kServeUsage =
    "usage: ponder-server --model FILE [options]\n"
    "Serves the model over the OpenAI-compatible API: GET /v1/models, POST /v1/chat/completions\n"
    "(streamed or not; reasoning as reasoning_content), GET /health.\n"
    "  --device D           vulkan (default), vulkan:N, cpu, cpu-reference, or a list to split across\n"
    "  --host H             address to listen on (default 127.0.0.1); beyond loopback needs a key\n"
    "  --port N             port (default 8080; 0: any free port, printed)\n"
    "  --api-key KEY        require 'Authorization: Bearer KEY' (or set PONDER_API_KEY)\n"
    "  --context N          context length in tokens (default 4096)\n"
    "  --threads N          threads of --device cpu (default: one per physical core)\n"
    "  --queue N            requests that may wait for the model (default 16); more get 429\n"
    "  --model-id NAME      the model's id in the API (default: the file name without .gguf)\n"
    "  --request-timeout S  seconds a client has to send a whole request (default 10)\n"
    "  --split S, --gpu-layers N, --kv-type T   as ponder-cli\n";

Result<ServeOptions> parseServeOptions(int argc, char** argv, const QString& environmentKey)
{
    tools::Arguments args({"model", "device", "host", "port", "api-key", "context", "threads", "queue", "model-id",
                           "request-timeout", "split", "gpu-layers", "kv-type"},
                          {"help"});
    PONDER_TRY(args.parse(argc, argv));
    ServeOptions options;
    if (args.has("help")) {
        options.help = true;
        return options;
    }
    const auto model = args.text("model");
    if (!model)
        return fail(ErrorCode::InvalidArgument, "--model FILE is required (see --help)");
    options.model = *model;
    options.device = args.text("device").value_or(options.device);
    if (const auto host = args.text("host"))
        options.host = QString::fromStdString(*host);
    options.apiKey = args.text("api-key") ? QString::fromStdString(*args.text("api-key")) : environmentKey;
    if (options.apiKey.contains(QLatin1Char('\r')) || options.apiKey.contains(QLatin1Char('\n')))
        return fail(ErrorCode::InvalidArgument, "--api-key must be one line");
    if (!isLoopbackHost(options.host) && options.apiKey.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    "--host " + options.host.toStdString() +
                        " can be reached from other machines; give --api-key KEY (or set PONDER_API_KEY) so "
                        "that only clients with the key are served, or keep the default 127.0.0.1");

    auto port = args.integer("port", 0, 65535);
    auto context = args.integer("context", 16, 1 << 20);
    auto threads = args.integer("threads", 1, 1024);
    auto queue = args.integer("queue", 0, 4096);
    auto timeout = args.integer("request-timeout", 1, 3600);
    auto gpuLayers = args.integer("gpu-layers", 0, 1 << 20);
    for (const auto* value : {&port, &context, &threads, &queue, &timeout, &gpuLayers})
        if (!*value)
            return std::unexpected(value->error());
    options.port = quint16(port->value_or(options.port));
    options.context = uint32_t(context->value_or(options.context));
    options.threads = uint32_t(threads->value_or(0));
    options.queue = uint32_t(queue->value_or(options.queue));
    options.requestTimeoutMs = int(timeout->value_or(10)) * 1000;
    if (const auto id = args.text("model-id"))
        options.modelId = QString::fromStdString(*id);
    options.split.shares = args.text("split").value_or("auto");
    if (*gpuLayers)
        options.split.gpuLayers = uint32_t(**gpuLayers);
    if (const auto name = args.text("kv-type")) {
        options.kvType = kvCacheTypeFromName(*name);
        if (!options.kvType)
            return fail(ErrorCode::InvalidArgument, "unknown --kv-type '" + *name + "' (known: f16, f32, q8_0)");
    }
    return options;
}

} // namespace ponder::serve
