import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// One conversation in the sidebar: its title, and buttons to rename (F2)
// and delete (Delete) it. Enter or a click opens it; a right click or the
// Menu key opens its menu (rename, export to Markdown, delete).
ItemDelegate {
    id: row

    /// The conversation: a map with id, title, model, created, updated.
    required property var modelData
    required property int index
    /// The conversation on screen.
    property bool current: false
    property bool editing: false

    signal selected()
    signal renamed(string title)
    signal deleteRequested()
    signal exportRequested()

    function startRename() {
        editing = true
        titleField.text = modelData.title
        titleField.forceActiveFocus()
        titleField.selectAll()
    }

    readonly property string title: modelData.title.length > 0 ? modelData.title : qsTr("New conversation")

    text: title
    highlighted: current
    padding: Theme.spacing
    Accessible.name: current ? qsTr("%1, open").arg(title) : title
    onClicked: selected()
    Keys.onReturnPressed: selected()
    Keys.onEnterPressed: selected()
    Keys.onPressed: event => {
        if (event.key === Qt.Key_F2) {
            startRename()
            event.accepted = true
        } else if (event.key === Qt.Key_Delete) {
            deleteRequested()
            event.accepted = true
        } else if (event.key === Qt.Key_Menu || (event.key === Qt.Key_F10 && event.modifiers & Qt.ShiftModifier)) {
            contextMenu.popup(row, 0, row.height)
            event.accepted = true
        }
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: eventPoint => contextMenu.popup(row, eventPoint.position.x, eventPoint.position.y)
    }

    Menu {
        id: contextMenu

        MenuItem {
            text: qsTr("Rename")
            Accessible.name: qsTr("Rename conversation %1").arg(row.title)
            onTriggered: row.startRename()
        }
        MenuItem {
            objectName: "exportMarkdown"
            text: qsTr("Export to Markdown…")
            Accessible.name: qsTr("Export conversation %1 to Markdown").arg(row.title)
            onTriggered: row.exportRequested()
        }
        MenuItem {
            text: qsTr("Delete…")
            Accessible.name: qsTr("Delete conversation %1").arg(row.title)
            onTriggered: row.deleteRequested()
        }
    }

    background: Rectangle {
        radius: Theme.radius
        color: row.highlighted ? Theme.selection : row.hovered || row.activeFocus ? Theme.surface : "transparent"
        border.color: row.activeFocus ? Theme.accent : "transparent"
    }

    contentItem: RowLayout {
        spacing: Theme.smallSpacing

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            visible: !row.editing
            text: row.title
            elide: Text.ElideRight
            color: Theme.text
        }

        TextField {
            id: titleField
            Layout.fillWidth: true
            visible: row.editing
            selectByMouse: true
            Accessible.name: qsTr("Conversation title")
            onAccepted: {
                row.editing = false
                row.renamed(text)
                row.forceActiveFocus()
            }
            Keys.onEscapePressed: {
                row.editing = false
                row.forceActiveFocus()
            }
            onActiveFocusChanged: if (!activeFocus) row.editing = false
        }

        ActionButton {
            visible: !row.editing && (row.hovered || row.current || row.activeFocus)
            text: "✎"
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Rename (F2)")
            Accessible.name: qsTr("Rename conversation %1").arg(row.title)
            onClicked: row.startRename()
        }

        ActionButton {
            visible: !row.editing && (row.hovered || row.current || row.activeFocus)
            text: "✕"
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Delete (Del)")
            Accessible.name: qsTr("Delete conversation %1").arg(row.title)
            onClicked: row.deleteRequested()
        }
    }
}
