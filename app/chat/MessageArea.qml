import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The messages of the current conversation; a welcome text when there are
// none. While an answer streams the view follows its end, unless the user
// scrolled up to read.
Item {
    id: messageArea

    required property ChatController chat

    signal openModelRequested()

    ListView {
        id: messages
        objectName: "messageList"

        // Follow the newest text until the user scrolls away from the end.
        property bool follow: true

        anchors.fill: parent
        clip: true
        // A row per user message and per part of an answer (its head, each
        // block, its foot), so only the blocks on screen are made.
        model: MessageRowsModel {
            id: rows
            objectName: "messageRows"
            messages: messageArea.chat.messages
            onMessagesAdded: {
                messages.follow = true
                Qt.callLater(messages.positionViewAtEnd)
            }
        }
        topMargin: Theme.padding
        bottomMargin: Theme.padding
        activeFocusOnTab: true
        keyNavigationEnabled: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
        ScrollBar.vertical: ScrollBar {}

        delegate: MessageRow {
            chat: messageArea.chat
            width: messages.width
            burst: messages.burst
        }

        // While output arrives faster than it is shown, and a second after
        // (the last jump to the end), rows are made over several frames.
        readonly property bool burst: messageArea.chat.catchingUp || burstEnding.running
        Timer {
            id: burstEnding
            interval: 1000
        }

        onMovementEnded: follow = atYEnd
        onContentHeightChanged: {
            if (!follow)
                return
            // Each jump to the end makes a screenful of new blocks: at a
            // model's pace a few lines, but in a burst that the display
            // ticks are still catching up with, several screens a tick.
            // Then the end is followed a few times a second, not per tick.
            if (messageArea.chat.catchingUp)
                catchUp.start()
            else
                Qt.callLater(positionViewAtEnd)
        }

        Timer {
            id: catchUp
            interval: 250
            onTriggered: if (messages.follow) messages.positionViewAtEnd()
        }
        Connections {
            target: messageArea.chat
            function onCatchingUpChanged() {
                if (messageArea.chat.catchingUp)
                    return
                burstEnding.restart()
                if (messages.follow)
                    Qt.callLater(messages.positionViewAtEnd)
            }
        }
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.padding, Theme.messageMaxWidth)
        visible: messages.count === 0
        spacing: Theme.spacing

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Think it through.")
            color: Theme.text
            font.pointSize: Theme.titleFontSize * 1.5
        }
        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: messageArea.chat.modelLoaded
                  ? qsTr("Ask %1 anything. Its reasoning appears above each answer.").arg(messageArea.chat.modelName)
                  : qsTr("Open a DeepSeek-R1 model to start. Its reasoning appears above each answer.")
            color: Theme.mutedText
        }
        Button {
            Layout.alignment: Qt.AlignHCenter
            visible: !messageArea.chat.modelLoaded
            enabled: !messageArea.chat.loading
            text: messageArea.chat.loading ? qsTr("Opening the model…") : qsTr("Choose a model…")
            Accessible.name: qsTr("Choose a model")
            onClicked: messageArea.openModelRequested()
        }
    }
}
