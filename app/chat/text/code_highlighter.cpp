#include "code_highlighter.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include "highlight_html.h"

Q_LOGGING_CATEGORY(lcHighlight, "ponder.highlight")

namespace ponder::app {
namespace {

constexpr int kCacheCharacters = 8 * 1024 * 1024;

QString resolveTool(const QString& path)
{
    if (path.isEmpty())
        return {};
    if (!path.contains(u'/'))
        return QStandardPaths::findExecutable(path);
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
}

// Fence languages come from model output: only plain names go near the tool.
bool isSaneName(const QString& language)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_+#.][A-Za-z0-9_+#./() -]{0,63}$"));
    return name.match(language).hasMatch();
}

// The tool is a Qt 5 program: keep our Qt 6 plugin paths away from it.
QProcessEnvironment toolEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_PLUGIN_PATH"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM_PLUGIN_PATH"));
    return environment;
}

} // namespace

CodeHighlighter::CodeHighlighter(QObject* parent) : QObject(parent), m_cache(kCacheCharacters)
{
    m_tool = resolveTool(m_toolPath);
    if (m_tool.isEmpty())
        qCInfo(lcHighlight) << m_toolPath << "not found: code blocks stay plain";
}

CodeHighlighter::~CodeHighlighter()
{
    // No signal may reach a half-destroyed object; SIGKILL makes the wait short.
    QList<QProcess*> processes = m_running.keys();
    if (m_listProcess)
        processes.append(m_listProcess);
    for (QProcess* process : processes) {
        process->disconnect(this);
        process->kill();
        process->waitForFinished(1000);
    }
}

void CodeHighlighter::setToolPath(const QString& path)
{
    if (path == m_toolPath)
        return;
    m_toolPath = path;
    m_tool = resolveTool(path);
    m_cache.clear();
    if (m_listProcess) {
        m_listProcess->disconnect(this);
        m_listProcess->kill();
        m_listProcess->deleteLater();
        m_listProcess = nullptr;
    }
    m_listRequested = false;
    m_syntaxNames.clear();
    m_syntaxByLowerName.clear();
    emit toolPathChanged();
    emit syntaxesChanged();
}

void CodeHighlighter::setTimeoutMs(int ms)
{
    if (ms == m_timeoutMs || ms <= 0)
        return;
    m_timeoutMs = ms;
    emit timeoutMsChanged();
}

void CodeHighlighter::setLightTheme(const QString& theme)
{
    if (theme == m_lightTheme)
        return;
    m_lightTheme = theme;
    emit themesChanged();
}

void CodeHighlighter::setDarkTheme(const QString& theme)
{
    if (theme == m_darkTheme)
        return;
    m_darkTheme = theme;
    emit themesChanged();
}

