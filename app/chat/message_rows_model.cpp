#include "message_rows_model.h"

#include <algorithm>

namespace ponder::app {

namespace {

// Rows that are not blocks still have the block properties (one delegate
// type shows every row): values of the right type, so QML assigns them.
QVariant emptyBlockValue(int contentRole)
{
    switch (contentRole) {
    case MessageContent::ClosedRole: return false;
    case MessageContent::LevelRole:
    case MessageContent::ListDepthRole:
    case MessageContent::QuoteDepthRole: return 0;
    case MessageContent::CellsRole:
    case MessageContent::AlignmentsRole: return QVariantList();
    default: return QString();
    }
}

} // namespace

MessageRowsModel::MessageRowsModel(QObject* parent) : QAbstractListModel(parent) {}

void MessageRowsModel::setMessages(MessageListModel* messages)
{
    if (m_messages == messages)
        return;
    if (m_messages)
        m_messages->disconnect(this);
    m_messages = messages;
    if (m_messages) {
        connect(m_messages, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
        connect(m_messages, &QAbstractItemModel::modelReset, this, [this] {
            rebuild();
            endResetModel();
            emit messagesAdded();
        });
        connect(m_messages, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex&, int first, int last) { sourceRowsInserted(first, last); });
        connect(m_messages, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex&, int first, int last) { sourceRowsAboutToBeRemoved(first, last); });
        connect(m_messages, &QAbstractItemModel::rowsRemoved, this, [this] { sourceRowsRemoved(); });
        connect(m_messages, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                    sourceDataChanged(from.row(), to.row(), roles);
                });
    }
    beginResetModel();
    rebuild();
    endResetModel();
    emit messagesChanged();
    emit messagesAdded();
}

int MessageRowsModel::blockCount() const
{
    int blocks = 0;
    for (const Entry& entry : m_entries)
        blocks += entry.blocks;
    return blocks;
}

int MessageRowsModel::reasoningRowCount() const
{
    int pieces = 0;
    for (const Entry& entry : m_entries)
        pieces += entry.pieces;
    return pieces;
}

void MessageRowsModel::setReasoningShown(int row, bool shown)
{
    if (row < 0 || row >= totalRows())
        return;
    const size_t at = entryAt(row);
    if (!m_entries[at].content)
        return;
    m_reasoningChoices.insert(messageIdAt(int(at)), shown);
    syncPieces(at);
}

qint64 MessageRowsModel::messageIdAt(int sourceRow) const
{
    const MessageListModel* messages = m_messages.data();
    return messages ? messages->data(messages->index(sourceRow), MessageListModel::IdRole).toLongLong() : -1;
}

// The user's choice for the answer at `sourceRow`, else open while its reasoning streams.
bool MessageRowsModel::wantsReasoningShown(int sourceRow, const MessageContent& content) const
{
    const auto choice = m_reasoningChoices.constFind(messageIdAt(sourceRow));
    return choice != m_reasoningChoices.cend() ? *choice : content.inReasoning();
}

// Makes the answer's piece rows what its content and the open state say:
// pieces from `firstChanged` on have new text, then rows come or go at the end.
void MessageRowsModel::syncPieces(size_t at, int firstChanged)
{
    Entry& entry = m_entries[at];
    const MessageContent* content = entry.content.data();
    if (!content)
        return;
    const bool shown = wantsReasoningShown(int(at), *content);
    const int wanted = shown ? content->reasoningPieceCount() : 0;
    const int kept = std::min(entry.pieces, wanted);
    if (firstChanged >= 0 && firstChanged < kept)
        emit dataChanged(index(entry.first + 1 + firstChanged), index(entry.first + kept),
                         {int(MessageListModel::TextRole)});
    if (wanted > entry.pieces) {
        beginInsertRows(QModelIndex(), entry.first + 1 + entry.pieces, entry.first + wanted);
        entry.pieces = wanted;
        renumberFrom(at + 1);
        endInsertRows();
    } else if (wanted < entry.pieces) {
        beginRemoveRows(QModelIndex(), entry.first + 1 + wanted, entry.first + entry.pieces);
        entry.pieces = wanted;
        renumberFrom(at + 1);
        endRemoveRows();
    }
    if (shown != entry.reasoningShown) {
        entry.reasoningShown = shown;
        emit dataChanged(index(entry.first), index(entry.first), {ReasoningShownRole});
    }
}

