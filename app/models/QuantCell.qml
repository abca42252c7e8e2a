import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models

// One model in one quant, a cell of the picker's grid: its download size,
// the GPU memory it needs at the chosen context (a split model's GPU and RAM),
// a fit badge with the reason in numbers (a split's layers per device and its
// estimated speed; its devices by name and each one's memory on hover), and
// marks for the recommended quant and a downloaded file (and a downloaded
// file that could not be verified, with the reason on hover).
// The button (or Enter on the cell) downloads it, or loads it when it is here.
Rectangle {
    id: cell

    // ModelPickerModel's roles.
    required property int index
    required property string modelId
    required property string modelName
    required property string quant
    required property string fileSizeText
    required property string neededText
    required property string memoryText
    required property string splitDetails
    required property string verdict
    required property string reason
    required property string reasonText
    required property bool recommended
    required property bool downloaded
    required property string localPath
    required property bool downloadable
    required property string estimateSource
    required property bool unverified
    required property string unverifiedReason
    /// The grid's keyboard cursor is on this cell.
    property bool current: false

    signal downloadRequested()
    signal loadRequested()

    function activate() {
        if (downloaded)
            loadRequested()
        else if (downloadable)
            downloadRequested()
    }

    objectName: "cell_" + modelId + "_" + quant
    clip: true
    radius: Theme.radius
    color: recommended ? Theme.selection : Theme.surface
    border.color: current && GridView.view && GridView.view.activeFocus ? Theme.text
                : recommended ? Theme.accent : Theme.border
    border.width: current && GridView.view && GridView.view.activeFocus ? 2 : 1

    Accessible.role: Accessible.Cell
    Accessible.name: [modelName + " " + quant, badge.label, reason,
                      splitDetails.length > 0 ? splitDetails.split("\n").slice(1).join(", ") : "",
                      qsTr("%1 download").arg(fileSizeText),
                      recommended ? qsTr("recommended") : "",
                      downloaded ? qsTr("downloaded") : "",
                      unverified ? qsTr("not verified: %1").arg(unverifiedReason) : ""].filter(s => s.length > 0).join(", ")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing / 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.smallSpacing
            Label {
                objectName: "neededLabel"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: cell.memoryText
                color: Theme.text
                font.bold: true
                elide: Text.ElideRight
                ToolTip.visible: neededHover.hovered
                ToolTip.text: (cell.estimateSource === "file" ? qsTr("From the downloaded file")
                             : cell.estimateSource === "remote" ? qsTr("From the file's header")
                             : qsTr("From the model's configuration"))
                              + (cell.splitDetails.length > 0 ? "\n" + cell.splitDetails : "")

                HoverHandler {
                    id: neededHover
                }
            }
            Label {
                textFormat: Text.PlainText
                visible: cell.recommended
                text: "★"
                color: Theme.accent
                Accessible.ignored: true
                ToolTip.visible: starHover.hovered
                ToolTip.text: qsTr("Recommended: the best quality that fits")

                HoverHandler {
                    id: starHover
                }
            }
        }

        Label {
            objectName: "sizeLabel"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: !cell.downloaded ? qsTr("%1 download").arg(cell.fileSizeText)
                  : cell.unverified ? qsTr("⚠ %1 on disk, not verified").arg(cell.fileSizeText)
                  : qsTr("✓ %1 on disk").arg(cell.fileSizeText)
            color: !cell.downloaded ? Theme.mutedText : cell.unverified ? Theme.error : Theme.ok
            font.pointSize: Theme.smallFontSize
            elide: Text.ElideRight
            ToolTip.visible: cell.unverified && sizeHover.hovered
            ToolTip.text: qsTr("Downloaded without a checksum to check it against: %1").arg(cell.unverifiedReason)

            HoverHandler {
                id: sizeHover
            }
        }

        FitBadge {
            id: badge
            verdict: cell.verdict
            ToolTip.visible: cell.splitDetails.length > 0 && badgeHover.hovered
            ToolTip.text: cell.splitDetails

            HoverHandler {
                id: badgeHover
            }
        }

        Label {
            objectName: "reasonLabel"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: cell.reasonText
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            // A split says where its layers go and how fast it should run.
            maximumLineCount: cell.splitDetails.length > 0 ? 3 : 2
            elide: Text.ElideRight
            verticalAlignment: Text.AlignTop
        }

        ActionButton {
            objectName: "cellAction"
            text: cell.downloaded ? qsTr("Load") : qsTr("Download")
            enabled: cell.downloaded || cell.downloadable
            // The grid takes the keyboard (arrows, Enter): 42 cells' buttons in the Tab chain would not help.
            focusPolicy: Qt.NoFocus
            Accessible.name: cell.downloaded ? qsTr("Load %1 %2").arg(cell.modelName).arg(cell.quant)
                                             : qsTr("Download %1 %2").arg(cell.modelName).arg(cell.quant)
            onClicked: cell.activate()
        }
    }
}
