import QtQuick
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// One row of the message list: the user's message, or the model's answer
// (and notices, which are answers holding only an error). The roles come
// from MessageListModel.
Item {
    id: delegate

    required property ChatController chat
    required property int index
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

    implicitHeight: loader.implicitHeight

    Loader {
        id: loader
        x: Math.max(Theme.padding, (parent.width - width) / 2)
        width: Math.min(parent.width - 2 * Theme.padding, Theme.messageMaxWidth)
        sourceComponent: delegate.messageRole === "user" ? userMessage : assistantMessage
    }

    Component {
        id: userMessage

        UserMessage {
            chat: delegate.chat
            messageId: delegate.messageId
            text: delegate.text
            versionIndex: delegate.versionIndex
            versionCount: delegate.versionCount
        }
    }

    Component {
        id: assistantMessage

        AssistantMessage {
            chat: delegate.chat
            messageId: delegate.messageId
            content: delegate.content
            messageStatus: delegate.messageStatus
            errorText: delegate.errorText
            versionIndex: delegate.versionIndex
            versionCount: delegate.versionCount
            reasoningLabel: delegate.reasoningLabel
            statsLabel: delegate.statsLabel
            reasoningCutNote: delegate.reasoningCutNote
        }
    }
}
