// Syntax highlighting for code blocks with KDE's syntax definitions. Debian
// 12 ships KSyntaxHighlighting only for Qt 5, so it runs as KDE's
// `kate-syntax-highlighter` tool in a separate process: asynchronous, never
// blocking the UI thread, killed after timeoutMs, at most two at a time.
//
// request() answers at once: the highlighted HTML when the cache (keyed by
// language, theme and text) has it, else the plain escaped code, and then
// starts a run whose result arrives by highlighted(key, html). A missing tool,
// a plain or unknown language answers plain and starts nothing; a run that
// fails or times out answers its plain HTML by highlighted() and is cached as
// such. Both forms are a <pre> safe for a Qt Quick Text with textFormat
// RichText: only spans with colours and font styles survive (highlight_html.h).
//
// A block that is still streaming changes often; queued runs go newest first,
// and when more than kMaxQueued wait the oldest are dropped without a signal
// (their text is stale; asking again queues them again).
#pragma once

#include <QCache>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class QProcess;

namespace ponder::app {

class CodeHighlighter : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// The highlighter tool: a path, or a name looked up in PATH. Default "kate-syntax-highlighter".
    Q_PROPERTY(QString toolPath READ toolPath WRITE setToolPath NOTIFY toolPathChanged)
    /// True when the tool was found and is executable.
    Q_PROPERTY(bool available READ available NOTIFY toolPathChanged)
    /// Longest one highlighting run may take before it is killed, in ms.
    Q_PROPERTY(int timeoutMs READ timeoutMs WRITE setTimeoutMs NOTIFY timeoutMsChanged)
    /// KDE theme for the light palette (`kate-syntax-highlighter --list-themes`).
    Q_PROPERTY(QString lightTheme READ lightTheme WRITE setLightTheme NOTIFY themesChanged)
    /// KDE theme for the dark palette.
    Q_PROPERTY(QString darkTheme READ darkTheme WRITE setDarkTheme NOTIFY themesChanged)
    /// The tool's syntax definition names; empty until its list has been read (at the first request).
    Q_PROPERTY(QStringList syntaxes READ syntaxes NOTIFY syntaxesChanged)
    /// Runs queued or in progress.
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)

public:
    static constexpr int kMaxRunning = 2;
    static constexpr int kMaxQueued = 64;

    explicit CodeHighlighter(QObject* parent = nullptr);
    ~CodeHighlighter() override;

    QString toolPath() const { return m_toolPath; }
    void setToolPath(const QString& path);
    bool available() const { return !m_tool.isEmpty(); }
    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms);
    QString lightTheme() const { return m_lightTheme; }
    void setLightTheme(const QString& theme);
    QString darkTheme() const { return m_darkTheme; }
    void setDarkTheme(const QString& theme);
    QStringList syntaxes() const { return m_syntaxNames; }
    int pendingCount() const { return int(m_queue.size() + m_running.size()); }

    /// HTML for `text` in the fence language `language` now: highlighted if
    /// cached, else plain, with highlighted(key(...), html) to follow if a run starts.
    Q_INVOKABLE QString request(const QString& text, const QString& language, bool dark);
    /// The key highlighted() reports for these arguments.
    Q_INVOKABLE QString key(const QString& text, const QString& language, bool dark) const;
    /// The KDE syntax used for a fence language; empty for none (plain text).
    Q_INVOKABLE QString syntaxFor(const QString& language) const;
    /// True while a run for this key is queued or in progress.
    Q_INVOKABLE bool isPending(const QString& key) const { return m_pendingKeys.contains(key); }

signals:
    void toolPathChanged();
    void timeoutMsChanged();
    void themesChanged();
    void syntaxesChanged();
    void pendingCountChanged();
    void highlighted(const QString& key, const QString& html);

private:
    struct Job {
        QString key;
        QString text;
        QString syntax;
        QString theme;
    };

    void loadSyntaxes();
    void startQueued();
    void start(const Job& job);
    void finish(QProcess* process, const QString& html);

    QString m_toolPath = QStringLiteral("kate-syntax-highlighter");
    QString m_tool;  // resolved executable; empty when not found
    int m_timeoutMs = 5000;
    QString m_lightTheme = QStringLiteral("Breeze Light");
    QString m_darkTheme = QStringLiteral("Breeze Dark");
    QHash<QString, QString> m_syntaxByLowerName;
    QStringList m_syntaxNames;
    QPointer<QProcess> m_listProcess;
    bool m_listRequested = false;  // once per tool: a failed list is not asked for again
    QCache<QString, QString> m_cache;  // key → HTML; cost = characters
    QList<Job> m_queue;                // oldest first; runs take from the back
    QHash<QProcess*, Job> m_running;
    QSet<QString> m_pendingKeys;
};

} // namespace ponder::app
