#include "math_renderer.h"

#include "formula_html.h"
#include "math_worker.h"
#include "thread_priority.h"

#include <QClipboard>
#include <QCryptographicHash>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QThread>

namespace ponder::app {

namespace {

// Rendered images kept, in bytes: a screenful of formulas at 2x is a few MB.
constexpr qsizetype imageCacheBytes = 64 * 1024 * 1024;
// Sources that failed, remembered so they are not typeset again; a bound against a flood.
constexpr qsizetype maxFailuresRemembered = 10000;
// Nice levels the typesetter runs below the UI thread: on a busy core the
// UI thread gets about nine tenths of it, on an idle one MathJax all of it.
constexpr int typesetterNiceSteps = 10;

QString failureKey(const QString& tex, MathStyle style)
{
    return QString::number(int(style)) + QLatin1Char(':') + tex;
}

} // namespace

MathRenderer::MathRenderer(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<MathJob>();
    qRegisterMetaType<MathResult>();
    if (qGuiApp)
        m_font = QGuiApplication::font();
    m_images.setMaxCost(imageCacheBytes);
    m_mathJaxDir = MathJaxEngine::findNodeModules();
}

MathRenderer::~MathRenderer()
{
    stopWorker();
}

void MathRenderer::stopWorker()
{
    if (!m_thread)
        return;
    m_worker->stop();
    m_thread->quit();
    m_thread->wait();
    m_thread = nullptr;
}

MathRenderer& MathRenderer::instance()
{
    static MathRenderer* renderer = [] {
        auto* made = new MathRenderer(qApp);
        // The worker stops while the application still exists: as qApp's
        // child the renderer goes only after it, and a job still queued then
        // made a QJSEngine without an application (an abort at exit).
        qAddPostRoutine([] { instance().stopWorker(); });
        return made;
    }();
    return *renderer;
}

MathRenderer* MathRenderer::create(QQmlEngine*, QJSEngine*)
{
    MathRenderer* renderer = &instance();
    QQmlEngine::setObjectOwnership(renderer, QQmlEngine::CppOwnership);
    return renderer;
}

void MathRenderer::startWorker()
{
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("ponder-math"));
    m_worker = new MathWorker(m_mathJaxDir);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &MathWorker::rendered, this, &MathRenderer::onRendered);
    // Run in the new thread (`started` is emitted there): QThread::LowPriority does nothing on Linux.
    connect(m_thread, &QThread::started, m_worker, [] { lowerCurrentThreadPriority(typesetterNiceSteps); },
            Qt::DirectConnection);
    m_thread->start();
}

void MathRenderer::setTextColor(const QColor& colour)
{
    if (!colour.isValid() || colour == m_textColor)
        return;
    m_textColor = colour;
    emit textColorChanged();
}

void MathRenderer::setFont(const QFont& font)
{
    if (font == m_font)
        return;
    m_font = font;
    emit fontChanged();
}

bool MathRenderer::available() const
{
    return !m_mathJaxDir.isEmpty();
}

int MathRenderer::pendingCount() const
{
    return int(m_pending.size());
}

RenderedFormula MathRenderer::request(const QString& tex, MathStyle style, const QColor& colour)
{
    RenderedFormula result;
    if (tex.trimmed().isEmpty() || tex.size() > maxSourceLength || !available()
        || m_failed.contains(failureKey(tex, style))) {
        result.failed = true;
        return result;
    }

    MathJob job;
    job.tex = tex;
    job.style = style;
    job.colour = colour.isValid() ? colour : m_textColor;
    job.scale.emPixels = QFontInfo(m_font).pixelSize();
    job.scale.xHeightPixels = QFontMetricsF(m_font).xHeight();
    job.scale.devicePixelRatio = qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
    // The id names everything that changes the picture; a hash keeps the URL short and plain.
    const QString description = failureKey(tex, style) + QLatin1Char('|') + job.colour.name(QColor::HexArgb)
        + QLatin1Char('|') + QString::number(job.scale.emPixels) + QLatin1Char('|')
        + QString::number(job.scale.xHeightPixels) + QLatin1Char('|') + QString::number(job.scale.devicePixelRatio);
    job.key = QString::fromLatin1(
        QCryptographicHash::hash(description.toUtf8(), QCryptographicHash::Sha1).toHex());

    {
        QMutexLocker lock(&m_cacheMutex);
        if (const CachedFormula* cached = m_images.object(job.key)) {
            result.ready = true;
            result.url = QUrl(QStringLiteral("image://math/") + job.key);
            result.size = cached->size;
            result.baseline = cached->baseline;
            return result;
        }
    }
    if (!m_pending.contains(job.key)) {
        if (!m_thread)
            startWorker();
        m_pending.insert(job.key);
        QMetaObject::invokeMethod(m_worker, "render", Qt::QueuedConnection, Q_ARG(ponder::app::MathJob, job));
        emit pendingCountChanged();
    }
    return result;
}

RenderedFormula MathRenderer::request(const QString& tex, MathStyle style)
{
    return request(tex, style, m_textColor);
}

void MathRenderer::onRendered(const MathResult& result)
{
    m_pending.remove(result.key);
    m_typesetMs += result.typesetMs;
    m_rasterizeMs += result.rasterizeMs;
    ++m_renderedCount;
    if (result.error.isEmpty()) {
        auto* cached = new CachedFormula{result.raster.image, result.raster.logicalSize, result.raster.baseline};
        QMutexLocker lock(&m_cacheMutex);
        m_images.insert(result.key, cached, qMax<qsizetype>(1, cached->image.sizeInBytes()));
    } else {
        // A failure does not depend on colour or size: remembered by style and source.
        if (m_failed.size() > maxFailuresRemembered)
            m_failed.clear();
        m_failed.insert(failureKey(result.tex, result.style));
    }
    emit pendingCountChanged();
    emit formulaReady(result.tex);
}

QImage MathRenderer::cachedImage(const QString& id) const
{
    QMutexLocker lock(&m_cacheMutex);
    const CachedFormula* cached = m_images.object(id);
    return cached ? cached->image : QImage();
}

QString MathRenderer::html(const QString& tex, MathStyle style)
{
    return formulaHtml(tex, style);
}

void MathRenderer::copySource(const QString& tex) const
{
    QGuiApplication::clipboard()->setText(tex);
}

} // namespace ponder::app
