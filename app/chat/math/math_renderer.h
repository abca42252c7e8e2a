// The process-wide formula renderer: TeX source in, a cached image out.
// Asynchronous: asking for a formula that is not rendered yet returns at once
// (the caller shows the source) and formulaReady() follows when it is done or
// has failed. Rendering never runs on the GUI thread.
#pragma once

#include "math_style.h"

#include <QCache>
#include <QColor>
#include <QFont>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class QThread;

namespace ponder::app {

class MathWorker;
struct MathResult;

// What a caller gets for one formula: ready with an image, pending, or
// failed (shown as source for good).
struct RenderedFormula {
    Q_GADGET
    QML_VALUE_TYPE(renderedFormula)
    /// True when the image is there.
    Q_PROPERTY(bool ready MEMBER ready)
    /// True when the formula will never render (does not parse, too long, no renderer).
    Q_PROPERTY(bool failed MEMBER failed)
    /// image://math/... for an Image or an <img>; empty unless ready.
    Q_PROPERTY(QUrl url MEMBER url)
    /// Size of the image in logical pixels, padding included.
    Q_PROPERTY(QSize size MEMBER size)
    /// Logical pixels from the image's top to the formula's baseline.
    Q_PROPERTY(int baseline MEMBER baseline)
public:
    bool ready = false;
    bool failed = false;
    QUrl url;
    QSize size;
    int baseline = 0;
};

class MathRenderer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    /// Colour of formulas asked for without one; bind to the theme's text colour.
    Q_PROPERTY(QColor textColor READ textColor WRITE setTextColor NOTIFY textColorChanged)
    /// Font whose size formulas are scaled to (1 em of math = its pixel size).
    Q_PROPERTY(QFont font READ font WRITE setFont NOTIFY fontChanged)
    /// True when the TeX renderer (MathJax) was found; otherwise every formula shows as source.
    Q_PROPERTY(bool available READ available CONSTANT)
    /// Formulas waiting for the renderer.
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)

public:
    // The longest source rendered (characters); longer shows as source.
    static constexpr int maxSourceLength = 4000;

    ~MathRenderer() override;

    static MathRenderer& instance();
    // For QML_SINGLETON: the one instance, owned by C++.
    static MathRenderer* create(QQmlEngine*, QJSEngine*);

    QColor textColor() const { return m_textColor; }
    void setTextColor(const QColor& colour);
    QFont font() const { return m_font; }
    void setFont(const QFont& font);
    bool available() const;
    int pendingCount() const;

    // The formula in `colour` at the current font: ready, failed, or pending
    // (and then requested; formulaReady(tex) follows).
    Q_INVOKABLE ponder::app::RenderedFormula request(const QString& tex, ponder::app::MathStyle style,
                                                     const QColor& colour);
    // The same in textColor.
    Q_INVOKABLE ponder::app::RenderedFormula request(const QString& tex, ponder::app::MathStyle style);
    // formulaHtml() for QML.
    Q_INVOKABLE QString html(const QString& tex, ponder::app::MathStyle style);
    // Puts a formula's LaTeX source on the clipboard ("Copy LaTeX").
    Q_INVOKABLE void copySource(const QString& tex) const;

    // The image for image://math/<id>; null when it is not (or no longer) cached.
    // Any thread: Qt Quick may load images on its loader threads.
    QImage cachedImage(const QString& id) const;
    // What MathJax was looked for in and where it was found (empty: not found).
    QString mathJaxDir() const { return m_mathJaxDir; }
    // Milliseconds in MathJax and in drawing for the formulas rendered so far; for the benchmark.
    double typesetMilliseconds() const { return m_typesetMs; }
    double rasterizeMilliseconds() const { return m_rasterizeMs; }
    int renderedCount() const { return m_renderedCount; }

signals:
    // `tex` has been rendered or has failed: ask again.
    void formulaReady(const QString& tex);
    void textColorChanged();
    void fontChanged();
    void pendingCountChanged();

private:
    explicit MathRenderer(QObject* parent = nullptr);
    void startWorker();
    void stopWorker();  // waits for the job under way; later requests start it again
    void onRendered(const MathResult& result);

    struct CachedFormula {
        QImage image;
        QSize size;
        int baseline = 0;
    };

    QColor m_textColor = QColor(0x11, 0x18, 0x27);
    QFont m_font;
    QString m_mathJaxDir;
    QThread* m_thread = nullptr;
    MathWorker* m_worker = nullptr; // lives on m_thread

    mutable QMutex m_cacheMutex; // m_images is read by the image provider's threads
    QCache<QString, CachedFormula> m_images; // by id, cost in bytes: least recently used goes first
    QSet<QString> m_pending;                 // ids asked of the worker
    QSet<QString> m_failed;                  // style + source that will not render
    double m_typesetMs = 0;
    double m_rasterizeMs = 0;
    int m_renderedCount = 0;
};

} // namespace ponder::app
