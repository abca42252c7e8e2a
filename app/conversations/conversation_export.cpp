// The Markdown export of a conversation, and the md4c check that keeps
// hostile text from changing the file's structure.
#include "conversation_export.h"

#include <QCoreApplication>
#include <QLocale>

#include <md4c.h>

#include <algorithm>

namespace ponder::app {

namespace {

// lupdate takes a tr() call's context from its class.
struct ExportText {
    Q_DECLARE_TR_FUNCTIONS(ConversationExport)
};

// A word md4c reads as a paragraph of its own: after the text and a blank
// line, it must come out as the last top-level block, whole, or the text
// left something open (a fence, an HTML block) that swallowed it.
constexpr char kSentinel[] = "PonderExportSentinel";
// GitHub's dialect: the file is read there, and by viewers that follow it.
constexpr unsigned kGithubFlags = MD_DIALECT_GITHUB;
// Each round escapes the raw HTML md4c found; escaping a block's tag can
// reveal inline HTML in the lines it held, found in the next round.
constexpr int kMaxRounds = 16;

// What md4c made of a text followed by the sentinel.
struct Scan {
    const char* begin = nullptr;  // the scanned buffer
    qsizetype textSize = 0;       // bytes of the text, before the sentinel
    qsizetype bufferSize = 0;
    QList<qsizetype> htmlAt;      // offsets of raw HTML's '<' in the text
    bool pointersOutside = false; // md4c gave text that is not in the buffer: cannot escape in place
    char lastFence = 0;           // the fence character of the last fenced code block
    int depth = 0;
    MD_BLOCKTYPE lastTop = MD_BLOCK_DOC;
    QByteArray lastTopText;

