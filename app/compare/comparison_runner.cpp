#include "comparison_runner.h"

#include <QFileInfo>
#include <QLoggingCategory>

#include <exception>
#include <new>

#include "compare_backend.h"
#include "engine_helpers.h"
#include "ponder/model_file.h"
#include "ponder/token_decoder.h"
#include "ponder/tokenizer.h"

Q_LOGGING_CATEGORY(lcCompare, "ponder.compare")

namespace ponder::app {

struct ComparisonRunner::Outcome {
    std::shared_ptr<Comparison> comparison;  // set on success only
    QString error;
    bool cancelled = false;
    int peakModels = 0;
};

namespace {

// Runs `work`; what an exception out of it means for the user, empty when
// none came (none may leave the worker thread: it would end the app).
QString guarded(const std::function<void()>& work)
{
    try {
        work();
        return {};
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {
    } catch (const std::exception& error) {
        qCWarning(lcCompare) << "the engine threw:" << error.what();
        return ComparisonRunner::tr("The engine failed: %1").arg(QString::fromLocal8Bit(error.what()));
    } catch (...) {
        return ComparisonRunner::tr("The engine failed with an unknown error.");
    }
    return ComparisonRunner::tr("Not enough memory (RAM) for the comparison. Try smaller quants or fewer tokens.");
}

// Where each model's own answer first departs from the reference's, as
// offsets into its text: the tokens before the departure are the
// reference's too, so their text is the same in both answers.
void findDepartures(Comparison& comparison, const Tokenizer& tokenizer)
{
    const ComparisonResult& result = comparison.result;
    for (size_t m = 0; m < result.models.size(); ++m) {
        const ModelComparison& model = result.models[m];
        ComparedFile& file = comparison.files[m];
        file.departures.assign(comparison.prompts.size(), Departure{});
        if (m == result.reference)
            continue;
        for (size_t p = 0; p < model.divergence.size() && p < model.answers.size(); ++p) {
            const size_t first = model.divergence[p].firstDeparture;
            if (first == SIZE_MAX)
                continue;
            const std::vector<int32_t>& tokens = model.answers[p].tokens;
            TokenDecoder decoder(tokenizer);
            std::string prefix;
            for (size_t i = 0; i < first && i < tokens.size(); ++i)
                prefix += decoder.push(tokens[i]);
            std::string piece;
            // A token in the middle of a character shows nothing alone: take the next until it does.
            for (size_t i = first; i < tokens.size() && piece.empty() && i < first + 4; ++i)
                piece = decoder.push(tokens[i]);
            Departure& departure = file.departures[p];
            departure.offset = int(QString::fromUtf8(prefix.data(), qsizetype(prefix.size())).size());
            departure.length = int(QString::fromUtf8(piece.data(), qsizetype(piece.size())).size());
            if (p < result.referencePieces.size() && first < result.referencePieces[p].size()) {
                const std::string& reference = result.referencePieces[p][first];
                departure.referenceLength = int(QString::fromUtf8(reference.data(), qsizetype(reference.size())).size());
            }
        }
    }
}

void addTokenText(QHash<int, QString>& texts, const Tokenizer& tokenizer, int32_t id)
{
    if (texts.contains(id))
        return;
    const std::string text = tokenizer.decode(std::span<const int32_t>(&id, 1));
    texts.insert(id, QString::fromUtf8(text.data(), qsizetype(text.size())));
}

// The text of every token the top lists name, for the heat map's hover.
void collectTokenTexts(Comparison& comparison, const Tokenizer& tokenizer)
{
    for (const auto& rows : comparison.result.referenceTop)
        for (const TokenProbability& entry : rows)
            addTokenText(comparison.tokenTexts, tokenizer, entry.token);
    for (const ModelComparison& model : comparison.result.models)
        for (const PromptDivergence& prompt : model.divergence)
            for (const TokenProbability& entry : prompt.top)
                addTokenText(comparison.tokenTexts, tokenizer, entry.token);
}

} // namespace

ComparisonRunner::ComparisonRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<ponder::app::Comparison>>();
}

ComparisonRunner::~ComparisonRunner()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void ComparisonRunner::setError(const QString& error)
{
    if (error == m_errorString)
        return;
    m_errorString = error;
    emit errorStringChanged();
}

void ComparisonRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool ComparisonRunner::start(ComparisonRequest request)
{
    if (m_thread) {
        setError(tr("A comparison is running already."));
        return false;
    }
    if (request.paths.size() < 2 || request.paths.size() > 5) {
        setError(tr("Choose two to five model files to compare."));
        return false;
    }
    if (request.prompts.empty()) {
        setError(tr("Type a prompt, or choose the evaluation set."));
        return false;
    }
    request.files.resize(size_t(request.paths.size()));
    setError(QString());
    m_stages.clear();
    m_stage = tr("Starting");
    m_fraction = 0;
    m_secondsLeft = -1;
    m_peakModels = 0;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto outcome = std::make_shared<Outcome>();

    m_thread = QThread::create([this, request = std::move(request), outcome, cancel = m_cancel]() {
        auto comparison = std::make_shared<Comparison>();
        comparison->created = QDateTime::currentDateTimeUtc();
        comparison->title = request.title;
        comparison->evaluationSet = request.evaluationSet;
        comparison->seed = request.options.sampler.seed;
        comparison->maxTokens = int(request.options.maxTokens);
        comparison->prompts = request.prompts;
        comparison->files = request.files;
        std::vector<std::string> paths;
        for (const QString& path : request.paths)
            paths.push_back(path.toStdString());
        // Room for a prompt of the evaluation set and the longest answer.
        CompareBackends backends(request.device, request.options.maxTokens + 1024);
        // Models run one after another, each closed before the next loads,
        // so two that would not fit together still compare: the stage of
        // each later model's loading says so.
        auto onProgress = [this, loaded = size_t(0)](const ComparisonProgress& progress) mutable {
            QString stage = QString::fromStdString(progress.stage);
            if (stage.startsWith(QLatin1String("Loading ")) && loaded++ > 0)
                stage += tr(" (the previous model was closed: one model in memory at a time)");
            const double fraction = progress.fraction;
            const double left = progress.secondsLeft;
            QMetaObject::invokeMethod(
                this,
                [this, stage, fraction, left] {
                    if (!m_thread)
                        return;
                    if (m_stages.isEmpty() || m_stages.last() != stage)
                        m_stages.append(stage);
                    m_stage = stage;
                    m_fraction = fraction;
                    m_secondsLeft = left;
                    emit progressChanged();
                },
                Qt::QueuedConnection);
        };
        const QString thrown = guarded([&] {
            auto result = compareQuants(
                paths, comparison->prompts, request.options,
                [&backends](const ModelFile& model) { return backends.open(model); }, onProgress, cancel.get());
            if (!result) {
                if (result.error().code == ErrorCode::Cancelled || cancel->load())
                    outcome->cancelled = true;
                else
                    outcome->error = describeEngineError(result.error());
                return;
            }
            comparison->result = std::move(*result);
            const auto memory = backends.memoryBytes();
            for (size_t m = 0; m < comparison->result.models.size() && m < comparison->files.size(); ++m)
                if (auto it = memory.find(comparison->result.models[m].path); it != memory.end())
                    comparison->files[m].memoryBytes = it->second;
            comparison->device = backends.deviceName();
            // The reference's tokenizer (all share it) reads the answers' tokens back as text.
            auto reference = ModelFile::open(comparison->result.models[comparison->result.reference].path);
            if (!reference) {
                outcome->error = describeEngineError(reference.error());
                return;
            }
            findDepartures(*comparison, (*reference)->tokenizer());
            collectTokenTexts(*comparison, (*reference)->tokenizer());
            outcome->comparison = comparison;
        });
        if (!thrown.isEmpty())
            outcome->error = thrown;
        outcome->peakModels = backends.peakModels();
    });
    connect(m_thread, &QThread::finished, this, [this, outcome] { finish(outcome); });
    m_thread->start();
    emit runningChanged();
    emit progressChanged();
    return true;
}

void ComparisonRunner::finish(const std::shared_ptr<Outcome>& outcome)
{
    m_thread->deleteLater();
    m_thread = nullptr;
    m_peakModels = outcome->peakModels;
    m_cancel.reset();
    emit runningChanged();
    if (outcome->comparison) {
        m_stage = tr("Done");
        m_fraction = 1;
        m_secondsLeft = 0;
        emit progressChanged();
        emit succeeded(outcome->comparison);
        return;
    }
    m_stage = outcome->cancelled ? tr("Cancelled") : tr("Failed");
    emit progressChanged();
    if (!outcome->cancelled)
        setError(outcome->error.isEmpty() ? tr("The comparison failed.") : outcome->error);
    emit failed(outcome->cancelled);
}

} // namespace ponder::app
