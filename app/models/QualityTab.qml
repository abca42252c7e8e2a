import QtQuick
import QtQuick.Controls
import Ponder.Common

// A tab of the quality charts, in the theme's colours: the current one
// underlined in the accent, the other plain (the style's own tab takes
// the palette's "dark" for the tabs not chosen).
TabButton {
    id: tab

    width: implicitWidth
    leftPadding: Theme.padding
    rightPadding: Theme.padding

    contentItem: Label {
        textFormat: Text.PlainText
        text: tab.text
        font.bold: tab.checked
        color: tab.checked ? Theme.text : Theme.mutedText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        implicitHeight: Theme.unit * 4
        color: tab.checked ? Theme.selection : tab.hovered ? Theme.surface : "transparent"
        radius: Theme.radius
        border.color: tab.visualFocus ? Theme.accent : "transparent"

        Rectangle {
            visible: tab.checked
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: 2
            color: Theme.accent
        }
    }
}
