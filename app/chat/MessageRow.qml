import QtQuick
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// One row of the chat's list (MessageRowsModel): a user's message, or a part
// of an answer: its head (the reasoning's heading), a piece of its open
// reasoning, one block, or its foot (the waiting "…", the error, the
// numbers and actions). The ListView makes only
// the rows on screen, so a long answer costs the blocks in view, not all of
// them. Each row carries the space above it: between messages, or between
// the parts of one.
Item {
    id: row

    required property ChatController chat
    required property int index
    required property int rowKind
    required property int blockIndex
    required property var messageId
    required property string messageRole
    required property string text
    required property MessageContent content
    required property string messageStatus
    required property string errorText
    required property int versionIndex
    required property int versionCount
    required property string reasoningLabel
    required property string statsLabel
    required property string reasoningCutNote
    required property string kind
    required property string html
    required property string language
    required property bool closed
    required property int level
    required property int listDepth
    required property int quoteDepth
    required property string marker
    required property string task
    required property bool reasoningShown
    /// Blocks made over several frames (MessageArea's, while a burst of output is shown).
    property bool burst: false

    // A block's rich text costs about a millisecond per 200 characters to
    // make and lay out here; while a burst of output is followed, each jump
    // to the end makes a screenful of them, a stall the user feels. Then
    // finished blocks are made asynchronously (a piece per frame), at an
    // estimated height until they are ready. The block still growing is
    // made at once: its text changes every display tick.
    readonly property bool madeAsynchronously: burst && rowKind === MessageRowsModel.Block && closed
    // A function, not a property: only a row still loading asks for it.
    function estimatedHeight() {
        const metrics = Theme.bodyMetrics
        const perLine = Math.max(1, Math.floor(loader.width / metrics.averageCharacterWidth))
        return Math.ceil(Math.max(1, text.length) / perLine) * metrics.lineSpacing
    }

    readonly property bool hasContent: content !== null
    // Still inside the reasoning of an answer that streams (head and foot only: block rows are not told of status changes).
    readonly property bool thinking: messageStatus === "streaming" && hasContent && content.inReasoning
    // The answer's head shows something: its reasoning, or that it is thinking.
    readonly property bool headShown: hasContent && (content.reasoningLength > 0 || thinking)
    readonly property bool shown: {
        switch (rowKind) {
        case MessageRowsModel.Head: return headShown
        case MessageRowsModel.Foot: return loader.item !== null && loader.item.shown
        default: return true
        }
    }
    readonly property real gap: {
        switch (rowKind) {
        case MessageRowsModel.Block: return blockIndex > 0 || headShown ? Theme.spacing : 0
        // Pieces stack without gaps: together they read as one text.
        case MessageRowsModel.Reasoning: return blockIndex === 0 ? Theme.smallSpacing : 0
        case MessageRowsModel.Foot: return shown && (headShown || (hasContent && content.answerLength > 0)) ? Theme.spacing : 0
        default: return index > 0 ? Theme.padding : 0
        }
    }

    implicitHeight: gap + (!shown ? 0 : loader.status === Loader.Loading ? estimatedHeight() : loader.implicitHeight)

    // Each component below takes the loader's width as it is made: a
    // Loader sizes its item only after making it, and text laid out at
    // width 0 first (a line per word) cost more than the layout that counts.
    Loader {
        id: loader
        objectName: "rowLoader"
        x: Math.max(Theme.padding, (parent.width - width) / 2)
        y: row.gap
        width: Math.min(parent.width - 2 * Theme.padding, Theme.messageMaxWidth)
        visible: row.shown
        asynchronous: row.madeAsynchronously
        sourceComponent: {
            switch (row.rowKind) {
            case MessageRowsModel.User: return userMessage
            case MessageRowsModel.Head: return row.headShown ? answerHead : null
            case MessageRowsModel.Reasoning: return reasoningPiece
            case MessageRowsModel.Block: return answerBlock
            default: return answerFoot
            }
        }
    }

    Component {
        id: userMessage

        UserMessage {
            width: loader.width
            chat: row.chat
            messageId: row.messageId
            text: row.text
            versionIndex: row.versionIndex
            versionCount: row.versionCount
            // The list stops following the end while a message is edited:
            // the editor grows the row, and following would scroll it away
            // (and the list destroys rows out of view, the edit with them).
            onEditingChanged: if (editing && row.ListView.view)
                                  row.ListView.view.follow = false
        }
    }

    Component {
        id: answerHead

        ReasoningSection {
            objectName: "reasoningSection"
            width: loader.width
            label: row.reasoningLabel
            expanded: row.reasoningShown
            thinking: row.thinking
            cutNote: row.reasoningCutNote
            offerAnswerNow: row.thinking
            canAnswerNow: row.chat.canAnswerNow
            answerNowAsked: row.chat.answerNowAsked
            onAnswerNow: row.chat.answerNow()
            // The list's model keeps the choice: this row's item goes when it scrolls out of view.
            onToggleRequested: row.ListView.view.model.setReasoningShown(row.index, !expanded)
        }
    }

    Component {
        id: reasoningPiece

        ReasoningPiece {
            width: loader.width
            text: row.text
        }
    }

    Component {
        id: answerBlock

        AnswerBlock {
            objectName: "answerBlock"
            width: loader.width
            chat: row.chat
            kind: row.kind
            text: row.text
            html: row.html
            language: row.language
            closed: row.closed
            level: row.level
            listDepth: row.listDepth
            quoteDepth: row.quoteDepth
            marker: row.marker
            task: row.task
        }
    }

    Component {
        id: answerFoot

        AnswerFoot {
            width: loader.width
            chat: row.chat
            messageId: row.messageId
            content: row.content
            messageStatus: row.messageStatus
            errorText: row.errorText
            versionIndex: row.versionIndex
            versionCount: row.versionCount
            statsLabel: row.statsLabel
        }
    }
}
