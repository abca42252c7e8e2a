import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common

// A Markdown table of an answer: a grid of its cells' rich text (built and
// escaped in C++), the header row bold on the surface colour, each column
// aligned as its delimiter row says; wider than the answer, it scrolls
// sideways.
Flickable {
    id: table

    /// Rows of cells' rich text, the header row first.
    required property var cells
    /// Per column "left", "center", "right" or "".
    required property var alignments

    signal linkActivated(string link)

    readonly property int columns: Math.max(1, alignments.length)

    implicitHeight: grid.implicitHeight + 2
    contentWidth: Math.max(width, grid.implicitWidth + 2)
    contentHeight: height
    flickableDirection: Flickable.HorizontalFlick
    boundsBehavior: Flickable.StopAtBounds
    clip: true
    ScrollBar.horizontal: ScrollBar {}

    GridLayout {
        id: grid
        x: 1
        y: 1
        columns: table.columns
        rowSpacing: 1
        columnSpacing: 1

        Repeater {
            // One entry per cell, row by row; rows shorter than the header get empty cells.
            model: {
                const flat = []
                for (let r = 0; r < table.cells.length; ++r)
                    for (let c = 0; c < table.columns; ++c)
                        flat.push({ html: table.cells[r][c] || "", header: r === 0, column: c })
                return flat
            }

            Rectangle {
                id: cell
                required property var modelData
                Layout.fillWidth: true
                Layout.fillHeight: true
                implicitWidth: Math.min(cellText.implicitWidth, Theme.unit * 40) + 2 * Theme.spacing
                implicitHeight: cellText.implicitHeight + Theme.spacing
                color: modelData.header ? Theme.surface : Theme.window
                border.color: Theme.border

                Text {
                    id: cellText
                    objectName: "tableCell"
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    anchors.rightMargin: Theme.spacing
                    verticalAlignment: Text.AlignVCenter
                    text: cell.modelData.html
                    textFormat: Text.RichText
                    wrapMode: Text.Wrap
                    color: Theme.text
                    linkColor: Theme.accent
                    font.pointSize: Theme.fontSize
                    font.bold: cell.modelData.header
                    horizontalAlignment: {
                        const align = table.alignments[cell.modelData.column]
                        return align === "center" ? Text.AlignHCenter : align === "right" ? Text.AlignRight : Text.AlignLeft
                    }
                    Accessible.role: cell.modelData.header ? Accessible.ColumnHeader : Accessible.Cell
                    Accessible.name: text.replace(/<[^>]*>/g, "")
                    onLinkActivated: link => table.linkActivated(link)
                }
            }
        }
    }
}
