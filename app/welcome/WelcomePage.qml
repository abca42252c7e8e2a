import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Downloads
import Ponder.Welcome

// The first run, in place of the empty chat: the devices found, one model
// recommended for them with the reason, one button that downloads it
// (progress in place), and the other ways in: a file, a server, the picker.
// The window opens the chat on the model when the download is verified
// (WelcomeController.modelReady).
Item {
    id: page

    required property WelcomeController welcome
    required property DownloadManager downloads

    signal openFileRequested()
    signal serverRequested()
    signal pickerRequested()

    readonly property var info: downloadRow.info
    readonly property bool downloading: welcome.downloadId.length > 0
    readonly property bool failed: downloading && info.status === DownloadManager.Failed

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(scroll.availableWidth - 2 * Theme.padding, Theme.messageMaxWidth * 0.75)
            x: (scroll.availableWidth - width) / 2
            spacing: Theme.padding

            Item { Layout.preferredHeight: Theme.padding * 2 }

            Label {
                objectName: "welcomeTitle"
                text: qsTr("Welcome to Ponder")
                font.pointSize: Theme.titleFontSize * 1.4
                font.bold: true
                color: Theme.text
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Ponder runs DeepSeek-R1's distilled reasoning models on this computer. "
                           + "Nothing is downloaded until you ask.")
                wrapMode: Text.Wrap
                color: Theme.mutedText
            }

            // The devices found.
            Label {
                text: qsTr("Found on this computer")
                font.bold: true
                color: Theme.text
            }
            Label {
                visible: welcome.probing
                text: qsTr("Looking for GPUs…")
                color: Theme.mutedText
            }
            Repeater {
                model: welcome.devices
                delegate: Label {
                    required property var modelData
                    objectName: "welcomeDevice"
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    text: modelData.kind === "CPU"
                          ? qsTr("%1 · %2 of RAM").arg(modelData.name).arg(modelData.memoryText)
                          : qsTr("%1 · %2").arg(modelData.name).arg(modelData.memoryText)
                    color: Theme.text
                }
            }

            // The recommendation.
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: card.implicitHeight + 2 * Theme.padding
                visible: !welcome.probing
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border

                ColumnLayout {
                    id: card
                    anchors.fill: parent
                    anchors.margins: Theme.padding
                    spacing: Theme.spacing

                    Label {
                        text: welcome.found ? qsTr("Recommended for you") : qsTr("No model fits")
                        font.bold: true
                        color: Theme.text
                    }
                    Label {
                        objectName: "welcomeModel"
                        visible: welcome.found
                        Layout.fillWidth: true
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        text: qsTr("%1 %2").arg(welcome.modelName).arg(welcome.quant)
                        font.pointSize: Theme.titleFontSize
                        color: Theme.text
                    }
                    Label {
                        visible: welcome.found && welcome.scores.length > 0
                        Layout.fillWidth: true
                        textFormat: Text.PlainText
                        text: qsTr("Published scores: %1").arg(welcome.scores)
                        font.pointSize: Theme.smallFontSize
                        color: Theme.mutedText
                    }
                    Label {
                        objectName: "welcomeReason"
                        Layout.fillWidth: true
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        text: welcome.reason
                        color: Theme.text
                    }

                    PrimaryButton {
                        objectName: "welcomeDownload"
                        visible: welcome.found && !page.downloading
                        text: qsTr("Download (%1)").arg(welcome.fileSizeText)
                        Accessible.name: qsTr("Download %1 %2").arg(welcome.modelName).arg(welcome.quant)
                        onClicked: welcome.download()
                    }
                    PrimaryButton {
                        objectName: "welcomeServerPrimary"
                        visible: !welcome.found && !welcome.probing
                        text: qsTr("Use a server…")
                        onClicked: page.serverRequested()
                    }

                    // Progress in place: bytes, rate, time left, pause and cancel.
                    DownloadRow {
                        id: downloadRow
                        objectName: "welcomeProgress"
                        Layout.fillWidth: true
                        visible: page.downloading
                        downloads: page.downloads
                        downloadId: welcome.downloadId
                        onDownloadIdChanged: refresh()
                        Connections {
                            target: page.downloads
                            function onProgressChanged(id) { if (id === welcome.downloadId) downloadRow.refresh() }
                            function onStatusChanged(id) { if (id === welcome.downloadId) downloadRow.refresh() }
                            // Cancelled: back to the button.
                            function onDownloadsChanged() { downloadRow.refresh() }
                        }
                    }

                    // Why it could not start (a failed download says why in its
                    // row above), with a retry.
                    RowLayout {
                        Layout.fillWidth: true
                        visible: welcome.errorString.length > 0 || page.failed
                        Label {
                            objectName: "welcomeError"
                            Layout.fillWidth: true
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            text: page.failed ? "" : welcome.errorString
                            color: Theme.error
                        }
                        ActionButton {
                            objectName: "welcomeRetry"
                            text: qsTr("Try again")
                            onClicked: page.failed ? page.downloads.resume(welcome.downloadId) : welcome.download()
                        }
                    }
                }
            }

            // The other ways in.
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                ActionButton {
                    objectName: "welcomeOpenFile"
                    text: qsTr("Open a file…")
                    onClicked: page.openFileRequested()
                }
                ActionButton {
                    objectName: "welcomeServer"
                    // Nothing fits: the card's own button says it, once.
                    visible: welcome.found || welcome.probing
                    text: qsTr("Use a server…")
                    onClicked: page.serverRequested()
                }
                ActionButton {
                    objectName: "welcomePicker"
                    text: qsTr("Choose another model")
                    onClicked: page.pickerRequested()
                }
                ActionButton {
                    objectName: "welcomeNotNow"
                    text: qsTr("Not now")
                    Accessible.name: qsTr("Close the welcome and show the empty chat")
                    onClicked: welcome.finish()
                }
            }
        }
    }
}
