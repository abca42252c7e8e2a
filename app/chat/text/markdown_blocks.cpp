#include "markdown_blocks.h"

#include <optional>
#include <vector>

namespace ponder::app {
namespace {

// Lists nested deeper than this show at this depth; an item that opens with
// another list gets no row of its own, so "- - - - …" is one row.
constexpr int kMaxListDepth = 16;

QString alignmentName(MD_ALIGN align)
{
    switch (align) {
    case MD_ALIGN_LEFT:
        return QStringLiteral("left");
    case MD_ALIGN_CENTER:
        return QStringLiteral("center");
    case MD_ALIGN_RIGHT:
        return QStringLiteral("right");
    default:
        return {};
    }
}

// A table as one rich-text <table>: one item in the window however many
// cells (a grid of items would cost thousands for a hostile table).
QString tableHtml(const MarkdownBlock& table)
{
    QString html = QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">");
    for (qsizetype r = 0; r < table.cells.size(); ++r) {
        html += QStringLiteral("<tr>");
        const QLatin1String cell(r == 0 ? "th" : "td");
        for (qsizetype c = 0; c < table.alignments.size(); ++c) {
            const QString align = table.alignments[c].isEmpty() ? QStringLiteral("left") : table.alignments[c];
            html += QStringLiteral("<%1 align=\"%2\">%3</%1>").arg(cell, align, table.cells[r].value(c));
        }
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

// md4c's callbacks, turning its tree into the flat block list.
class BlockWalker {
public:
    BlockWalker(QByteArrayView doc, const ListContinuation& continued, const FormulaHtmlFn& formula)
        : m_continued(continued), m_inline(m_doc)
    {
        m_doc.doc = doc;
        m_doc.formula = formula;
    }

    ParsedMarkdown run()
    {
        const MD_PARSER parser{0,
                               MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS | MD_FLAG_NOHTML,
                               [](MD_BLOCKTYPE t, void* d, void* self) { return static_cast<BlockWalker*>(self)->enter(t, d); },
                               [](MD_BLOCKTYPE t, void*, void* self) { return static_cast<BlockWalker*>(self)->leave(t); },
                               [](MD_SPANTYPE t, void* d, void* self) { return static_cast<BlockWalker*>(self)->enterSpan(t, d); },
                               [](MD_SPANTYPE t, void*, void* self) { return static_cast<BlockWalker*>(self)->leaveSpan(t); },
                               [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* self) {
                                   return static_cast<BlockWalker*>(self)->text(t, s, n);
                               },
                               nullptr,
                               nullptr};
        md_parse(m_doc.doc.data(), MD_SIZE(m_doc.doc.size()), &parser, this);
        finishLeaf();
        m_result.work = m_doc.work + m_doc.doc.size();
        return std::move(m_result);
    }

private:
    struct List {
        bool ordered;
        char delimiter;
        unsigned next;
    };
    enum class Leaf { None, Inline, Code, Cell };

    MarkdownBlock newBlock(MarkdownBlock::Kind kind) const
    {
        MarkdownBlock block;
        block.kind = kind;
        block.listDepth = std::min(int(m_lists.size()), kMaxListDepth);
        block.quoteDepth = m_quoteDepth;
        return block;
    }

    // An item's marker goes on its first block.
    void takeMarker(MarkdownBlock& block)
    {
        if (!m_pendingItem)
            return;
        block.marker = m_pendingItem->marker;
        block.task = m_pendingItem->task;
        if (block.kind == MarkdownBlock::Kind::Paragraph)
            block.kind = MarkdownBlock::Kind::ListItem;
        m_pendingItem.reset();
    }

    // An item whose first content is not inline text (a nested list, code, a
    // rule) or that is empty: a row with its marker alone.
    void flushPendingItem()
    {
        if (!m_pendingItem)
            return;
        MarkdownBlock block = newBlock(MarkdownBlock::Kind::ListItem);
        takeMarker(block);
        m_result.blocks << block;
    }

    void startInline(MarkdownBlock::Kind kind, int level = 0)
    {
        finishLeaf();
        m_leafBlock = newBlock(kind);
        m_leafBlock.level = level;
        takeMarker(m_leafBlock);
        m_leaf = Leaf::Inline;
    }

    void finishLeaf()
    {
        if (m_leaf != Leaf::Inline)
            return;
        m_leaf = Leaf::None;
        const QString display = m_inline.soleDisplayFormula();
        m_leafBlock.formulas = m_inline.takeFormulas();
        m_leafBlock.text = m_inline.takePlainText();
        m_leafBlock.html = m_inline.takeHtml();
        if (!display.isEmpty() && m_leafBlock.marker.isEmpty() && m_leafBlock.kind == MarkdownBlock::Kind::Paragraph) {
            m_leafBlock.kind = MarkdownBlock::Kind::Math;
            m_leafBlock.text = display;
            m_leafBlock.html.clear();
            m_leafBlock.formulas.clear();
        }
        m_result.blocks << std::move(m_leafBlock);
    }

    int enter(MD_BLOCKTYPE type, void* detail)
    {
        if (type != MD_BLOCK_DOC && m_lists.empty())
            m_result.trailingList = {};  // a top-level block after the list: it does not go on
        switch (type) {
        case MD_BLOCK_QUOTE:
            finishLeaf();
            flushPendingItem();
            ++m_quoteDepth;
            break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL: {
            finishLeaf();
            m_pendingItem.reset();  // an item that opens with a list: the inner item's marker shows
            List list{type == MD_BLOCK_OL, 0, 1};
            if (list.ordered) {
                const auto* ol = static_cast<const MD_BLOCK_OL_DETAIL*>(detail);
                list.delimiter = ol->mark_delimiter;
                list.next = ol->start;
                const bool first = m_result.blocks.isEmpty() && m_lists.empty() && m_quoteDepth == 0;
                if (first && m_continued.delimiter == list.delimiter)
                    list.next = m_continued.next;
            }
            m_lists.push_back(list);
            break;
        }
        case MD_BLOCK_LI: {
            finishLeaf();
            flushPendingItem();
            List& list = m_lists.back();
            PendingItem item;
            const auto* li = static_cast<const MD_BLOCK_LI_DETAIL*>(detail);
            if (li->is_task)
                item.task = li->task_mark == ' ' ? MarkdownBlock::Task::Unchecked : MarkdownBlock::Task::Checked;
            else if (list.ordered)
                item.marker = QString::number(list.next) + QLatin1Char(list.delimiter);
            else
                item.marker = QStringLiteral("•");
            if (list.ordered)
                ++list.next;
            m_pendingItem = item;
            break;
        }
        case MD_BLOCK_HR: {
            finishLeaf();
            flushPendingItem();
            m_result.blocks << newBlock(MarkdownBlock::Kind::Rule);
            break;
        }
        case MD_BLOCK_H:
            startInline(MarkdownBlock::Kind::Heading, int(static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level));
            break;
        case MD_BLOCK_P:
            startInline(MarkdownBlock::Kind::Paragraph);
            break;
        case MD_BLOCK_CODE: {
            finishLeaf();
            flushPendingItem();
            m_leafBlock = newBlock(MarkdownBlock::Kind::Code);
            const auto* code = static_cast<const MD_BLOCK_CODE_DETAIL*>(detail);
            m_leafBlock.language = QString::fromUtf8(code->lang.text, code->lang.size);
            m_leaf = Leaf::Code;
            break;
        }
        case MD_BLOCK_TABLE:
            finishLeaf();
            flushPendingItem();
            m_leafBlock = newBlock(MarkdownBlock::Kind::Table);
            break;
        case MD_BLOCK_TR:
            if (!m_leafBlock.cells.isEmpty())
                m_leafBlock.text += u'\n';
            m_leafBlock.cells.append(QStringList());
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            if (m_leafBlock.cells.size() == 1)
                m_leafBlock.alignments << alignmentName(static_cast<const MD_BLOCK_TD_DETAIL*>(detail)->align);
            m_leaf = Leaf::Cell;
            break;
        default:
            break;
        }
        return 0;
    }

    int leave(MD_BLOCKTYPE type)
    {
        switch (type) {
        case MD_BLOCK_QUOTE:
            finishLeaf();
            flushPendingItem();
            --m_quoteDepth;
            break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL: {
            const List list = m_lists.back();
            m_lists.pop_back();
            const bool topLevel = m_lists.empty() && m_quoteDepth == 0;
            m_result.trailingList = topLevel && list.ordered ? ListContinuation{list.delimiter, list.next} : ListContinuation{};
            break;
        }
        case MD_BLOCK_LI:
            finishLeaf();
            flushPendingItem();
            break;
        case MD_BLOCK_H:
        case MD_BLOCK_P:
            finishLeaf();
            break;
        case MD_BLOCK_CODE:
            if (m_leafBlock.text.endsWith(u'\n'))
                m_leafBlock.text.chop(1);
            m_result.blocks << std::move(m_leafBlock);
            m_leaf = Leaf::None;
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            m_inline.takeFormulas();
            if (!m_leafBlock.cells.last().isEmpty())
                m_leafBlock.text += u'\t';
            m_leafBlock.text += m_inline.takePlainText();
            m_leafBlock.cells.last() << m_inline.takeHtml();
            m_leaf = Leaf::None;
            break;
        case MD_BLOCK_TABLE:
            m_leafBlock.html = tableHtml(m_leafBlock);
            m_result.blocks << std::move(m_leafBlock);
            break;
        default:
            break;
        }
        return 0;
    }

    int enterSpan(MD_SPANTYPE type, void* detail)
    {
        ensureInline();
        m_inline.enterSpan(type, detail);
        return 0;
    }

    int leaveSpan(MD_SPANTYPE type)
    {
        m_inline.leaveSpan(type);
        return 0;
    }

    int text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size)
    {
        if (m_leaf == Leaf::Code) {
            m_leafBlock.text += type == MD_TEXT_NULLCHAR ? QString(QChar(0xfffd)) : QString::fromUtf8(text, size);
            return 0;
        }
        ensureInline();
        m_inline.text(type, text, size);
        return 0;
    }

    // A tight list item's text comes without a paragraph around it.
    void ensureInline()
    {
        if (m_leaf == Leaf::None)
            startInline(MarkdownBlock::Kind::Paragraph);
    }

    struct PendingItem {
        QString marker;
        MarkdownBlock::Task task = MarkdownBlock::Task::None;
    };

    InlineDocument m_doc;
    ListContinuation m_continued;
    InlineHtml m_inline;
    ParsedMarkdown m_result;
    std::vector<List> m_lists;
    int m_quoteDepth = 0;
    std::optional<PendingItem> m_pendingItem;
    Leaf m_leaf = Leaf::None;
    MarkdownBlock m_leafBlock;
};

} // namespace

ParsedMarkdown parseMarkdown(QStringView markdown, const ListContinuation& continued, const FormulaHtmlFn& formula)
{
    const QByteArray utf8 = markdown.toUtf8();
    return BlockWalker(utf8, continued, formula).run();
}

} // namespace ponder::app
