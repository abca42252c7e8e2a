import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder
import Ponder.Ui

// The main window: conversations on the left, the chat on the right, the
// status line at the bottom. Keyboard: Ctrl+N new chat, Ctrl+F search,
// Ctrl+O open a model, Ctrl+, settings, Esc stops the answer.
ApplicationWindow {
    id: window

    width: Theme.unit * 150
    height: Theme.unit * 100
    minimumWidth: Theme.unit * 80
    minimumHeight: Theme.unit * 50
    visible: true
    title: chat.modelName.length > 0 ? qsTr("Ponder — %1").arg(chat.modelName) : qsTr("Ponder")
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
        midlight: Theme.border
        light: Theme.surface
        // The filled part of sliders and switches, checked and highlighted buttons.
        dark: Theme.accent
        toolTipBase: Theme.surface
        toolTipText: Theme.text
        link: Theme.accent
        disabled.buttonText: Theme.disabledText
        disabled.text: Theme.disabledText
        disabled.windowText: Theme.disabledText
    }

    GpuSelector {
        id: gpu
    }

    ChatController {
        id: chat
        objectName: "chatController"
        device: gpu.preference
    }

    // The settings' theme wins over the desktop's unless it is "system".
    Binding {
        target: Theme
        property: "dark"
        when: chat.settings.theme !== "system"
        value: chat.settings.theme === "dark"
    }

    // Links in Markdown take the theme's accent (see app_palette.h).
    Binding {
        target: AppPalette
        property: "link"
        value: Theme.accent
    }

    Shortcut {
        sequence: "Ctrl+N"
        onActivated: {
            chat.newConversation()
            chatInput.focusInput()
        }
    }
    Shortcut {
        sequence: "Ctrl+F"
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequence: "Ctrl+O"
        onActivated: modelDialog.open()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }
    Shortcut {
        sequence: "Esc"
        enabled: chat.generating || chat.loading
        onActivated: chat.stop()
    }

    FileDialog {
        id: modelDialog
        title: qsTr("Open a model")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: chat.openModel(selectedFile)
    }

    SettingsDialog {
        id: settingsDialog
        settings: chat.settings
        anchors.centerIn: Overlay.overlay
    }

    footer: StatusLine {
        gpu: gpu
        chat: chat
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationSidebar {
            id: sidebar
            chat: chat
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
            onOpenModelRequested: modelDialog.open()
            onSettingsRequested: settingsDialog.open()
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
                chat: chat
                Layout.fillWidth: true
                Layout.fillHeight: true
                onOpenModelRequested: modelDialog.open()
            }

            ChatInput {
                id: chatInput
                chat: chat
                Layout.fillWidth: true
                Layout.maximumWidth: Theme.messageMaxWidth
                Layout.alignment: Qt.AlignHCenter
                Layout.margins: Theme.padding
            }
        }
    }
}
