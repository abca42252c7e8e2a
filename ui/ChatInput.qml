import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Ui

// The box the user types into, with the send button.
Rectangle {
    id: chatInput

    implicitHeight: Math.max(Theme.inputMinHeight, input.implicitHeight + 2 * Theme.spacing)
    radius: Theme.radius
    color: Theme.surface
    border.color: input.activeFocus ? Theme.accent : Theme.border

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            TextArea {
                id: input
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("Open a model to start chatting")
                enabled: false
                color: Theme.text
                background: null
                Accessible.name: qsTr("Message")
            }
        }

        Button {
            id: sendButton
            text: qsTr("Send")
            enabled: false
            Accessible.name: qsTr("Send message")
        }
    }
}
