#include "mathjax_engine.h"

#include "module_loader.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace ponder::app {

namespace {

// The packages our require() may read: MathJax and the parser its mhchem
// package (\ce) uses.
const QStringList allowedPackages{QStringLiteral("mathjax-full"), QStringLiteral("mhchemparser")};

// While MathJax's files compile, V4's code generator warns (category
// qt.qml.compiler) about every function that names a variable declared
// further down ("Variable \"Styles\" is used before its declaration"), as
// compiled TypeScript does throughout; legal JavaScript, and no concern of
// the user's. Those warnings are switched off for the load only.
class QuietJsCompiler {
public:
    QuietJsCompiler() { s_previous = QLoggingCategory::installFilter(&filter); }
    ~QuietJsCompiler() { QLoggingCategory::installFilter(s_previous); }
    QuietJsCompiler(const QuietJsCompiler&) = delete;
    QuietJsCompiler& operator=(const QuietJsCompiler&) = delete;

private:
    static void filter(QLoggingCategory* category)
    {
        if (s_previous)
            s_previous(category);
        if (qstrcmp(category->categoryName(), "qt.qml.compiler") == 0)
            category->setEnabled(QtWarningMsg, false);
    }
    static inline QLoggingCategory::CategoryFilter s_previous = nullptr;
};

bool holdsMathJax(const QString& dir)
{
    return !dir.isEmpty() && QFileInfo::exists(dir + QStringLiteral("/mathjax-full/js/mathjax.js"));
}

} // namespace

MathJaxEngine::MathJaxEngine(const QDir& nodeModules) : m_nodeModules(nodeModules) {}

MathJaxEngine::~MathJaxEngine() = default;

QString MathJaxEngine::findNodeModules()
{
    QStringList candidates{qEnvironmentVariable("PONDER_MATHJAX_DIR")};
    if (QCoreApplication::instance())
        candidates.append(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/ponder/mathjax"));
    candidates.append(QStringLiteral(PONDER_MATHJAX_SOURCE_DIR));
    for (const QString& dir : candidates) {
        if (holdsMathJax(dir))
            return QDir(dir).canonicalPath();
    }
    return {};
}

std::expected<void, QString> MathJaxEngine::load()
{
    if (m_loaded)
        return {};
    if (!m_loadError.isEmpty())
        return std::unexpected(m_loadError);
    const QuietJsCompiler quiet;
    m_js = std::make_unique<QJSEngine>();
    m_loader = new ModuleLoader(*m_js, m_nodeModules, allowedPackages);
    m_loader->setParent(m_js.get());

    QFile entryFile(QStringLiteral(":/ponder/math/mathjax_entry.js"));
    if (!entryFile.open(QIODevice::ReadOnly)) {
        m_loadError = QStringLiteral("mathjax_entry.js is missing from the resources");
        return std::unexpected(m_loadError);
    }
    const QString entry = QStringLiteral("(function (require) {") + QString::fromUtf8(entryFile.readAll())
        + QStringLiteral("\nreturn typeset;\n})");
    QJSValue factory = m_js->evaluate(entry, QStringLiteral("mathjax_entry.js"));
    QJSValue typeset = factory.isError() ? factory : factory.call({m_loader->requireFrom(m_nodeModules.path())});
    if (typeset.isError() || !typeset.isCallable()) {
        m_loadError = QStringLiteral("MathJax did not load: ") + typeset.toString();
        m_js.reset();
        return std::unexpected(m_loadError);
    }
    m_js->globalObject().setProperty(QStringLiteral("ponderTypeset"), typeset);
    m_loaded = true;
    return {};
}

std::expected<TypesetFormula, QString> MathJaxEngine::typeset(const QString& tex, bool display,
                                                            std::chrono::milliseconds limit)
{
    if (auto loaded = load(); !loaded)
        return std::unexpected(loaded.error());
    m_js->setInterrupted(false);
    QJSValue typesetFunction = m_js->globalObject().property(QStringLiteral("ponderTypeset"));
    QJSValue result;
    {
        // A watchdog: model output can hold a formula that keeps MathJax busy.
        // It counts the CPU time this thread spends, not the time on the
        // clock: on a loaded machine the (low-priority) typesetting thread
        // may wait for seconds without running, and an ordinary formula
        // must not be cut off for that.
        std::mutex mutex;
        std::condition_variable finished;
        bool done = false;
        m_running = m_js.get();
        clockid_t cpuClock{};
        const bool hasCpuClock = pthread_getcpuclockid(pthread_self(), &cpuClock) == 0;
        const auto cpuTime = [&] {
            timespec now{};
            clock_gettime(cpuClock, &now);
            return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
        };
        const auto cpuStart = hasCpuClock ? cpuTime() : std::chrono::nanoseconds{};
        std::thread watchdog([&] {
            std::unique_lock lock(mutex);
            if (!hasCpuClock) {
                if (!finished.wait_for(lock, limit, [&] { return done; }))
                    interrupt();
                return;
            }
            while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
                if (cpuTime() - cpuStart >= limit) {
                    interrupt();
                    return;
                }
            }
        });
        result = typesetFunction.call({QJSValue(tex), QJSValue(display)});
        if (m_js->hasError())
            result = m_js->catchError();
        {
            std::lock_guard lock(mutex);
            done = true;
        }
        finished.notify_one();
        watchdog.join();
        m_running = nullptr;
    }
    if (m_js->isInterrupted()) {
        m_js->setInterrupted(false);
        return std::unexpected(QStringLiteral("took too long"));
    }
    // MathJax throws TexError, which is not an Error: read its message.
    if (result.isError() || !result.isString()) {
        const QString message = result.property(QStringLiteral("message")).toString();
        return std::unexpected(message.isEmpty() ? result.toString() : message);
    }
    TypesetFormula formula;
    formula.svg = result.toString();
    if (!readSvgBox(formula.svg, formula))
        return std::unexpected(QStringLiteral("MathJax gave no usable SVG"));
    return formula;
}

void MathJaxEngine::interrupt()
{
    // QJSEngine::setInterrupted is the one member documented as thread-safe.
    if (QJSEngine* engine = m_running.load())
        engine->setInterrupted(true);
}

bool readSvgBox(const QString& svg, TypesetFormula& formula)
{
    static const QRegularExpression viewBox(
        QStringLiteral(R"re(^<svg [^>]*viewBox="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+)")re"));
    const QRegularExpressionMatch match = viewBox.match(svg);
    if (!match.hasMatch())
        return false;
    const double top = match.captured(2).toDouble();
    const double width = match.captured(3).toDouble();
    const double total = match.captured(4).toDouble();
    if (!(width > 0 && total > 0) || width > 1e6 || total > 1e6)
        return false;
    formula.width = width;
    formula.height = -top;
    formula.depth = total + top;
    return true;
}

} // namespace ponder::app
