// The renderer's worker thread side: typesets with MathJax (kept here, on
// its own thread, because MathJax takes milliseconds a formula and a few
// hundred to load) and draws the image. Only MathRenderer talks to it,
// through queued signals.
#pragma once

#include "formula_raster.h"
#include "math_style.h"
#include "mathjax_engine.h"

#include <QCache>
#include <QColor>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <memory>

namespace ponder::app {

// One formula to draw; `key` names the result.
struct MathJob {
    QString key;
    QString tex;
    MathStyle style = MathStyle::Inline;
    QColor colour;
    FormulaScale scale;
};

// What came of it: an image, or why not.
struct MathResult {
    QString key;
    QString tex;
    MathStyle style = MathStyle::Inline;
    RasterFormula raster;
    QString error; // empty when the image is there
    double typesetMs = 0;   // MathJax, 0 when its SVG was cached
    double rasterizeMs = 0; // Qt Svg into the image
};

class MathWorker : public QObject {
    Q_OBJECT
public:
    // `nodeModules`: where mathjax-full is (MathJaxEngine::findNodeModules()).
    explicit MathWorker(const QString& nodeModules);
    ~MathWorker() override;

    // From any thread, as the application ends: stops the formula being
    // typeset now, and every job still queued returns at once, drawing,
    // logging and emitting nothing (a message logged after the application's
    // handlers were gone aborted the process).
    void stop();

public slots:
    void render(const ponder::app::MathJob& job);

signals:
    void rendered(const ponder::app::MathResult& result);

private:
    std::expected<TypesetFormula, QString> typeset(const QString& tex, MathStyle style, double& milliseconds);

    std::unique_ptr<MathJaxEngine> m_mathJax;
    std::atomic<bool> m_stopped{false};
    // MathJax's SVG by style and source, so a new colour or font size only redraws.
    QCache<QString, TypesetFormula> m_svgs;
};

// How long one formula may take in MathJax before it shows as source.
inline constexpr std::chrono::milliseconds mathTimeLimit{3000};

} // namespace ponder::app

Q_DECLARE_METATYPE(ponder::app::MathJob)
Q_DECLARE_METATYPE(ponder::app::MathResult)
