#include "chat_engine.h"

#include "byte_format.h"
#include "engine_helpers.h"
#include "gpu_selector.h"
#include "job.h"

#include <QFileInfo>
#include <QLoggingCategory>

#include "ponder/cpu_backend.h"
#include "ponder/generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "ponder/split_backend.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/device.h"
#include "ponder/vk/instance.h"

#include <functional>
#include <new>
#include <optional>
#include <stdexcept>

Q_LOGGING_CATEGORY(lcEngine, "ponder.engine")

namespace ponder::app {

namespace test_hooks {
// Called on the engine's thread as a load reads its file ("load") and as
// each piece of an answer is passed on ("text"), and as a request of the
// app's server begins ("serve"); a test makes it throw to
// stand in for the engine running out of memory, or waits in it to hold the
// thread while it queues more.
std::function<void(const char* step)> engineStep;
} // namespace test_hooks

namespace {

void step(const char* name)
{
    if (test_hooks::engineStep)
        test_hooks::engineStep(name);
}

// Runs `work`; returns what an exception out of it means for the user, empty
// when none came. Nothing may leave the engine's thread as an exception: it
// would end the whole app (std::terminate).
QString guarded(const std::function<void()>& work)
{
    try {
        work();
        return {};
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {  // a size past what a container can hold: a size from a damaged file
    } catch (const std::exception& error) {
        qCWarning(lcEngine) << "the engine threw:" << error.what();
        return ChatEngine::tr("The engine failed: %1").arg(QString::fromLocal8Bit(error.what()));
    } catch (...) {
        qCWarning(lcEngine) << "the engine threw something unknown";
        return ChatEngine::tr("The engine failed with an unknown error.");
    }
    qCWarning(lcEngine) << "the engine ran out of memory";
    return ChatEngine::tr("Not enough memory (RAM): the engine could not allocate what it needs. Try a smaller "
                          "model or quantization, or a shorter context length.");
}

QString describe(const Error& error, bool onCpu = false)
{
    return describeEngineError(error, onCpu);
}

// Bytes this process uses in the device's device-local heaps, measured by
// the driver (VK_EXT_memory_budget); nothing where the driver cannot say.
std::optional<qint64> deviceLocalUsage(const GpuContext& gpu)
{
    for (const vk::AdapterInfo& adapter : vk::listAdapters(*gpu.instance)) {
        if (adapter.handle != gpu.device->physical())
            continue;
        if (!adapter.hasMemoryBudget)
            return std::nullopt;
        qint64 used = 0;
        for (const vk::MemoryHeap& heap : adapter.heaps)
            if (heap.deviceLocal)
                used += qint64(heap.usage);
        return used;
    }
    return std::nullopt;
}

} // namespace

EngineDevice EngineDevice::named(const QString& name)
{
    if (name.isEmpty())
        return {Kind::Automatic, QString()};
    if (name == QLatin1String(kCpuDeviceName))
        return {Kind::Cpu, QString()};
    if (name == QLatin1String("cpu-reference"))
        return {Kind::CpuReference, QString()};
    if (name == QLatin1String("vulkan"))
        return {Kind::Vulkan, QString()};
    return {Kind::Vulkan, name};
}

EngineDevice EngineDevice::chosen(const QString& name, const QString& environment)
{
    const EngineDevice device = named(name);
    const bool cpuByName = device.kind == Kind::Cpu || device.kind == Kind::CpuReference;
    return !cpuByName && !environment.isEmpty() ? named(environment) : device;
}

QString EngineDevice::name() const
{
    switch (kind) {
    case Kind::Automatic: return QString();
    case Kind::Cpu: return QLatin1String(kCpuDeviceName);
    case Kind::CpuReference: return QStringLiteral("cpu-reference");
    case Kind::Vulkan: return adapter.isEmpty() ? QStringLiteral("vulkan") : adapter;
    }
    return QString();
}

ChatEngine::ChatEngine(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<GenerationSettings>();
    qRegisterMetaType<QList<ChatTurn>>();
}

ChatEngine::~ChatEngine()
{
    unloadModel();
}

void ChatEngine::unloadModel()
{
    // Order matters: the generator uses the backend, the backend the file and the device.
    m_generator.reset();
    m_steps.reset();
    m_backend.reset();
    m_file.reset();
}

void ChatEngine::stop()
{
    // In this order: a request starting meanwhile (begin) either sees itself
    // cancelled or has cleared the flag before it is set here.
    m_cancelledThrough.store(m_requests.load());
    m_stop.store(true);
}

// Clears a stop meant for an earlier request; false when `request` was
// stopped before it started.
bool ChatEngine::begin(quint64 request)
{
    m_stop.store(false);
    return request == 0 || request > m_cancelledThrough.load();
}

LoadProgressCallback ChatEngine::loadProgressReporter()
{
    return [this](const LoadProgress& progress) {
        emit loadProgress(progress.bytesTotal ? double(progress.bytesDone) / double(progress.bytesTotal) : 1.0);
        return !m_stop.exchange(false);
    };
}

void ChatEngine::loadModel(const QString& path, int contextLength, const EngineDevice& chosen, quint64 request)
{
    if (!begin(request)) {
        emit loadFailed(tr("Opening the model was cancelled."));
        return;
    }
    if (const QString error = guarded([&] { load(path, contextLength, chosen); }); !error.isEmpty()) {
        unloadModel();
        emit loadFailed(error);
    }
}

void ChatEngine::load(const QString& path, int contextLength, const EngineDevice& chosen)
{
    unloadModel();
    auto file = ModelFile::open(path.toStdString());
    if (!file) {
        emit loadFailed(describe(file.error()));
        return;
    }
    m_file = std::move(*file);
    step("load");
    const uint32_t context = uint32_t(std::clamp<int>(contextLength, 256, int(m_file->info().config.contextLength)));

    const EngineDevice device = resolvedDevice(chosen);
    std::optional<qint64> usageBefore;
    switch (device.kind) {
    case EngineDevice::Kind::CpuReference:
        m_backend = std::make_unique<reference::ReferenceBackend>(m_file->info(), m_file->weights(), context);
        break;
    case EngineDevice::Kind::Cpu: {
        // The plan is checked against free RAM, then the weights are read
        // into it from the mapped file, with progress and cancel as a GPU's upload.
        CpuBackendOptions options;
        options.plan.contextLength = context;
        options.plan.kvType = device.placement.kvType;
        options.threads = device.threads;
        auto backend = CpuBackend::load(*m_file, options, loadProgressReporter());
        if (!backend) {
            m_file.reset();
            emit loadFailed(describe(backend.error(), true));
            return;
        }
        m_backend = std::move(*backend);
        break;
    }
    case EngineDevice::Kind::Automatic:  // resolved above
    case EngineDevice::Kind::Vulkan: {
        if (m_gpu && device.adapter != m_gpuAdapter)
            m_gpu.reset();
        m_gpuAdapter = device.adapter;
        if (!m_gpu) {
            auto gpu = openGpuContext(device.adapter);
            if (!gpu) {
                m_file.reset();
                // Not describe(): its NotFound means a missing file, here a missing device.
                emit loadFailed(tr("No usable GPU: %1").arg(QString::fromStdString(gpu.error().message)));
                return;
            }
            m_gpu = std::move(*gpu);
        }
        // A model the GPU cannot hold (or that the settings split) runs
        // split across it, the other GPUs taking part and the CPU engine.
        if (const SplitLoad split = loadSplit(device, context); split == SplitLoad::Failed) {
            m_file.reset();
            return;
        } else if (split == SplitLoad::Loaded) {
            break;
        }
        PlanOptions options;
        options.contextLength = context;
        options.kvType = device.placement.kvType;
        usageBefore = deviceLocalUsage(*m_gpu);
        auto backend = GpuBackend::load(*m_gpu->kernels, *m_file, options, loadProgressReporter());
        if (!backend) {
            m_file.reset();
            if (backend.error().code == ErrorCode::DeviceLost)
                closeGpus();
            emit loadFailed(describe(backend.error()));
            return;
        }
        m_backend = std::move(*backend);
        break;
    }
    }
    m_steps = std::make_unique<serve::StepCounter>(*m_backend);
    m_generator = std::make_unique<Generator>(*m_steps, m_file->tokenizer(), m_file->chatFormat());

    const ModelInfo& info = m_file->info();
    QVariantMap loaded;
    loaded["path"] = path;
    loaded["name"] = info.name.empty() ? QFileInfo(path).completeBaseName() : QString::fromStdString(info.name);
    loaded["architecture"] = QString::fromUtf8(architectureName(info.config.architecture).data());
    loaded["fileType"] = QString::fromStdString(info.fileType);
    loaded["parameters"] = qulonglong(info.parameterCount);
    loaded["contextLength"] = int(context);
    loaded["device"] = QString::fromStdString(m_backend->deviceName());
    loaded["chatFormat"] = QString::fromUtf8(chatFormatName(m_file->chatFormat()).data());
    loaded["expectReasoning"] = m_file->chatFormat() == ChatFormat::DeepSeekR1;
    QString summary = tr("%1 (%2) on %3").arg(loaded["name"].toString(), loaded["fileType"].toString(),
                                             loaded["device"].toString());
    if (auto* gpu = dynamic_cast<GpuBackend*>(m_backend.get())) {
        // The plan's bytes (the picker's estimate), and beside them what the
        // driver reports this process's device-local usage grew by.
        loaded["allocatedBytes"] = qulonglong(gpu->model().allocatedBytes());
        if (const auto usageAfter = deviceLocalUsage(*m_gpu); usageBefore && usageAfter)
            loaded["measuredBytes"] = qlonglong(*usageAfter - *usageBefore);
        summary += loaded.contains("measuredBytes")
                       ? tr(" · %1 on the GPU (measured: %2)")
                             .arg(formatMemoryBytes(gpu->model().allocatedBytes()),
                                  formatMemoryBytes(uint64_t(std::max<qlonglong>(0, loaded["measuredBytes"].toLongLong()))))
                       : tr(" · %1 on the GPU").arg(formatMemoryBytes(gpu->model().allocatedBytes()));
    } else if (dynamic_cast<SplitBackend*>(m_backend.get())) {
        describeSplit(loaded, summary);
    } else if (auto* cpu = dynamic_cast<CpuBackend*>(m_backend.get())) {
        // The CPU plan's bytes (the picker's estimate for the CPU), allocated at load.
        loaded["allocatedBytes"] = qulonglong(cpu->allocatedBytes());
        loaded["threads"] = int(cpu->threads());
        const QString ram = formatMemoryBytes(cpu->allocatedBytes());
        summary += cpu->threads() == 1 ? tr(" · %1 of RAM, 1 thread").arg(ram)
                                       : tr(" · %1 of RAM, %2 threads").arg(ram).arg(cpu->threads());
    }
    loaded["summary"] = summary;
    qCInfo(lcEngine) << "loaded" << path << "on" << loaded["device"].toString();
    emit modelLoaded(loaded);
}

void ChatEngine::generate(const QList<ChatTurn>& turns, const GenerationSettings& settings, quint64 request)
{
    if (request == 0)
        m_answerNow.store(false);
    if (!begin(request)) {
        emit finished({{"promptTokens", 0}, {"reusedTokens", 0}, {"generatedTokens", 0}, {"firstTokenSeconds", 0.0},
                       {"tokensPerSecond", 0.0}, {"promptTokensPerSecond", 0.0}, {"stopReason", "cancelled"}});
        return;
    }
    if (const QString error = guarded([&] { run(turns, settings); }); !error.isEmpty()) {
        // Thrown in the middle of a step, the session's cache and the
        // generator's record of it may disagree: close the model, as after a
        // lost device, rather than answer from a broken state.
        unloadModel();
        emit modelUnloaded();
        emit failed(tr("%1 The model was closed; open it again to go on.").arg(error));
    }
}

serve::JobResult ChatEngine::serveJob(serve::Job& job)
{
    if (!m_generator) {
        job.refused(Error{ErrorCode::InvalidArgument, "no model is loaded"}, 0);
        return {};
    }
    emit serverTurn(true);
    step("serve");
    std::optional<serve::JobResult> result;
    const QString error = guarded([&] { result = runJob(*m_generator, *m_steps, job); });
    if (!error.isEmpty()) {
        // As after the chat's own answer threw: the cache may not match the record.
        unloadModel();
        emit modelUnloaded();
        job.refused(Error{ErrorCode::InvalidArgument, error.toStdString()}, 0);
    }
    emit serverTurn(false);
    return result.value_or(serve::JobResult{});
}

void ChatEngine::run(const QList<ChatTurn>& turns, const GenerationSettings& settings)
{
    if (!m_generator) {
        emit failed(tr("No model is loaded. Open a model first."));
        return;
    }
    GenerationRequest request;
    for (const ChatTurn& turn : turns)
        request.messages.push_back({turn.role, turn.content.toStdString()});
    request.maxTokens = uint32_t(std::max(1, settings.maxTokens));
    request.sampler = settings.sampler;
    request.thinkingBudget = uint32_t(std::max(0, settings.thinkingBudget));
    request.answerNow = &m_answerNow;

    // The generator reports text, not tokens. Its cache holds the prompt and
    // every generated token but the newest when a piece arrives, so the
    // cache's growth past the prompt counts the tokens; less the tokens the
    // generator put in itself to end a reasoning cut short: their piece
    // ("\n</think>\n\n", once at most) arrives with the cache grown by them
    // and the last reasoning token, where a token's piece finds it grown by one.
    auto prompt = m_generator->promptTokens(request.messages);
    const qsizetype promptSize = prompt ? qsizetype(prompt->size()) : 0;
    qsizetype lastCached = promptSize;
    qsizetype inserted = 0;  // tokens in the cache the model did not generate
    int tokensSoFar = 0;
    bool cut = false;
    auto stats = m_generator->generate(
        request,
        [&](std::string_view piece) {
            const qsizetype cached = qsizetype(m_generator->cachedTokens().size());
            if (!cut && piece == "\n</think>\n\n" && cached - lastCached > 1) {
                cut = true;
                inserted = cached - lastCached - 1;
            } else {
                tokensSoFar = int(std::max<qsizetype>(1, cached - promptSize - inserted + 1));
            }
            lastCached = cached;
            step("text");
            emit text(QString::fromUtf8(piece.data(), qsizetype(piece.size())), tokensSoFar);
        },
        &m_stop);
    if (!stats) {
        if (stats.error().code == ErrorCode::DeviceLost) {
            unloadModel();
            closeGpus();
            emit modelUnloaded();
        }
        emit failed(describe(stats.error()));
        return;
    }
    QVariantMap result;
    result["promptTokens"] = stats->promptTokens;
    result["reusedTokens"] = stats->reusedTokens;
    result["generatedTokens"] = stats->generatedTokens;
    result["firstTokenSeconds"] = stats->firstTokenSeconds;
    result["tokensPerSecond"] = stats->generationTokensPerSecond();
    result["promptTokensPerSecond"] = stats->promptTokensPerSecond();
    result["stopReason"] = QString::fromUtf8(stopReasonName(stats->stopReason).data());
    // The generator counts the reasoning of a cut exactly; one that ended by
    // itself the chat counts from the text, `</think>` left out.
    if (stats->reasoningCutShort) {
        result["reasoningCutShort"] = true;
        result["reasoningTokens"] = stats->reasoningTokens;
    }
    emit finished(result);
}

} // namespace ponder::app
