// MathJax 3 in a QJSEngine: TeX source to SVG text, in process, no browser
// and no Node.js. Owns its JavaScript engine, so it lives on one thread (the
// renderer's worker); not thread-safe. Loading MathJax takes a few hundred
// milliseconds, so it happens once, on first use.
#pragma once

#include <QDir>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <expected>
#include <memory>

class QJSEngine;

namespace ponder::app {

class ModuleLoader;

// One typeset formula: the SVG and its box in MathJax units (1000 per em),
// with y = 0 on the baseline.
struct TypesetFormula {
    QString svg;
    double width = 0;  // 1/1000 em
    double height = 0; // above the baseline, 1/1000 em
    double depth = 0;  // below the baseline, 1/1000 em
};

class MathJaxEngine {
public:
    // `nodeModules`: the folder holding mathjax-full/ (and mhchemparser/).
    explicit MathJaxEngine(const QDir& nodeModules);
    ~MathJaxEngine();
    MathJaxEngine(const MathJaxEngine&) = delete;
    MathJaxEngine& operator=(const MathJaxEngine&) = delete;

    // Loads MathJax if not yet loaded; the error says why it cannot.
    std::expected<void, QString> load();
    // `tex` as SVG, or the TeX error ("Missing close brace"). An error too
    // when it spends more than `limit` of CPU time (not time on the clock)
    // or interrupt() is called from another thread.
    std::expected<TypesetFormula, QString> typeset(const QString& tex, bool display,
                                                   std::chrono::milliseconds limit);
    // Stops the formula being typeset now; callable from any thread.
    void interrupt();

    // The folder where MathJax is looked for: $PONDER_MATHJAX_DIR, else the
    // installed copy (<prefix>/share/ponder/mathjax beside bin/), else the
    // source tree's resources/mathjax/node_modules (a build that was not
    // installed). Empty when none holds mathjax-full.
    static QString findNodeModules();

private:
    QDir m_nodeModules;
    std::unique_ptr<QJSEngine> m_js;
    // Set while a formula runs, for interrupt() on another thread.
    std::atomic<QJSEngine*> m_running{nullptr};
    ModuleLoader* m_loader = nullptr; // owned by m_js
    bool m_loaded = false;
    QString m_loadError;
};

// Parses MathJax's <svg ... viewBox="x -height width height+depth"> into the
// box of a TypesetFormula; false when the SVG has no usable viewBox.
bool readSvgBox(const QString& svg, TypesetFormula& formula);

} // namespace ponder::app