MessageRowsModel::Entry MessageRowsModel::makeEntry(int sourceRow) const
{
    Entry entry;
    const MessageListModel* messages = m_messages.data();  // one read: each read of a QPointer may be null
    MessageContent* content = messages ? messages->contentAt(sourceRow) : nullptr;
    entry.content = content;
    entry.user = !content && messages && messages->roleAt(sourceRow).has_value();  // a notice has no author
    if (!content)
        return entry;
    entry.blocks = content->rowCount();
    entry.reasoningShown = wantsReasoningShown(sourceRow, *content);
    entry.pieces = entry.reasoningShown ? content->reasoningPieceCount() : 0;
    return entry;
}

void MessageRowsModel::rebuild()
{
    for (const Entry& entry : m_entries)
        if (entry.content)
            entry.content->disconnect(this);
    m_entries.clear();
    // One read of the guarded pointer: each read of a QPointer may be null.
    const MessageListModel* messages = m_messages.data();
    const int count = messages ? messages->rowCount() : 0;
    for (int row = 0; row < count; ++row) {
        m_entries.push_back(makeEntry(row));
        watch(m_entries.back().content);
    }
    renumberFrom(0);
}

// The content's own changes become changes of this model's rows. Blocks
// only change at the end while text streams (message_content.h), so the
// rows before them stay put.
void MessageRowsModel::watch(MessageContent* content)
{
    if (!content)
        return;
    connect(content, &QAbstractItemModel::rowsInserted, this,
            [this, content](const QModelIndex&, int first, int last) { blocksInserted(content, first, last); });
    connect(content, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this, content](const QModelIndex&, int first, int last) { blocksAboutToBeRemoved(content, first, last); });
    connect(content, &QAbstractItemModel::rowsRemoved, this,
            [this, content](const QModelIndex&, int first, int last) { blocksRemoved(content, first, last); });
    connect(content, &QAbstractItemModel::dataChanged, this,
            [this, content](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                blocksChanged(content, from.row(), to.row(), roles);
            });
    connect(content, &QAbstractItemModel::modelAboutToBeReset, this,
            [this, content] { blocksAboutToBeReset(content); });
    connect(content, &QAbstractItemModel::modelReset, this, [this, content] { blocksReset(content); });
    connect(content, &MessageContent::reasoningPiecesChanged, this, [this, content](int firstChanged, int) {
        const int at = entryOf(content);
        if (at >= 0)
            syncPieces(size_t(at), firstChanged);
    });
    // Head and foot show the reasoning's heading and the waiting "…", which
    // follow these; the reasoning closes when it ends, unless the user chose.
    auto headAndFoot = [this, content] {
        const int at = entryOf(content);
        if (at < 0)
            return;
        syncPieces(size_t(at));
        const Entry& entry = m_entries[size_t(at)];
        emit dataChanged(index(entry.first), index(entry.first));
        emit dataChanged(index(entry.first + entry.rows() - 1), index(entry.first + entry.rows() - 1));
    };
    connect(content, &MessageContent::stateChanged, this, headAndFoot);
}

void MessageRowsModel::renumberFrom(size_t entry)
{
    int first = entry > 0 ? m_entries[entry - 1].first + m_entries[entry - 1].rows() : 0;
    for (size_t i = entry; i < m_entries.size(); ++i) {
        m_entries[i].first = first;
        first += m_entries[i].rows();
    }
}

