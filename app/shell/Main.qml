import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Downloads
import Ponder.Models
import Ponder.Chat
import Ponder.Compare
import Ponder.Welcome
import Ponder.Shell

// The main window: conversations on the left, the chat on the right, the
// status line at the bottom; the models page (picker and downloads) over
// it, and the compare page (quants side by side) opened from the models
// page. With no model here and no server, the welcome (first run) stands in
// for the empty chat until a model is here or the user goes another way.
// A later launch with a file hands it here (singleInstance): the window
// comes to the front and offers to load it. Keyboard: Ctrl+N new chat,
// Ctrl+F search, Ctrl+M models, Ctrl+O open a model file, Ctrl+, settings,
// Esc stops the answer.
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

    // The running instance's socket (main.cpp sets it; single_instance.h):
    // another launch's file arrives here. Null when Ponder runs alone.
    property QtObject singleInstance: null

    // Raised and activated; where the window manager refuses to give focus
    // (focus-stealing prevention), the taskbar entry asks for attention.
    function bringToFront() {
        if (visibility === Window.Minimized)
            showNormal()
        raise()
        requestActivate()
        activationCheck.restart()
    }
    Timer {
        id: activationCheck
        interval: 500
        onTriggered: if (!window.active) window.alert(0)
    }
    Connections {
        target: window.singleInstance
        function onFileReceived(path) {
            window.bringToFront()
            openOffer.offer(path)
        }
        function onActivationRequested() { window.bringToFront() }
    }
    OpenOfferDialog {
        id: openOffer
        objectName: "openOfferDialog"
        chat: chat
        anchors.centerIn: Overlay.overlay
    }

    WelcomeController {
        id: welcome
        objectName: "welcomeController"
        gpu: gpu
        downloads: downloads
        localModels: localModels
        cpuThreads: chat.settings.cpuThreads
        // Verified: the chat opens on it; unverified: the picker asks first.
        onModelReady: (path, unverified) => unverified ? modelsPage.open() : chat.openModel(path)
    }
    // The first run: until a model is here, a server is set or the user says "not now".
    readonly property bool showWelcome: !welcome.done && localModels.count === 0
                                        && chat.settings.serverUrl.length === 0
                                        && !chat.modelLoaded && !chat.loading
    Connections {
        target: chat
        function onModelChanged() {
            if (chat.modelLoaded)
                welcome.finish()
        }
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

            WelcomePage {
                objectName: "welcomePage"
                visible: window.showWelcome
                welcome: welcome
                downloads: downloads
                Layout.fillWidth: true
                Layout.fillHeight: true
                onOpenFileRequested: modelDialog.open()
                onServerRequested: serverDialog.open()
                onPickerRequested: modelsPage.open()
            }

            MessageArea {
                visible: !window.showWelcome
                chat: chat
                Layout.fillWidth: true
                Layout.fillHeight: true
                onOpenModelRequested: modelsPage.open()
            }

            ChatInput {
                id: chatInput
                visible: !window.showWelcome
                chat: chat
                Layout.fillWidth: true
                Layout.maximumWidth: Theme.messageMaxWidth
                Layout.alignment: Qt.AlignHCenter
                Layout.margins: Theme.padding
            }
        }
    }
}
