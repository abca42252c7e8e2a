import QtQuick
import QtQuick.Controls
import Ponder.Common

// An entry of a quality chart's legend: a marker as the chart draws it
// (hollow, filled, a ring, or a dashed line) and what it means.
Row {
    id: item

    /// What the marker means (plain text).
    required property string text
    required property color colour
    property bool filled: false
    property bool ring: false
    property bool line: false
    /// Diameter of the circle, pixels.
    property real size: Theme.unit * 1.5

    spacing: Theme.smallSpacing
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    Item {
        width: Math.max(item.size, Theme.unit * 2)
        height: label.implicitHeight
        anchors.verticalCenter: parent.verticalCenter

        Rectangle {
            visible: !item.line
            anchors.centerIn: parent
            width: item.ring ? item.size * 1.4 : item.size
            height: width
            radius: width / 2
            color: item.filled ? item.colour : "transparent"
            border.color: item.colour
            border.width: item.ring ? 3 : 2
        }
        Row {
            visible: item.line
            anchors.centerIn: parent
            spacing: 2
            Repeater {
                model: 3
                Rectangle {
                    width: 4
                    height: 2
                    color: item.colour
                }
            }
        }
    }
    Label {
        id: label
        textFormat: Text.PlainText
        text: item.text
        color: Theme.text
        font.pointSize: Theme.smallFontSize
    }
}
