import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder
import Ponder.Ui

// The main window: conversations on the left, the chat on the right, the
// status line at the bottom.
ApplicationWindow {
    id: window

    width: Theme.unit * 150
    height: Theme.unit * 100
    minimumWidth: Theme.unit * 80
    minimumHeight: Theme.unit * 50
    visible: true
    title: qsTr("Ponder")
    color: Theme.window

    // Every control of the Basic style takes its colours from here.
    palette {
        window: Theme.window
        windowText: Theme.text
        base: Theme.surface
        alternateBase: Theme.sidebar
        text: Theme.text
        button: Theme.button
        buttonText: Theme.text
        brightText: Theme.accentText
        highlight: Theme.accent
        highlightedText: Theme.accentText
        placeholderText: Theme.mutedText
        mid: Theme.border
        light: Theme.surface
        dark: Theme.border
        toolTipBase: Theme.surface
        toolTipText: Theme.text
        disabled.buttonText: Theme.disabledText
        disabled.text: Theme.disabledText
        disabled.windowText: Theme.disabledText
    }

    GpuSelector {
        id: gpu
    }

    footer: StatusLine {
        gpu: gpu
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationSidebar {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
        }

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: Theme.border
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            MessageArea {
                Layout.fillWidth: true
                Layout.fillHeight: true
            }

            ChatInput {
                Layout.fillWidth: true
                Layout.maximumWidth: Theme.messageMaxWidth
                Layout.alignment: Qt.AlignHCenter
                Layout.margins: Theme.padding
            }
        }
    }
}
