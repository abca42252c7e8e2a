#include "conversation_exporter.h"

#include "conversation_export.h"
#include "markdown_plain_text.h"

#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcExport, "ponder.export")

namespace ponder::app {

ConversationExporter::ConversationExporter(QObject* parent) : QObject(parent) {}

void ConversationExporter::setStore(ConversationStore* store)
{
    if (store == m_store)
        return;
    m_store = store;
    emit storeChanged();
}

bool ConversationExporter::copyAnswer(qint64 messageId, Format format)
{
    const auto message = m_store ? m_store->message(messageId) : std::nullopt;
    QClipboard* clipboard = QGuiApplication::clipboard();
    if (!message || !clipboard)
        return false;
    clipboard->setText(format == Format::PlainText ? markdownToPlainText(message->content) : message->content);
    return true;
}

QString ConversationExporter::conversationMarkdown(qint64 conversationId) const
{
    const auto conversation = m_store ? m_store->conversation(conversationId) : std::nullopt;
    if (!conversation)
        return {};
    return app::conversationMarkdown(*conversation, m_store->currentBranch(conversationId));
}

QUrl ConversationExporter::suggestedFile(qint64 conversationId) const
{
    const auto conversation = m_store ? m_store->conversation(conversationId) : std::nullopt;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QDir(folder).exists())
        folder = QDir::homePath();
    return QUrl::fromLocalFile(QDir(folder).filePath(exportFileName(conversation ? conversation->title : QString())));
}

bool ConversationExporter::exportConversation(qint64 conversationId, const QString& fileUrl)
{
    const QUrl url(fileUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : fileUrl;
    const QString markdown = conversationMarkdown(conversationId);
    if (markdown.isEmpty())
        return fail(tr("There is no such conversation to export."));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit())
        return fail(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    qCInfo(lcExport) << "exported conversation" << conversationId << "to" << path;
    if (!m_errorString.isEmpty()) {
        m_errorString.clear();
        emit errorStringChanged();
    }
    return true;
}

bool ConversationExporter::fail(const QString& error)
{
    qCInfo(lcExport) << "export failed:" << error;
    m_errorString = error;
    emit errorStringChanged();
    return false;
}

} // namespace ponder::app
