// The chat's list flattened for its ListView: one row per user message, and
// per answer a head (the reasoning's heading), one row per piece of its
// reasoning while that is open (reasoning_pieces.h), one row per block of
// its MessageContent, and a foot (the waiting "…", the error, its numbers
// and actions). A ListView over messages had to make every block of an answer
// at once (a Repeater inside the message), hundreds of rich-text items in
// one tick for a long answer; over these rows it makes only those on screen.
// Blocks and pieces inserted, changed or removed while an answer streams
// arrive as row inserts, changes and removals, never as a reset.
//
// Whether a reasoning is open is kept here, by message id, not in the rows'
// items: the list destroys rows out of view, and the user's choice stays.
// Until the user opens or closes it, a reasoning is open while it streams.
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <vector>

#include "message_list_model.h"

namespace ponder::app {

class MessageRowsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT

    /// The messages to show, one entry each (ChatController.messages).
    Q_PROPERTY(ponder::app::MessageListModel* messages READ messages WRITE setMessages NOTIFY messagesChanged)

public:
    enum class RowKind { User, Head, Block, Foot, Reasoning };
    Q_ENUM(RowKind)

    // Message roles keep MessageListModel's numbers; a block's roles are
    // MessageContent's moved past them. On a block row `text` is the block's.
    enum Role {
        RowKindRole = Qt::UserRole + 100,  // RowKind
        BlockIndexRole,                    // block rows: the block's row in its MessageContent; reasoning rows: the piece's; else -1
        ReasoningShownRole,                // the answer's reasoning is open (its pieces are rows)
        BlockRoleBase = Qt::UserRole + 200,
    };
    Q_ENUM(Role)

    explicit MessageRowsModel(QObject* parent = nullptr);

    MessageListModel* messages() const { return m_messages; }
    void setMessages(MessageListModel* messages);

    /// The number of rows showing blocks: a measure for tests that the view makes only some.
    Q_INVOKABLE int blockCount() const;
    /// The number of rows showing pieces of reasoning.
    Q_INVOKABLE int reasoningRowCount() const;
    /// Opens or closes the reasoning of the answer that `row` belongs to: the user's choice, kept by message id.
    Q_INVOKABLE void setReasoningShown(int row, bool shown);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void messagesChanged();
    /// Messages were added at the end or the list replaced (not on streamed blocks).
    void messagesAdded();

private:
    // One message and the rows it takes: 1 for a user message, else head,
    // reasoning pieces, blocks and foot. `first` is its first row.
    struct Entry {
        QPointer<MessageContent> content;  // null for user messages and notices
        bool user = false;
        bool reasoningShown = false;
        int pieces = 0;  // reasoning pieces that are rows: 0 while the reasoning is closed
        int blocks = 0;
        int first = 0;
        int rows() const { return user ? 1 : pieces + blocks + 2; }
        int firstBlock() const { return first + 1 + pieces; }
    };

    void rebuild();
    Entry makeEntry(int sourceRow) const;
    void watch(MessageContent* content);
    void renumberFrom(size_t entry);
    size_t entryAt(int row) const;
    int entryOf(const MessageContent* content) const;
    int totalRows() const;
    qint64 messageIdAt(int sourceRow) const;
    bool wantsReasoningShown(int sourceRow, const MessageContent& content) const;
    void syncPieces(size_t entry, int firstChanged = -1);

    void sourceRowsInserted(int first, int last);
    void sourceRowsAboutToBeRemoved(int first, int last);
    void sourceRowsRemoved();
    void sourceDataChanged(int first, int last, const QList<int>& roles);

    void blocksInserted(MessageContent* content, int first, int last);
    void blocksAboutToBeRemoved(MessageContent* content, int first, int last);
    void blocksRemoved(MessageContent* content, int first, int last);
    void blocksChanged(MessageContent* content, int first, int last, const QList<int>& roles);
    void blocksAboutToBeReset(MessageContent* content);
    void blocksReset(MessageContent* content);

    QPointer<MessageListModel> m_messages;
    std::vector<Entry> m_entries;
    int m_removingEntries = 0;  // between a source's rowsAboutToBeRemoved and rowsRemoved
    QHash<qint64, bool> m_reasoningChoices;  // message id: the user opened (true) or closed its reasoning
};

} // namespace ponder::app