    bool sentinelWhole() const { return lastTop == MD_BLOCK_P && lastTopText == kSentinel; }
    bool contained() const { return htmlAt.isEmpty() && !pointersOutside && sentinelWhole(); }
};

int onEnterBlock(MD_BLOCKTYPE type, void* detail, void* data)
{
    auto* scan = static_cast<Scan*>(data);
    if (scan->depth == 1) {
        scan->lastTop = type;
        scan->lastTopText.clear();
    }
    if (type == MD_BLOCK_CODE) {
        if (const char fence = static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->fence_char)
            scan->lastFence = fence;
    }
    ++scan->depth;
    return 0;
}

int onLeaveBlock(MD_BLOCKTYPE, void*, void* data)
{
    --static_cast<Scan*>(data)->depth;
    return 0;
}

int onSpan(MD_SPANTYPE, void*, void*)
{
    return 0;
}

int onText(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* data)
{
    auto* scan = static_cast<Scan*>(data);
    if (scan->depth >= 2)
        scan->lastTopText.append(text, size);
    if (type != MD_TEXT_HTML)
        return 0;
    const MD_CHAR* end = text + size;
    const MD_CHAR* tag = std::find(text, end, '<');
    if (tag == end)
        return 0;
    if (tag < scan->begin || tag >= scan->begin + scan->bufferSize) {
        scan->pointersOutside = true;
        return 0;
    }
    const qsizetype at = tag - scan->begin;
    if (at < scan->textSize && !scan->htmlAt.contains(at))
        scan->htmlAt.append(at);
    return 0;
}

Scan scan(const QByteArray& text)
{
    const QByteArray buffer = text + "\n\n" + kSentinel + "\n";
    Scan result;
    result.begin = buffer.constData();
    result.textSize = text.size();
    result.bufferSize = buffer.size();
    MD_PARSER parser{};
    parser.flags = kGithubFlags;
    parser.enter_block = onEnterBlock;
    parser.leave_block = onLeaveBlock;
    parser.enter_span = onSpan;
    parser.leave_span = onSpan;
    parser.text = onText;
    md_parse(buffer.constData(), MD_SIZE(buffer.size()), &parser, &result);
    result.begin = nullptr;  // the buffer goes with this scope
    return result;
}

qsizetype longestRun(const QByteArray& text, char c)
{
    qsizetype longest = 0;
    qsizetype run = 0;
    for (const char ch : text) {
        run = ch == c ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// A closing fence for the fenced block `text` leaves open, found by trying:
// md4c does not say how long the opening fence was, nor how far the list
// item it may sit in is indented, so each candidate is checked by a parse.
std::optional<QByteArray> closedFence(const QByteArray& text, char lastFence)
{
    for (const char fence : {lastFence, '`', '~'}) {
        if (fence == 0)
            continue;
        const QByteArray closing(std::max<qsizetype>(3, longestRun(text, fence) + 1), fence);
        for (const int indent : {0, 2, 3, 4, 5, 6, 8, 10, 12}) {
            const QByteArray candidate = text + '\n' + QByteArray(indent, ' ') + closing;
            if (scan(candidate).contained())
                return candidate;
        }
    }
    return std::nullopt;
}

QByteArray normalised(const QString& markdown)
{
    QString text = markdown;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    text.replace(QChar(0), QChar(QChar::ReplacementCharacter));
    while (text.startsWith(u'\n'))
        text.remove(0, 1);
    qsizetype end = text.size();
    while (end > 0 && (text[end - 1] == u' ' || text[end - 1] == u'\t' || text[end - 1] == u'\n'))
        --end;
    text.truncate(end);
    return text.toUtf8();
}

QString fenced(const QByteArray& text, const QString& language)
{
    const QByteArray fence(std::max<qsizetype>(3, longestRun(text, '`') + 1), '`');
    return QString::fromUtf8(fence) + language + u'\n' + QString::fromUtf8(text) + u'\n' + QString::fromUtf8(fence);
}

QString reasoningSummary(const StoredMessage& message)
{
    const int tokens = message.stats.reasoningTokens;
    const QString count =
        tokens == 1 ? ExportText::tr("1 token") : ExportText::tr("%1 tokens").arg(QLocale().toString(tokens));
    QString cut;
    switch (message.stats.reasoningCut) {
    case ReasoningCut::None: break;
    case ReasoningCut::AnswerNow: cut = ExportText::tr("cut short: you asked to answer"); break;
    case ReasoningCut::Budget: cut = ExportText::tr("cut short: the thinking budget was reached"); break;
    }
    QString summary;
    if (tokens > 0 && !cut.isEmpty())
        summary = ExportText::tr("Reasoning (%1, %2)").arg(count, cut);
    else if (tokens > 0)
        summary = ExportText::tr("Reasoning (%1)").arg(count);
    else if (!cut.isEmpty())
        summary = ExportText::tr("Reasoning (%1)").arg(cut);
    else
        summary = ExportText::tr("Reasoning");
    return summary.toHtmlEscaped();
}

void appendAnswer(QStringList& parts, const StoredMessage& message, const QString& model)
{
    parts << QStringLiteral("**") + escapedInline(model.isEmpty() ? ExportText::tr("Assistant") : model) +
                 QStringLiteral("**");
    if (!message.reasoning.trimmed().isEmpty()) {
        // The blank line after <summary> ends the HTML block, so the
        // reasoning inside is read as Markdown.
        parts << QStringLiteral("<details>\n<summary>%1</summary>").arg(reasoningSummary(message));
        parts << containedMarkdown(message.reasoning);
        parts << QStringLiteral("</details>");
    }
    if (!message.content.trimmed().isEmpty())
        parts << containedMarkdown(message.content, QStringLiteral("markdown"));
    else if (message.status != MessageStatus::Error)
        parts << u'*' + escapedInline(ExportText::tr("No answer")) + u'*';
    switch (message.status) {
    case MessageStatus::Complete: break;
    case MessageStatus::Streaming:
        parts << u'*' + escapedInline(ExportText::tr("Still being written when exported")) + u'*';
        break;
    case MessageStatus::Stopped: parts << u'*' + escapedInline(ExportText::tr("Stopped before the end")) + u'*'; break;
    case MessageStatus::Error:
        parts << u'*' + escapedInline(ExportText::tr("The answer failed: %1").arg(message.error)) + u'*';
        break;
    }
}

} // namespace

QString containedMarkdown(const QString& markdown, const QString& language)
{
    QByteArray text = normalised(markdown);
    for (int round = 0; round < kMaxRounds; ++round) {
        const Scan found = scan(text);
        if (found.contained())
            return QString::fromUtf8(text);
        if (found.pointersOutside)
            break;
        if (!found.htmlAt.isEmpty()) {
            // Backslash-escaped, a tag's '<' is text: `\<script>` reads "<script>".
            QList<qsizetype> at = found.htmlAt;
            std::sort(at.begin(), at.end(), std::greater<>());
            for (const qsizetype offset : at)
                text.insert(offset, '\\');
            continue;
        }
        if (const auto closed = closedFence(text, found.lastFence))
            return QString::fromUtf8(*closed);
        break;
    }
    return fenced(text, language);
}

QString escapedInline(const QString& text)
{
    static const QString special = QStringLiteral("\\`*_[]<>#!&|~$");
    QString escaped;
    for (const QChar c : text.simplified()) {
        if (special.contains(c))
            escaped += u'\\';
        escaped += c;
    }
    return escaped;
}

QString exportFileName(const QString& title)
{
    static const QString refused = QStringLiteral("<>:\"/\\|?*");
    QString name;
    for (const QChar c : title.simplified())
        name += c.unicode() < 0x20 || c.unicode() == 0x7f || refused.contains(c) ? u'_' : c;
    // A leading dot hides the file; Windows drops trailing dots and spaces.
    while (name.startsWith(u'.') || name.startsWith(u' '))
        name.remove(0, 1);
    if (name.size() > 80)
        name.truncate(name.at(79).isHighSurrogate() ? 79 : 80);
    while (name.endsWith(u'.') || name.endsWith(u' '))
        name.chop(1);
    if (name.isEmpty())
        name = ExportText::tr("Conversation");
    // Names Windows keeps for devices, whatever their extension.
    static const QStringList devices = {QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                                        QStringLiteral("NUL")};
    const QString upper = name.toUpper();
    if (devices.contains(upper) ||
        (upper.size() == 4 && (upper.startsWith(QStringLiteral("COM")) || upper.startsWith(QStringLiteral("LPT"))) &&
         upper[3].isDigit()))
        name += u'_';
    return name + QStringLiteral(".md");
}

QString conversationMarkdown(const ConversationInfo& conversation, const QList<StoredMessage>& branch)
{
    QStringList parts;
    parts << QStringLiteral("# ") +
                 escapedInline(conversation.title.isEmpty() ? ExportText::tr("Conversation") : conversation.title);
    for (const StoredMessage& message : branch) {
        parts << QStringLiteral("---");
        if (message.role == MessageRole::Assistant) {
            appendAnswer(parts, message, conversation.model);
            continue;
        }
        const QString role = message.role == MessageRole::User ? ExportText::tr("You") : ExportText::tr("System");
        parts << QStringLiteral("**") + escapedInline(role) + QStringLiteral("**");
        parts << containedMarkdown(message.content);
    }
    return parts.join(QStringLiteral("\n\n")) + u'\n';
}

} // namespace ponder::app
