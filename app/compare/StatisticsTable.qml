import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// llama.cpp's statistics per quant against the reference, then reasoning
// length, speed, file size and memory on this device: one row per model.
Flickable {
    id: table

    required property StatisticsModel statistics

    readonly property int firstWidth: Theme.unit * 15
    readonly property int cellWidth: Theme.unit * 9

    implicitHeight: grid.implicitHeight
    contentWidth: grid.implicitWidth
    contentHeight: grid.implicitHeight
    clip: true
    flickableDirection: Flickable.HorizontalFlick
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.horizontal: ScrollBar {}

    Column {
        id: grid
        Row {
            Repeater {
                model: table.statistics.columns
                delegate: Label {
                    required property int index
                    required property string modelData
                    width: index === 0 ? table.firstWidth : table.cellWidth
                    padding: Theme.smallSpacing
                    textFormat: Text.PlainText
                    text: modelData
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
            }
        }
        Repeater {
            model: table.statistics
            delegate: Rectangle {
                id: row
                required property int index
                required property var cells
                required property bool reference
                objectName: "statisticsRow"
                width: cellRow.implicitWidth
                height: cellRow.implicitHeight
                color: index % 2 ? "transparent" : Theme.surface
                Row {
                    id: cellRow
                    Repeater {
                        model: row.cells
                        delegate: Label {
                            required property int index
                            required property string modelData
                            width: index === 0 ? table.firstWidth : table.cellWidth
                            padding: Theme.smallSpacing
                            textFormat: Text.PlainText
                            text: modelData
                            color: Theme.text
                            font.bold: index === 0
                            elide: Text.ElideRight
                        }
                    }
                }
            }
        }
    }
}