int MessageRowsModel::totalRows() const
{
    return m_entries.empty() ? 0 : m_entries.back().first + m_entries.back().rows();
}

size_t MessageRowsModel::entryAt(int row) const
{
    auto after = std::upper_bound(m_entries.begin(), m_entries.end(), row,
                                  [](int r, const Entry& entry) { return r < entry.first; });
    return size_t(after - m_entries.begin()) - 1;
}

int MessageRowsModel::entryOf(const MessageContent* content) const
{
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].content == content)
            return int(i);
    return -1;
}

void MessageRowsModel::sourceRowsInserted(int first, int last)
{
    std::vector<Entry> added;
    for (int row = first; row <= last; ++row)
        added.push_back(makeEntry(row));
    int rows = 0;
    for (const Entry& entry : added)
        rows += entry.rows();
    const int at = size_t(first) < m_entries.size() ? m_entries[size_t(first)].first : totalRows();
    beginInsertRows(QModelIndex(), at, at + rows - 1);
    m_entries.insert(m_entries.begin() + first, added.begin(), added.end());
    for (const Entry& entry : added)
        watch(entry.content);
    renumberFrom(size_t(first));
    endInsertRows();
    emit messagesAdded();
}

void MessageRowsModel::sourceRowsAboutToBeRemoved(int first, int last)
{
    const int from = m_entries[size_t(first)].first;
    const int to = m_entries[size_t(last)].first + m_entries[size_t(last)].rows() - 1;
    beginRemoveRows(QModelIndex(), from, to);
    for (int i = first; i <= last; ++i)
        if (m_entries[size_t(i)].content)
            m_entries[size_t(i)].content->disconnect(this);
    m_entries.erase(m_entries.begin() + first, m_entries.begin() + last + 1);
    renumberFrom(size_t(first));
    ++m_removingEntries;
}

void MessageRowsModel::sourceRowsRemoved()
{
    if (m_removingEntries == 0)
        return;
    --m_removingEntries;
    endRemoveRows();
}

// A message's labels and status show in its head and foot (or its one row):
// block rows do not read them, so they are not told.
void MessageRowsModel::sourceDataChanged(int first, int last, const QList<int>& roles)
{
    for (int i = first; i <= last && size_t(i) < m_entries.size(); ++i) {
        const Entry& entry = m_entries[size_t(i)];
        const int lastRow = entry.first + entry.rows() - 1;
        emit dataChanged(index(entry.first), index(entry.first), roles);
        if (lastRow != entry.first)
            emit dataChanged(index(lastRow), index(lastRow), roles);
    }
}

void MessageRowsModel::blocksInserted(MessageContent* content, int first, int last)
{
    const int at = entryOf(content);
    if (at < 0)
        return;
    Entry& entry = m_entries[size_t(at)];
    const int row = entry.firstBlock() + first;
    beginInsertRows(QModelIndex(), row, row + last - first);
    entry.blocks += last - first + 1;
    renumberFrom(size_t(at) + 1);
    endInsertRows();
}

void MessageRowsModel::blocksAboutToBeRemoved(MessageContent* content, int first, int last)
{
    const int at = entryOf(content);
    if (at < 0)
        return;
    const int row = m_entries[size_t(at)].firstBlock() + first;
    beginRemoveRows(QModelIndex(), row, row + last - first);
}

void MessageRowsModel::blocksRemoved(MessageContent* content, int first, int last)
{
    const int at = entryOf(content);
    if (at < 0)
        return;
    m_entries[size_t(at)].blocks -= last - first + 1;
    renumberFrom(size_t(at) + 1);
    endRemoveRows();
}

void MessageRowsModel::blocksChanged(MessageContent* content, int first, int last, const QList<int>& roles)
{
    const int at = entryOf(content);
    if (at < 0)
        return;
    QList<int> ours;
    for (int role : roles)
        ours.append(role == MessageContent::TextRole ? int(MessageListModel::TextRole) : BlockRoleBase + role);
    const int row = m_entries[size_t(at)].firstBlock();
    emit dataChanged(index(row + first), index(row + last), ours);
}

