import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// The comparisons kept, newest first: one click reopens one.
ColumnLayout {
    id: saved

    required property CompareController compare

    spacing: Theme.smallSpacing

    Label {
        textFormat: Text.PlainText
        text: qsTr("Earlier comparisons")
        color: Theme.text
        font.bold: true
        visible: list.count > 0
    }
    ListView {
        id: list
        objectName: "savedComparisons"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: saved.compare.saved
        Accessible.name: qsTr("Earlier comparisons")
        delegate: ItemDelegate {
            id: entry
            required property var comparisonId
            required property string title
            required property string created
            required property string models
            width: list.width
            highlighted: saved.compare.comparisonId === entry.comparisonId
            Accessible.name: entry.title
            onClicked: saved.compare.openComparison(entry.comparisonId)
            contentItem: ColumnLayout {
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: entry.title
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: entry.created + " · " + entry.models
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    elide: Text.ElideRight
                }
            }
        }
    }
}
