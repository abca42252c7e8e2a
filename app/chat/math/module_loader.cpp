#include "module_loader.h"

#include <QFile>
#include <QFileInfo>
#include <QJSEngine>

namespace ponder::app {

namespace {

// makeRequire(dir) returns a require() for files in dir; modules are
// evaluated once and cached by canonical path, as Node does.
constexpr auto bootstrap = R"js(
(function (loader) {
    var modules = {};
    function makeRequire(dir) {
        return function (name) {
            var path = loader.resolve(dir, String(name));
            if (!path)
                throw new Error("module refused: " + name);
            var cached = modules[path];
            if (cached)
                return cached.exports;
            var module = { exports: {} };
            modules[path] = module;
            var factory = loader.compile(path);
            if (typeof factory !== "function")
                throw factory;
            factory.call(module.exports, module.exports,
                         makeRequire(path.substring(0, path.lastIndexOf("/"))), module, path);
            return module.exports;
        };
    }
    return makeRequire;
})
)js";

// MathJax's largest compiled file is about 300 KB.
constexpr qint64 maxModuleBytes = 4 * 1024 * 1024;

} // namespace

ModuleLoader::ModuleLoader(QJSEngine& engine, const QDir& nodeModules, const QStringList& packages)
    : m_engine(engine), m_nodeModules(nodeModules.canonicalPath())
{
    for (const QString& package : packages) {
        const QString root = QFileInfo(nodeModules.filePath(package)).canonicalFilePath();
        if (!root.isEmpty())
            m_packageRoots.append(root + QLatin1Char('/'));
    }
    QJSValue factory = m_engine.evaluate(QString::fromUtf8(bootstrap), QStringLiteral("ponder:require"));
    m_makeRequire = factory.call({m_engine.newQObject(this)});
}

QString ModuleLoader::resolve(const QString& fromDir, const QString& name) const
{
    if (name.isEmpty() || m_nodeModules.isEmpty())
        return {};
    const bool relative = name.startsWith(QLatin1String("./")) || name.startsWith(QLatin1String("../"));
    QString path = relative               ? fromDir + QLatin1Char('/') + name
        : QDir::isAbsolutePath(name) ? name
                                     : m_nodeModules + QLatin1Char('/') + name;
    if (!path.endsWith(QLatin1String(".js")))
        path += QLatin1String(".js");
    const QFileInfo file(path);
    const QString canonical = file.canonicalFilePath();
    if (canonical.isEmpty() || !file.isFile() || !canonical.endsWith(QLatin1String(".js")))
        return {};
    for (const QString& root : m_packageRoots) {
        if (canonical.startsWith(root))
            return canonical;
    }
    return {};
}

QJSValue ModuleLoader::compile(const QString& path)
{
    // resolve() again: JavaScript could call compile() with any string.
    const QString checked = resolve(QString(), path);
    QFile file(checked);
    if (checked.isEmpty() || file.size() > maxModuleBytes || !file.open(QIODevice::ReadOnly))
        return m_engine.newErrorObject(QJSValue::URIError, QStringLiteral("module refused: ") + path);
    const QString source = QStringLiteral("(function (exports, require, module, __filename) {")
        + QString::fromUtf8(file.readAll()) + QStringLiteral("\n})");
    return m_engine.evaluate(source, checked);
}

QJSValue ModuleLoader::requireFrom(const QString& fromDir)
{
    return m_makeRequire.call({QJSValue(fromDir)});
}

} // namespace ponder::app