// A content is reset when it is cleared or loads a stored answer, before its
// row is shown or when it starts again: its block rows go, then come back.
void MessageRowsModel::blocksAboutToBeReset(MessageContent* content)
{
    const int at = entryOf(content);
    if (at < 0)
        return;
    Entry& entry = m_entries[size_t(at)];
    if (entry.blocks == 0)
        return;
    beginRemoveRows(QModelIndex(), entry.firstBlock(), entry.firstBlock() + entry.blocks - 1);
    entry.blocks = 0;
    renumberFrom(size_t(at) + 1);
    endRemoveRows();
}

void MessageRowsModel::blocksReset(MessageContent* content)
{
    const int at = entryOf(content);
    if (at < 0 || content->rowCount() == 0)
        return;
    Entry& entry = m_entries[size_t(at)];
    beginInsertRows(QModelIndex(), entry.firstBlock(), entry.firstBlock() + content->rowCount() - 1);
    entry.blocks = content->rowCount();
    renumberFrom(size_t(at) + 1);
    endInsertRows();
}

int MessageRowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : totalRows();
}

QVariant MessageRowsModel::data(const QModelIndex& index, int role) const
{
    const MessageListModel* messages = m_messages.data();
    if (!index.isValid() || index.model() != this || index.row() >= totalRows() || !messages)
        return {};
    const size_t at = entryAt(index.row());
    const Entry& entry = m_entries[at];
    // 0: head (or the user message); then the shown pieces, the blocks, the foot.
    const int part = index.row() - entry.first;
    const bool piece = !entry.user && part >= 1 && part <= entry.pieces;
    const int blockPart = part - 1 - entry.pieces;
    const bool block = !entry.user && blockPart >= 0 && blockPart < entry.blocks;
    if (role == RowKindRole) {
        const RowKind kind = entry.user ? RowKind::User
                           : part == 0  ? RowKind::Head
                           : piece      ? RowKind::Reasoning
                           : block      ? RowKind::Block
                                        : RowKind::Foot;
        return int(kind);
    }
    if (role == BlockIndexRole)
        return block ? blockPart : piece ? part - 1 : -1;
    if (role == ReasoningShownRole)
        return entry.reasoningShown;
    const bool blockRole = role > BlockRoleBase;
    const MessageContent* content = entry.content.data();
    if (piece && role == MessageListModel::TextRole)
        return content ? content->reasoningPiece(part - 1) : QString();
    if (block && (blockRole || role == MessageListModel::TextRole) && content) {
        const int contentRole = blockRole ? role - BlockRoleBase : int(MessageContent::TextRole);
        return content->data(content->index(blockPart), contentRole);
    }
    if (blockRole)
        return emptyBlockValue(role - BlockRoleBase);
    // An answer's head and foot do not show its text: a copy of the whole
    // answer in each of their rows would be a second holder of the growing
    // string, and every piece appended to it would copy all of it.
    if (!entry.user && role == MessageListModel::TextRole)
        return QString();
    return messages->data(messages->index(int(at)), role);
}

QHash<int, QByteArray> MessageRowsModel::roleNames() const
{
    QHash<int, QByteArray> names = MessageListModel().roleNames();
    names.insert(RowKindRole, "rowKind");
    names.insert(BlockIndexRole, "blockIndex");
    names.insert(ReasoningShownRole, "reasoningShown");
    const QHash<int, QByteArray> blockNames = MessageContent().roleNames();
    for (auto it = blockNames.begin(); it != blockNames.end(); ++it)
        if (it.key() != MessageContent::TextRole)
            names.insert(BlockRoleBase + it.key(), it.value());
    return names;
}

} // namespace ponder::app
