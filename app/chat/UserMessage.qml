import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The user's message, right-aligned in a bubble, with edit (and resend),
// copy, delete and its versions. Editing: Enter resends, Shift+Enter adds a
// line, Esc cancels.
ColumnLayout {
    id: message

    required property ChatController chat
    required property var messageId
    required property string text
    required property int versionIndex
    required property int versionCount

    property bool editing: false

    function resend() {
        if (chat.editAndResend(messageId, editor.text))
            editing = false
    }

    spacing: Theme.smallSpacing

    Rectangle {
        Layout.alignment: Qt.AlignRight
        Layout.maximumWidth: message.width * 0.85
        Layout.preferredWidth: message.editing ? message.width * 0.85
                                               : Math.min(body.implicitWidth, message.width * 0.85 - 2 * Theme.padding) + 2 * Theme.padding
        implicitHeight: (message.editing ? editor.implicitHeight : body.implicitHeight) + 2 * Theme.spacing
        radius: Theme.radius * 2
        color: Theme.userBubble
        border.color: editor.activeFocus ? Theme.accent : "transparent"

        Label {
            id: body
            anchors.fill: parent
            anchors.leftMargin: Theme.padding
            anchors.rightMargin: Theme.padding
            anchors.topMargin: Theme.spacing
            visible: !message.editing
            text: message.text
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.text
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("You: %1").arg(message.text)
        }

        TextArea {
            id: editor
            anchors.fill: parent
            anchors.margins: Theme.smallSpacing
            visible: message.editing
            wrapMode: TextEdit.Wrap
            color: Theme.text
            background: null
            Accessible.name: qsTr("Edit message")
            Keys.onReturnPressed: event => {
                if (event.modifiers & Qt.ShiftModifier)
                    event.accepted = false
                else
                    message.resend()
            }
            Keys.onEscapePressed: message.editing = false
        }
    }

    RowLayout {
        Layout.alignment: Qt.AlignRight
        spacing: 0

        VersionSwitcher {
            visible: message.versionCount > 1
            enabled: !message.chat.generating
            versionIndex: message.versionIndex
            versionCount: message.versionCount
            onStep: delta => message.chat.showVersion(message.messageId, delta)
        }
        ActionButton {
            visible: message.editing
            text: qsTr("Send")
            enabled: message.chat.modelLoaded && !message.chat.generating
            Accessible.name: qsTr("Send the edited message")
            onClicked: message.resend()
        }
        ActionButton {
            visible: message.editing
            text: qsTr("Cancel")
            Accessible.name: qsTr("Cancel editing")
            onClicked: message.editing = false
        }
        ActionButton {
            visible: !message.editing
            text: qsTr("Edit")
            enabled: message.chat.modelLoaded && !message.chat.generating
            Accessible.name: qsTr("Edit and resend this message")
            onClicked: {
                editor.text = message.text
                message.editing = true
                editor.forceActiveFocus()
                editor.cursorPosition = editor.length
            }
        }
        ActionButton {
            visible: !message.editing
            text: qsTr("Copy")
            Accessible.name: qsTr("Copy this message")
            onClicked: DesktopActions.copyText(message.text)
        }
        ActionButton {
            visible: !message.editing
            text: qsTr("Delete")
            enabled: !message.chat.generating
            Accessible.name: qsTr("Delete this message and the answers after it")
            onClicked: message.chat.deleteMessage(message.messageId)
        }
    }
}
