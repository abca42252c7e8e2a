import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models

// A row header of the picker's grid: the model, what it was distilled into,
// its size, and DeepSeek's published scores for it; a button opens the
// chart of its quants' quality against memory.
ColumnLayout {
    id: header

    /// ModelPickerModel.modelRows entry: name, shortName, baseModel, parameters, scores.
    required property var modelData

    /// The user asked for the chart of this model's quants.
    signal compareRequested()

    spacing: Theme.smallSpacing / 2
    Accessible.role: Accessible.RowHeader
    Accessible.name: modelData.name

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.smallSpacing

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: header.modelData.shortName
            color: Theme.text
            font.pointSize: Theme.titleFontSize
            font.bold: true
            elide: Text.ElideRight
        }
        ActionButton {
            objectName: "compareQuants_" + header.modelData.id
            text: qsTr("Compare")
            Accessible.name: qsTr("Compare the quants of %1: quality against memory").arg(header.modelData.name)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Compare its quants: quality lost against memory")
            onClicked: header.compareRequested()
        }
    }
    Label {
        textFormat: Text.PlainText
        Layout.fillWidth: true
        text: qsTr("%1 parameters · from %2").arg(header.modelData.parameters).arg(header.modelData.baseModel)
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        wrapMode: Text.Wrap
    }
    Label {
        textFormat: Text.PlainText
        Layout.fillWidth: true
        text: header.modelData.scores
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        ToolTip.visible: scoresHover.hovered && header.modelData.scores.length > 0
        ToolTip.text: qsTr("Pass@1 in percent, from DeepSeek's evaluation of the distilled models")

        HoverHandler {
            id: scoresHover
        }
    }
}
