import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models

// The model picker: every catalog model (rows) in every quant (columns,
// best quality first). Each cell shows its download size, the GPU memory (RAM
// on the CPU engine) the engine will allocate at the chosen context length,
// and whether that fits the chosen device; the context slider and the device chooser update every figure
// at once. A .gguf from elsewhere can be imported with the button or dropped
// onto the picker. Arrow keys move through the grid, Enter downloads or loads.
// Each model's "Compare quants" and the "Quality overview" button open the
// quality charts (QualityPopup) over the grid.
Rectangle {
    id: root

    required property ModelPickerModel picker

    /// A cell asked for its files: `model` is the catalog id ("qwen-7b"), `quant` e.g. "Q4_K_M".
    signal downloadRequested(string model, string quant)
    /// A downloaded or imported model asked to be opened.
    signal loadRequested(string path)

    readonly property int cellWidth: Theme.unit * 19
    // Room for a split's three lines: where its layers go and its speed.
    readonly property int cellHeight: Theme.unit * 19
    readonly property int headerWidth: Theme.unit * 26
    readonly property LocalModels localModels: picker.localModels

    /// Opens the quality charts: `modelId`'s quants (page 0) or all models (page 1).
    function showQuality(modelId, page) {
        // By URL, not by type: Qt Charts loads the first time a chart opens.
        if (!qualityLoader.item)
            qualityLoader.setSource(Qt.resolvedUrl("QualityPopup.qml"),
                                    {picker: root.picker, parent: Overlay.overlay})
        qualityLoader.item.show(modelId, page)
    }

    function importUrls(urls) {
        if (!localModels)
            return
        for (const url of urls)
            localModels.importFile(url.toString())
    }

    color: Theme.window

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            Label {
                textFormat: Text.PlainText
                text: qsTr("Choose a model")
                color: Theme.text
                font.pointSize: Theme.titleFontSize
                font.bold: true
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                textFormat: Text.PlainText
                text: qsTr("Device")
                color: Theme.text
            }
            ComboBox {
                id: adapterBox
                objectName: "adapterBox"
                Layout.preferredWidth: Theme.unit * 55
                model: root.picker.adapters
                currentIndex: root.picker.adapterIndex
                enabled: count > 0
                displayText: count > 0 ? currentText : qsTr("No device found")
                Accessible.name: qsTr("Device to plan for")
                onActivated: index => root.picker.adapterIndex = index
            }
            Button {
                objectName: "overviewButton"
                text: qsTr("Quality overview")
                enabled: root.picker.errorString.length === 0
                Accessible.name: qsTr("Compare all models: score, memory and quality lost")
                onClicked: root.showQuality("", 1)
            }
            Button {
                objectName: "importButton"
                text: qsTr("Import .gguf…")
                enabled: root.localModels !== null
                Accessible.name: qsTr("Import a GGUF model file")
                onClicked: importDialog.open()
            }
        }

        ContextSlider {
            Layout.fillWidth: true
            value: root.picker.contextLength
            steps: root.picker.contextSteps
            onMoved: tokens => root.picker.contextLength = tokens
        }

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: root.picker.errorString.length > 0 ? root.picker.errorString
                : (root.picker.cpuEngine
                   ? qsTr("RAM the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: "
                          + "leave room for them. ★ marks the best quality that fits.")
                   : qsTr("GPU memory the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: "
                          + "leave room for them. ★ marks the best quality that fits. Split: layers that do not fit "
                          + "the GPU run on the CPU, slower (the speed is an estimate).")).arg(root.picker.contextLength)
            color: root.picker.errorString.length > 0 ? Theme.error : Theme.mutedText
            font.pointSize: Theme.smallFontSize
            wrapMode: Text.Wrap
        }

        Label {
            objectName: "importError"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            visible: root.localModels !== null && root.localModels.errorString.length > 0
            text: root.localModels ? root.localModels.errorString : ""
            color: Theme.error
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }

        ScrollView {
            id: scroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: table.implicitWidth
            contentHeight: table.implicitHeight
            clip: true

            Column {
                id: table
                spacing: Theme.smallSpacing

                Row {
                    Item {
                        width: root.headerWidth
                        height: 1
                    }
                    Repeater {
                        model: root.picker.quantNames
                        Label {
                            required property string modelData
                            textFormat: Text.PlainText
                            width: root.cellWidth
                            horizontalAlignment: Text.AlignHCenter
                            text: modelData
                            color: Theme.text
                            font.bold: true
                            Accessible.role: Accessible.ColumnHeader
                            Accessible.name: modelData
                        }
                    }
                }

                Row {
                    Column {
                        Repeater {
                            model: root.picker.modelRows
                            ModelHeader {
                                width: root.headerWidth - Theme.padding
                                height: root.cellHeight
                                onCompareRequested: root.showQuality(modelData.id, 0)
                            }
                        }
                    }

                    GridView {
                        id: grid
                        objectName: "modelGrid"
                        width: root.cellWidth * root.picker.quantNames.length
                        height: root.cellHeight * root.picker.modelNames.length
                        cellWidth: root.cellWidth
                        cellHeight: root.cellHeight
                        interactive: false
                        keyNavigationEnabled: true
                        activeFocusOnTab: true
                        model: root.picker
                        Accessible.role: Accessible.Table
                        Accessible.name: qsTr("Models and quantizations")
                        Keys.onReturnPressed: currentItem.activate()
                        Keys.onEnterPressed: currentItem.activate()
                        Keys.onSpacePressed: currentItem.activate()
                        // The cell the user moves to gets the exact figure
                        // of its real file (its header, read over HTTP).
                        // Only a move the user makes: the grid's first
                        // current cell, set as it fills, fetches nothing.
                        onCurrentIndexChanged: if (activeFocus) root.picker.refineEstimate(currentIndex)

                        delegate: QuantCell {
                            width: grid.cellWidth - Theme.smallSpacing
                            height: grid.cellHeight - Theme.smallSpacing
                            current: GridView.isCurrentItem
                            onDownloadRequested: {
                                root.picker.refineEstimate(index)
                                root.downloadRequested(modelId, quant)
                            }
                            // A file no checksum vouches for loads only once the user agrees.
                            onLoadRequested: {
                                if (unverified)
                                    unverifiedDialog.ask(localPath, modelName + " " + quant, unverifiedReason)
                                else
                                    root.loadRequested(localPath)
                            }
                        }
                    }
                }
            }
        }
    }

    Loader {
        id: qualityLoader
        objectName: "qualityLoader"
    }

    DropArea {
        anchors.fill: parent
        onEntered: drag => drag.accepted = drag.hasUrls && root.localModels !== null
        onDropped: drop => {
            root.importUrls(drop.urls)
            drop.accept(Qt.CopyAction)
        }
    }

    Dialog {
        id: unverifiedDialog
        objectName: "unverifiedDialog"

        property string path: ""
        property string name: ""
        property string reason: ""

        function ask(file, model, why) {
            path = file
            name = model
            reason = why
            open()
        }

        parent: Overlay.overlay
        anchors.centerIn: parent
        // Fixed: the window is never narrower (Main.qml), and a width that
        // follows the window while it lays out makes the wrapped text loop.
        width: Theme.unit * 70
        modal: true
        title: qsTr("Load a file that was not verified?")
        standardButtons: Dialog.Ok | Dialog.Cancel
        onAccepted: root.loadRequested(path)
        Component.onCompleted: {
            const load = standardButton(Dialog.Ok)
            load.text = qsTr("Load anyway")
            load.objectName = "loadUnverified"
        }

        Label {
            objectName: "unverifiedDialogText"
            width: unverifiedDialog.availableWidth
            text: qsTr("%1 was downloaded, but nothing could confirm it is the file its repository holds: %2\n\n"
                       + "A damaged or altered model can give wrong answers. Download it again to verify it, "
                       + "or load it anyway.").arg(unverifiedDialog.name).arg(unverifiedDialog.reason)
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.text
            Accessible.name: text
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a model")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: root.importUrls([selectedFile])
    }
}
