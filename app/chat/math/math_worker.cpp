#include "math_worker.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

namespace ponder::app {

Q_LOGGING_CATEGORY(lcMath, "ponder.math")

namespace {

// SVGs kept, by total source characters (about 2 KB a formula: ~2500 formulas).
constexpr qsizetype svgCacheChars = 5 * 1024 * 1024;

} // namespace

MathWorker::MathWorker(const QString& nodeModules)
    : m_mathJax(nodeModules.isEmpty() ? nullptr : std::make_unique<MathJaxEngine>(QDir(nodeModules)))
{
    m_svgs.setMaxCost(svgCacheChars);
}

MathWorker::~MathWorker() = default;

void MathWorker::stop()
{
    m_stopped = true;
    if (m_mathJax)
        m_mathJax->interrupt();
}

std::expected<TypesetFormula, QString> MathWorker::typeset(const QString& tex, MathStyle style,
                                                          double& milliseconds)
{
    const QString svgKey = QString::number(int(style)) + QLatin1Char(':') + tex;
    if (const TypesetFormula* cached = m_svgs.object(svgKey))
        return *cached;
    if (!m_mathJax)
        return std::unexpected(QStringLiteral("MathJax is not installed"));
    QElapsedTimer timer;
    timer.start();
    auto formula = m_mathJax->typeset(tex, style == MathStyle::Display, mathTimeLimit);
    milliseconds = timer.nsecsElapsed() / 1e6;
    if (formula)
        m_svgs.insert(svgKey, new TypesetFormula(*formula), formula->svg.size());
    return formula;
}

void MathWorker::render(const MathJob& job)
{
    if (m_stopped)
        return;
    MathResult result;
    result.key = job.key;
    result.tex = job.tex;
    result.style = job.style;
    auto formula = typeset(job.tex, job.style, result.typesetMs);
    if (m_stopped)
        return;  // interrupted by stop(), not the formula's fault
    if (!formula) {
        result.error = formula.error();
        qCDebug(lcMath) << "shown as source:" << result.error;
        emit rendered(result);
        return;
    }
    QElapsedTimer timer;
    timer.start();
    result.raster = rasterizeFormula(*formula, job.style, job.colour, job.scale);
    result.rasterizeMs = timer.nsecsElapsed() / 1e6;
    if (result.raster.image.isNull())
        result.error = QStringLiteral("the SVG did not draw");
    emit rendered(result);
}

} // namespace ponder::app
