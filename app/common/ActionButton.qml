import QtQuick
import QtQuick.Controls
import Ponder.Common

// A small flat button for actions beside a message or a code block: muted
// text, a background only when hovered, pressed, checked or focused.
ToolButton {
    id: button

    font.pointSize: Theme.smallFontSize
    topPadding: Theme.smallSpacing
    bottomPadding: Theme.smallSpacing
    leftPadding: Theme.spacing
    rightPadding: Theme.spacing

    contentItem: Label {
        textFormat: Text.PlainText
        text: button.text
        font: button.font
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        color: !button.enabled ? Theme.disabledText
             : button.checked || button.activeFocus ? Theme.accent : Theme.mutedText
    }

    background: Rectangle {
        implicitHeight: Theme.unit * 3
        radius: Theme.radius
        color: button.down ? Theme.border : button.hovered || button.checked ? Theme.surface : "transparent"
        border.color: button.visualFocus || button.checked ? Theme.accent : "transparent"
    }
}
