import QtQuick
import QtQuick.Controls
import Ponder.Common

// The button for the main action of a view (send, stop): accent coloured.
Button {
    id: button

    contentItem: Label {
        textFormat: Text.PlainText
        text: button.text
        font: button.font
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        color: button.enabled ? Theme.accentText : Theme.disabledText
    }

    background: Rectangle {
        implicitWidth: Theme.unit * 10
        implicitHeight: Theme.unit * 4
        radius: Theme.radius
        color: !button.enabled ? Theme.button : button.down ? Qt.darker(Theme.accent, 1.2) : Theme.accent
        border.color: button.visualFocus ? Theme.text : "transparent"
        border.width: 2
    }
}
