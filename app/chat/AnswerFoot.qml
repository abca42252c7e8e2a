import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// The end of the model's answer, under its blocks: "…" while it waits for
// the answer's first words, the error if it failed, its numbers, versions
// and actions. A notice (messageId -1) shows only its error.
ColumnLayout {
    id: message

    required property ChatController chat
    required property var messageId
    required property MessageContent content
    required property string messageStatus
    required property string errorText
    required property int versionIndex
    required property int versionCount
    required property string statsLabel

    readonly property bool streaming: messageStatus === "streaming"
    readonly property bool hasContent: content !== null
    // Still inside the reasoning of an answer that streams.
    readonly property bool thinking: streaming && hasContent && content.inReasoning
    readonly property bool waiting: streaming && !thinking && hasContent && content.answerLength === 0
    readonly property bool failed: errorText.length > 0
    readonly property bool finished: messageId >= 0 && !streaming
    /// Whether any of it shows: when none does, the row takes no space.
    readonly property bool shown: waiting || failed || finished

    spacing: Theme.spacing

    Label {
        textFormat: Text.PlainText
        visible: message.waiting
        text: "…"
        color: Theme.mutedText
        Accessible.name: qsTr("Waiting for the answer")
    }

    Rectangle {
        Layout.fillWidth: true
        visible: message.failed
        implicitHeight: errorLabel.implicitHeight + 2 * Theme.spacing
        radius: Theme.radius
        color: Theme.errorBackground
        border.color: Theme.error

        Label {
            id: errorLabel
            objectName: "errorLabel"
            anchors.fill: parent
            anchors.margins: Theme.spacing
            text: message.errorText
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.error
            Accessible.role: Accessible.AlertMessage
            Accessible.name: qsTr("Error: %1").arg(message.errorText)
        }
    }

    RowLayout {
        Layout.fillWidth: true
        visible: message.finished
        spacing: 0

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            Layout.rightMargin: Theme.spacing
            text: message.statsLabel
            elide: Text.ElideRight
            color: Theme.mutedText
            Accessible.name: text
        }
        VersionSwitcher {
            visible: message.versionCount > 1
            enabled: !message.chat.generating
            versionIndex: message.versionIndex
            versionCount: message.versionCount
            onStep: delta => message.chat.showVersion(message.messageId, delta)
        }
        ActionButton {
            id: copyButton
            text: qsTr("Copy")
            Accessible.name: qsTr("Copy the answer")
            onClicked: copyMenu.popup(copyButton, 0, copyButton.height)

            Menu {
                id: copyMenu

                MenuItem {
                    text: qsTr("As Markdown")
                    Accessible.name: qsTr("Copy the answer as Markdown")
                    onTriggered: exporter.copyAnswer(message.messageId, ConversationExporter.Markdown)
                }
                MenuItem {
                    text: qsTr("As plain text")
                    Accessible.name: qsTr("Copy the answer as plain text")
                    onTriggered: exporter.copyAnswer(message.messageId, ConversationExporter.PlainText)
                }
            }
            ConversationExporter {
                id: exporter
                store: message.chat.store
            }
        }
        ActionButton {
            text: qsTr("Regenerate")
            enabled: message.chat.modelLoaded && !message.chat.generating
            Accessible.name: qsTr("Regenerate the answer")
            onClicked: message.chat.regenerate(message.messageId)
        }
        ActionButton {
            text: qsTr("Delete")
            enabled: !message.chat.generating
            Accessible.name: qsTr("Delete the answer")
            onClicked: message.chat.deleteMessage(message.messageId)
        }
    }
}
