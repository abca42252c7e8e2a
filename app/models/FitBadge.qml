import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Models

// Whether a model fits the chosen GPU, as a coloured pill: fits (green),
// tight (amber: it loads, with under 10% of the free memory to spare), split
// (blue: it runs with part of its layers on other GPUs or the CPU; amber
// when under 10% of the RAM stays free), does not fit (red: nothing can hold it).
Rectangle {
    id: badge

    /// "fits", "tight", "split", "splitTight" or "doesNotFit" (ModelPickerModel's verdict role).
    required property string verdict

    readonly property color tone: verdict === "fits" ? Theme.ok
                                : verdict === "tight" || verdict === "splitTight" ? Theme.warning
                                : verdict === "split" ? Theme.information
                                : Theme.error
    readonly property string label: verdict === "fits" ? qsTr("Fits")
                                  : verdict === "tight" ? qsTr("Tight")
                                  : verdict === "split" ? qsTr("Split")
                                  : verdict === "splitTight" ? qsTr("Split, tight")
                                  : qsTr("Does not fit")

    implicitWidth: labelText.implicitWidth + Theme.padding
    implicitHeight: labelText.implicitHeight + Theme.smallSpacing
    radius: height / 2
    color: Qt.rgba(tone.r, tone.g, tone.b, Theme.badgeFillOpacity)
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
