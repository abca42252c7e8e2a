import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Downloads
import Ponder.Models

// The models page over the chat: the picker (what fits this GPU), the
// downloads with their progress, and a way to open any .gguf file. Choosing
// a downloaded model loads it into the chat and closes the page.
Popup {
    id: page

    required property ModelPickerModel picker
    required property DownloadManager downloads
    /// The user chose a file to load.
    signal loadRequested(string path)
    /// The user wants a file dialog for a model elsewhere.
    signal openFileRequested()
    /// The user chose another folder for downloads (a file:// URL).
    signal folderChosen(string folder)
    /// The user wants a model served elsewhere.
    signal serverRequested()
    /// The user wants to compare downloaded quants (the compare page).
    signal compareRequested()

    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape

    background: Rectangle {
        color: Theme.window
    }

    // Picker ids ("qwen-7b") to the catalog's files; the download list names
    // them as the files are named (a split model's parts as one).
    function startDownload(model, quant) {
        const parts = picker.downloadPartsFor(model, quant)
        if (parts.length > 0)
            downloads.startParts(parts)
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Save downloaded models in")
        currentFolder: "file://" + page.downloads.modelsFolder
        onAccepted: page.folderChosen(selectedFolder.toString())
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ModelPicker {
            id: modelPicker
            picker: page.picker
            Layout.fillWidth: true
            Layout.fillHeight: true
            onDownloadRequested: (model, quant) => page.startDownload(model, quant)
            onLoadRequested: path => page.loadRequested(path)
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 1
            color: Theme.border
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.padding
            spacing: Theme.padding

            ColumnLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing

                Label {
                    textFormat: Text.PlainText
                    text: page.downloads.downloadIds.length > 0
                          ? qsTr("Downloads · saved in %1").arg(page.downloads.modelsFolder)
                          : qsTr("No downloads. Models are saved in %1").arg(page.downloads.modelsFolder)
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                }
                Label {
                    textFormat: Text.PlainText
                    visible: page.downloads.errorString.length > 0
                    text: page.downloads.errorString
                    color: Theme.error
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                ListView {
                    id: downloadList
                    objectName: "downloadList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(contentHeight, Theme.unit * 24)
                    clip: true
                    spacing: Theme.smallSpacing
                    model: page.downloads.downloadIds
                    Accessible.name: qsTr("Downloads")
                    delegate: DownloadRow {
                        required property string modelData
                        width: downloadList.width
                        downloads: page.downloads
                        downloadId: modelData
                        Connections {
                            target: page.downloads
                            function onProgressChanged(id) { if (id === modelData) refresh() }
                            function onStatusChanged(id) { if (id === modelData) refresh() }
                        }
                    }
                }
            }

            ColumnLayout {
                Layout.alignment: Qt.AlignTop
                spacing: Theme.spacing
                Button {
                    text: qsTr("Open a file…")
                    Accessible.name: qsTr("Open a GGUF model file")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Ctrl+O")
                    onClicked: page.openFileRequested()
                }
                Button {
                    objectName: "useServer"
                    text: qsTr("Use a server…")
                    Accessible.name: qsTr("Chat with a model on an OpenAI-compatible server")
                    onClicked: page.serverRequested()
                }
                Button {
                    objectName: "compareQuants"
                    text: qsTr("Compare quants…")
                    Accessible.name: qsTr("Compare downloaded quants side by side")
                    onClicked: page.compareRequested()
                }
                Button {
                    text: qsTr("Change folder…")
                    Accessible.name: qsTr("Change the folder downloads are saved in")
                    onClicked: folderDialog.open()
                }
                Button {
                    objectName: "closeModels"
                    text: qsTr("Back to the chat")
                    Accessible.name: qsTr("Close the models page")
                    onClicked: page.close()
                }
            }
        }
    }
}
