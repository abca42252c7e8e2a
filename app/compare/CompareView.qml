import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// The compare page's content: on the left what to compare and the earlier
// comparisons; on the right the comparison shown: the statistics (chart and
// table), the answers side by side, the heat map, and export.
Rectangle {
    id: view

    required property CompareController compare
    /// The user wants to leave the page.
    signal closeRequested()

    color: Theme.window

    FileDialog {
        id: jsonDialog
        objectName: "compareJsonDialog"
        title: qsTr("Export the comparison as JSON")
        fileMode: FileDialog.SaveFile
        // Qt 6.4's dialog drawn in QML says "Open" in every mode unless told.
        acceptLabel: qsTr("Save")
        defaultSuffix: "json"
        nameFilters: [qsTr("JSON (*.json)")]
        onAccepted: view.compare.exportJson(selectedFile.toString())
    }
    FileDialog {
        id: pngDialog
        objectName: "comparePngDialog"
        title: qsTr("Export the statistics and the heat map as PNG")
        fileMode: FileDialog.SaveFile
        acceptLabel: qsTr("Save")
        defaultSuffix: "png"
        nameFilters: [qsTr("PNG image (*.png)")]
        onAccepted: view.compare.exportPng(selectedFile.toString(), [statisticsSection, heatMapSection])
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ColumnLayout {
            Layout.preferredWidth: Theme.unit * 40
            Layout.maximumWidth: Theme.unit * 40
            Layout.minimumWidth: Theme.unit * 40
            Layout.fillHeight: true
            Layout.margins: Theme.padding
            spacing: Theme.padding

            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("Compare quants")
                    color: Theme.text
                    font.pointSize: Theme.titleFontSize
                    font.bold: true
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                }
                Button {
                    objectName: "closeCompare"
                    text: qsTr("Back")
                    Accessible.name: qsTr("Close the compare page")
                    onClicked: view.closeRequested()
                }
            }
            CompareSetup {
                Layout.fillWidth: true
                compare: view.compare
            }
            SavedComparisons {
                Layout.fillWidth: true
                Layout.fillHeight: true
                compare: view.compare
            }
        }

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: Theme.border
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !view.compare.hasResult
            Label {
                anchors.fill: parent
                anchors.margins: Theme.padding
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                text: qsTr("Choose two to five quants of a model and a prompt, then Compare.\nEach answers with the same seed; the most precise is the reference.")
                color: Theme.mutedText
            }
        }

        ScrollView {
            id: results
            objectName: "compareResults"
            visible: view.compare.hasResult
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: results.availableWidth - 2 * Theme.padding
                x: Theme.padding
                spacing: Theme.padding

                Item {
                    Layout.preferredHeight: Theme.smallSpacing
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            objectName: "compareTitle"
                            Layout.fillWidth: true
                            textFormat: Text.PlainText
                            text: view.compare.title
                            color: Theme.text
                            font.pointSize: Theme.titleFontSize
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            objectName: "compareReference"
                            Layout.fillWidth: true
                            textFormat: Text.PlainText
                            text: qsTr("Reference: %1").arg(view.compare.referenceName)
                            color: Theme.mutedText
                            elide: Text.ElideMiddle
                        }
                    }
                    ComboBox {
                        objectName: "comparePromptChoice"
                        visible: view.compare.promptLabels.length > 1
                        model: view.compare.promptLabels
                        currentIndex: view.compare.promptIndex
                        onActivated: index => view.compare.promptIndex = index
                        Accessible.name: qsTr("The prompt shown")
                    }
                    Button {
                        text: qsTr("JSON…")
                        Accessible.name: qsTr("Export the comparison as JSON")
                        onClicked: jsonDialog.open()
                    }
                    Button {
                        text: qsTr("PNG…")
                        Accessible.name: qsTr("Export the statistics and the heat map as a picture")
                        onClicked: pngDialog.open()
                    }
                }
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    maximumLineCount: 4
                    elide: Text.ElideRight
                    text: view.compare.promptText
                    color: Theme.mutedText
                }

                ColumnLayout {
                    id: statisticsSection
                    objectName: "statisticsSection"
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Label {
                        textFormat: Text.PlainText
                        text: qsTr("Statistics")
                        color: Theme.text
                        font.pointSize: Theme.titleFontSize
                        font.bold: true
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    KldChart {
                        Layout.fillWidth: true
                        compare: view.compare
                    }
                    StatisticsTable {
                        Layout.fillWidth: true
                        statistics: view.compare.statistics
                    }
                }

                SideBySide {
                    Layout.fillWidth: true
                    compare: view.compare
                }

                HeatMap {
                    id: heatMapSection
                    objectName: "heatMapSection"
                    Layout.fillWidth: true
                    compare: view.compare
                }
                Item {
                    Layout.preferredHeight: Theme.padding
                }
            }
        }
    }
}