QString CodeHighlighter::key(const QString& text, const QString& language, bool dark) const
{
    const QString material = language.trimmed().toLower() + u'\x1f' + (dark ? m_darkTheme : m_lightTheme) +
                             u'\x1f' + text;
    return QString::fromLatin1(QCryptographicHash::hash(material.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QString CodeHighlighter::syntaxFor(const QString& language) const
{
    const QString trimmed = language.trimmed();
    if (isPlainLanguage(trimmed) || !isSaneName(trimmed))
        return {};
    const QString alias = kdeSyntaxForAlias(trimmed);
    if (m_syntaxByLowerName.isEmpty())
        return alias.isEmpty() ? trimmed : alias;  // list not read yet: the tool refuses unknown names
    if (!alias.isEmpty() && m_syntaxNames.contains(alias))
        return alias;
    return m_syntaxByLowerName.value(trimmed.toLower());
}

QString CodeHighlighter::request(const QString& text, const QString& language, bool dark)
{
    const QString cacheKey = key(text, language, dark);
    if (const QString* cached = m_cache.object(cacheKey))
        return *cached;
    const QString plain = plainCodeHtml(text);
    if (!available() || text.trimmed().isEmpty() || isPlainLanguage(language.trimmed()))
        return plain;
    loadSyntaxes();
    const QString syntax = syntaxFor(language);
    if (syntax.isEmpty() || m_pendingKeys.contains(cacheKey))
        return plain;
    m_queue.append(Job{cacheKey, text, syntax, dark ? m_darkTheme : m_lightTheme});
    m_pendingKeys.insert(cacheKey);
    while (m_queue.size() > kMaxQueued)
        m_pendingKeys.remove(m_queue.takeFirst().key);
    startQueued();
    emit pendingCountChanged();
    return plain;
}

// Reads the tool's syntax names once, in the background.
void CodeHighlighter::loadSyntaxes()
{
    if (m_listRequested || !available())
        return;
    m_listRequested = true;
    auto* process = new QProcess(this);
    m_listProcess = process;
    process->setProcessEnvironment(toolEnvironment());
    process->setStandardErrorFile(QProcess::nullDevice());
    const auto done = [this, process](bool ok) {
        process->disconnect(this);
        process->deleteLater();
        m_listProcess = nullptr;
        const QStringList names = ok ? QString::fromUtf8(process->readAllStandardOutput()).split(u'\n') : QStringList();
        for (const QString& line : names) {
            const QString name = line.trimmed();
            if (name.isEmpty())
                continue;
            m_syntaxNames.append(name);
            m_syntaxByLowerName.insert(name.toLower(), name);
        }
        if (m_syntaxNames.isEmpty())
            qCWarning(lcHighlight) << "could not read the syntax list of" << m_tool;
        emit syntaxesChanged();
    };
    connect(process, &QProcess::finished, this,
            [done](int code, QProcess::ExitStatus status) { done(status == QProcess::NormalExit && code == 0); });
    connect(process, &QProcess::errorOccurred, this, [done](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done(false);
    });
    QTimer::singleShot(m_timeoutMs, process, [process] { process->kill(); });
    process->start(m_tool, {QStringLiteral("--list")});
}

void CodeHighlighter::startQueued()
{
    while (m_running.size() < kMaxRunning && !m_queue.isEmpty())
        start(m_queue.takeLast());
}

void CodeHighlighter::start(const Job& job)
{
    auto* process = new QProcess(this);
    m_running.insert(process, job);
    process->setProcessEnvironment(toolEnvironment());
    process->setStandardErrorFile(QProcess::nullDevice());
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        const bool ok = status == QProcess::NormalExit && code == 0;
        finish(process, ok ? sanitizeHighlightedHtml(QString::fromUtf8(process->readAllStandardOutput())) : QString());
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(process, QString());
    });
    QTimer::singleShot(m_timeoutMs, process, [process] { process->kill(); });
    // One argument per option (`--syntax=…`): a name can never pass for another option.
    process->start(m_tool, {QStringLiteral("--stdin"), QStringLiteral("--syntax=") + job.syntax,
                            QStringLiteral("--theme=") + job.theme, QStringLiteral("--output-format=html")});
    QByteArray input = job.text.toUtf8();
    if (!input.endsWith('\n'))
        input += '\n';
    process->write(input);
    process->closeWriteChannel();
}

void CodeHighlighter::finish(QProcess* process, const QString& html)
{
    const auto it = m_running.find(process);
    if (it == m_running.end())
        return;
    const Job job = it.value();
    m_running.erase(it);
    m_pendingKeys.remove(job.key);
    process->disconnect(this);
    process->deleteLater();

    if (html.isEmpty())
        qCDebug(lcHighlight) << "highlighting as" << job.syntax << "failed or timed out: showing plain text";
    const QString result = html.isEmpty() ? plainCodeHtml(job.text) : html;
    m_cache.insert(job.key, new QString(result), std::max<qsizetype>(result.size(), 1));
    emit highlighted(job.key, result);
    startQueued();
    emit pendingCountChanged();
}

} // namespace ponder::app
