import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Models

// Whether a model fits the chosen GPU, as a coloured pill: fits (green),
// tight (amber: it loads, with under 10% of the free memory to spare), does
// not fit (red).
Rectangle {
    id: badge

    /// "fits", "tight" or "doesNotFit" (ModelPickerModel's verdict role).
    required property string verdict

    // Theme has no warning colour yet: this amber reads on both palettes.
    readonly property color tone: verdict === "fits" ? Theme.ok
                                : verdict === "tight" ? (Theme.dark ? "#fbbf24" : "#b45309")
                                : Theme.error
    readonly property string label: verdict === "fits" ? qsTr("Fits")
                                  : verdict === "tight" ? qsTr("Tight")
                                  : qsTr("Does not fit")

    implicitWidth: labelText.implicitWidth + Theme.padding
    implicitHeight: labelText.implicitHeight + Theme.smallSpacing
    radius: height / 2
    color: Qt.rgba(tone.r, tone.g, tone.b, Theme.dark ? 0.2 : 0.12)
    border.color: tone

    Accessible.role: Accessible.StaticText
    Accessible.name: label

    Label {
        id: labelText
        textFormat: Text.PlainText
        anchors.centerIn: parent
        text: badge.label
        color: badge.tone
        font.pointSize: Theme.smallFontSize
        font.bold: true
    }
}
