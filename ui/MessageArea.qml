import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Ui

// The messages of the current conversation; a welcome text when there are none.
Item {
    id: messageArea

    ListView {
        id: messages
        anchors.fill: parent
        clip: true
        model: 0
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.padding, Theme.messageMaxWidth)
        visible: messages.count === 0
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Think it through.")
            color: Theme.text
            font.pointSize: Theme.titleFontSize * 1.5
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Open a DeepSeek-R1 model to start. Its reasoning appears beside each answer.")
            color: Theme.mutedText
        }
    }
}
