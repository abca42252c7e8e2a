import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// "‹ 2 / 3 ›": steps through the versions of a message (edits, regenerated answers).
RowLayout {
    id: switcher

    required property int versionIndex
    required property int versionCount

    signal step(int delta)

    spacing: 0

    ActionButton {
        text: "‹"
        enabled: switcher.versionIndex > 0
        Accessible.name: qsTr("Previous version")
        onClicked: switcher.step(-1)
    }
    Label {
        textFormat: Text.PlainText
        text: qsTr("%1 / %2").arg(switcher.versionIndex + 1).arg(switcher.versionCount)
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        Accessible.name: qsTr("Version %1 of %2").arg(switcher.versionIndex + 1).arg(switcher.versionCount)
    }
    ActionButton {
        text: "›"
        enabled: switcher.versionIndex + 1 < switcher.versionCount
        Accessible.name: qsTr("Next version")
        onClicked: switcher.step(1)
    }
}
