// The require() that MathJax's CommonJS files get inside our QJSEngine:
// resolves a module name to a file and compiles it, refusing anything that
// is not a .js file inside the allowed packages (mathjax-full, mhchemparser).
// Formulas are model output, and MathJax can load code by name (\require);
// this is the second wall behind leaving those TeX packages out.
#pragma once

#include <QDir>
#include <QJSValue>
#include <QObject>
#include <QString>
#include <QStringList>

class QJSEngine;

namespace ponder::app {

class ModuleLoader : public QObject {
    Q_OBJECT
public:
    // Packages under `nodeModules` that may be loaded, by folder name.
    ModuleLoader(QJSEngine& engine, const QDir& nodeModules, const QStringList& packages);

    // The canonical path of module `name` required from a file in folder
    // `fromDir`: "./x.js" and "../x" relative to it, "mathjax-full/js/x.js"
    // in node_modules. Empty when refused (outside the packages, not .js,
    // missing).
    Q_INVOKABLE QString resolve(const QString& fromDir, const QString& name) const;
    // The file at `path` (from resolve()) as a function
    // (exports, require, module, __filename); an Error value when it does not compile.
    Q_INVOKABLE QJSValue compile(const QString& path);

    // A require() for modules named from `fromDir`, sharing one module cache.
    QJSValue requireFrom(const QString& fromDir);

private:
    QJSEngine& m_engine;
    QString m_nodeModules;     // canonical
    QStringList m_packageRoots; // canonical, each ending in '/'
    QJSValue m_makeRequire;
};

} // namespace ponder::app
