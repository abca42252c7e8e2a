import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Downloads
import Ponder.Models
import Ponder.Chat
import Ponder.Compare
import Ponder.Shell

// The main window: conversations on the left, the chat on the right, the
// status line at the bottom; the models page (picker and downloads) over
// it, and the compare page (quants side by side) opened from the models
// page. Keyboard: Ctrl+N new chat, Ctrl+F search, Ctrl+M models, Ctrl+O open
// a model file, Ctrl+, settings, Esc stops the answer.
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

    DownloadManager {
        id: downloads
        objectName: "downloadManager"
        // A finished model appears in the picker as downloaded at once.
        onFinished: localModels.rescan()
    }
    Binding {
        target: downloads
        property: "modelsFolder"
        value: chat.settings.modelsFolder
        when: chat.settings.modelsFolder.length > 0
    }
    // Downloads interrupted by the last quit wait, paused, to be resumed
    // (after the models folder above is set).
    Component.onCompleted: downloads.restore()

    LocalModels {
        id: localModels
        folder: downloads.modelsFolder
    }

    ModelPickerModel {
        id: pickerModel
        objectName: "pickerModel"
        gpu: gpu
        localModels: localModels
        // The CPU engine's fit depends on its thread count (scratch per thread).
        cpuThreads: chat.settings.cpuThreads
        // A split is planned as the next load will do it.
        gpuLayers: chat.settings.gpuLayers
        extraGpus: chat.settings.extraGpus
        splitShares: chat.settings.splitShares
        kvCacheType: chat.settings.kvCacheType
        // The picker's slider and the settings' context length are one value:
        // what the picker shows is what the next model is opened with.
        onContextLengthChanged: chat.settings.contextLength = contextLength
    }
    Binding {
        target: pickerModel
        property: "contextLength"
        value: chat.settings.contextLength
    }

    // What the compare page measures, which the picker's chart shows.
    MeasuredQuality {
        id: measuredQuality
    }
    Binding {
        target: pickerModel
        property: "measuredQuality"
        value: measuredQuality
    }

    CompareController {
        id: compare
        objectName: "compareController"
        localModels: localModels
        chat: chat
        device: gpu.preference
        measuredQuality: measuredQuality
    }

    ComparePage {
        id: comparePage
        objectName: "comparePage"
        parent: Overlay.overlay
        width: parent ? parent.width : 0
        height: parent ? parent.height : 0
        compare: compare
    }

    ModelsPage {
        id: modelsPage
        objectName: "modelsPage"
        parent: Overlay.overlay
        width: parent ? parent.width : 0
        height: parent ? parent.height : 0
        picker: pickerModel
        downloads: downloads
        onLoadRequested: path => {
            chat.openModel(path)
            close()
        }
        onOpenFileRequested: modelDialog.open()
        onFolderChosen: folder => chat.settings.modelsFolder = folder
        onServerRequested: {
            close()
            serverDialog.open()
        }
        onCompareRequested: {
            close()
            comparePage.open()
        }
    }

    ServerDialog {
        id: serverDialog
        objectName: "serverDialog"
        chat: chat
        anchors.centerIn: Overlay.overlay
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
        sequence: "Ctrl+M"
        onActivated: modelsPage.open()
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
        gpu: gpu
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
            onOpenModelRequested: modelsPage.open()
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
                onOpenModelRequested: modelsPage.open()
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
