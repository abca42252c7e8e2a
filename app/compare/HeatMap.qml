import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// The reference's answer (reasoning included) as token cells tinted by the
// chosen quant's KL divergence at each token; hovering a cell shows both
// models' five most likely next tokens there. Tokens are shown as plain
// text with control characters made visible (visibleToken).
ColumnLayout {
    id: root

    required property CompareController compare

    spacing: Theme.spacing

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        Label {
            textFormat: Text.PlainText
            text: qsTr("Heat map")
            color: Theme.text
            font.pointSize: Theme.titleFontSize
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        ComboBox {
            objectName: "heatQuant"
            model: root.compare.quantNames
            currentIndex: root.compare.heatQuant
            onActivated: index => root.compare.heatQuant = index
            Accessible.name: qsTr("The quant whose divergence tints the tokens")
        }
        Item {
            Layout.fillWidth: true
        }
        HeatLegend {
            heatMap: root.compare.heatMap
        }
    }
    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        text: qsTr("The reference's answer, each token tinted by how far %1's prediction of it strays (KL divergence). Italic: reasoning. Hover a token for both models' next tokens.")
              .arg(root.compare.heatMap.quantName)
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
    }

    Flow {
        id: flow
        objectName: "heatFlow"
        Layout.fillWidth: true
        spacing: 2

        Repeater {
            model: root.compare.heatMap
            delegate: Rectangle {
                id: cell
                required property int index
                required property string tokenText
                required property real kl
                required property color cellColor
                required property color textColor
                required property bool reasoning
                required property string tooltip
                readonly property bool tinted: kl >= 0.0001
                objectName: "heatCell"
                implicitWidth: label.implicitWidth + 4
                implicitHeight: label.implicitHeight + 2
                color: tinted ? cellColor : "transparent"
                border.color: hover.hovered ? Theme.accent : "transparent"
                radius: 2

                Text {
                    id: label
                    anchors.centerIn: parent
                    textFormat: Text.PlainText
                    text: cell.tokenText
                    color: cell.tinted ? cell.textColor : (cell.reasoning ? Theme.reasoningText : Theme.text)
                    font.italic: cell.reasoning
                    font.family: Theme.monoFamily
                    font.pointSize: Theme.smallFontSize + 1
                }
                HoverHandler {
                    id: hover
                    onHoveredChanged: {
                        if (hovered) {
                            tip.parent = cell
                            tip.text = cell.tooltip
                            tip.open()
                        } else if (tip.parent === cell) {
                            tip.close()
                        }
                    }
                }
            }
        }
    }

    ToolTip {
        id: tip
        objectName: "heatTooltip"
        y: parent ? parent.height + Theme.smallSpacing : 0
        delay: 0
        contentItem: Text {
            textFormat: Text.PlainText
            text: tip.text
            color: Theme.text
            font.family: Theme.monoFamily
            font.pointSize: Theme.smallFontSize + 1
        }
        background: Rectangle {
            color: Theme.surface
            border.color: Theme.border
            radius: Theme.radius
        }
    }
}
