import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Ui

// The list of conversations, with a button to start a new one.
Rectangle {
    id: sidebar

    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing

        Label {
            text: qsTr("Ponder")
            color: Theme.text
            font.pointSize: Theme.titleFontSize
            font.bold: true
        }

        Button {
            id: newChatButton
            Layout.fillWidth: true
            text: qsTr("New chat")
            enabled: false
            Accessible.name: qsTr("Start a new chat")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Open a model first")
        }

        TextField {
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations")
            enabled: false
            Accessible.name: qsTr("Search conversations")
        }

        ListView {
            id: conversations
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")

            Label {
                anchors.centerIn: parent
                visible: conversations.count === 0
                text: qsTr("No conversations yet")
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }
    }
}
