import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The list of conversations: a new chat, search by text, rename, export to
// Markdown and delete; below them, opening a model and the settings.
Rectangle {
    id: sidebar

    required property ChatController chat

    signal openModelRequested()
    signal settingsRequested()

    // Asks where to save the conversation `id` as Markdown, proposing "<title>.md", and saves it there.
    function exportConversation(id) {
        exportDialog.conversationId = id
        exportDialog.selectedFile = exporter.suggestedFile(id)
        exportDialog.open()
    }

    // Ctrl+F: the search field, its text selected.
    function focusSearch() {
        search.forceActiveFocus()
        search.selectAll()
    }

    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing

        Label {
            textFormat: Text.PlainText
            text: qsTr("Ponder")
            color: Theme.text
            font.pointSize: Theme.titleFontSize
            font.bold: true
        }

        Button {
            id: newChatButton
            Layout.fillWidth: true
            text: qsTr("New chat")
            Accessible.name: qsTr("Start a new chat")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Ctrl+N")
            onClicked: sidebar.chat.newConversation()
        }

        TextField {
            id: search
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations")
            selectByMouse: true
            Accessible.name: qsTr("Search conversations")
            onTextChanged: sidebar.chat.search = text
            Keys.onDownPressed: conversations.forceActiveFocus()
            Keys.onEscapePressed: text = ""
        }

        ListView {
            id: conversations
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.chat.conversations
            activeFocusOnTab: true
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")
            ScrollBar.vertical: ScrollBar {}

            delegate: ConversationRow {
                id: row
                width: conversations.width
                current: row.modelData.id === sidebar.chat.conversationId
                onSelected: sidebar.chat.selectConversation(row.modelData.id)
                onRenamed: title => sidebar.chat.renameConversation(row.modelData.id, title)
                onExportRequested: sidebar.exportConversation(row.modelData.id)
                onDeleteRequested: {
                    confirmDelete.conversationId = row.modelData.id
                    confirmDelete.conversationTitle = row.modelData.title
                    confirmDelete.open()
                }
            }

            Label {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                visible: conversations.count === 0
                text: search.text.length > 0 ? qsTr("Nothing found") : qsTr("No conversations yet")
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }

        Button {
            Layout.fillWidth: true
            objectName: "modelsButton"
            text: sidebar.chat.modelLoaded ? qsTr("Models…") : qsTr("Choose a model…")
            enabled: !sidebar.chat.loading && !sidebar.chat.generating
            Accessible.name: qsTr("Models: choose, download or open a model")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Ctrl+M")
            onClicked: sidebar.openModelRequested()
        }

        Button {
            Layout.fillWidth: true
            text: qsTr("Settings")
            Accessible.name: qsTr("Settings")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Ctrl+,")
            onClicked: sidebar.settingsRequested()
        }
    }

    ConversationExporter {
        id: exporter
        store: sidebar.chat.store
    }

    FileDialog {
        id: exportDialog
        objectName: "exportDialog"

        property var conversationId: -1

        title: qsTr("Export the conversation to Markdown")
        fileMode: FileDialog.SaveFile
        // Qt 6.4's dialog drawn in QML says "Open" in every mode unless told.
        acceptLabel: qsTr("Save")
        defaultSuffix: "md"
        nameFilters: [qsTr("Markdown (*.md)")]
        onAccepted: {
            if (!exporter.exportConversation(conversationId, selectedFile.toString()))
                exportFailed.open()
        }
    }

    Dialog {
        id: exportFailed
        objectName: "exportFailed"

        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        // A fixed width for the message to wrap in (its own would be a binding loop).
        width: Math.min(parent.width - 2 * Theme.padding, Theme.unit * 60)
        title: qsTr("The conversation was not exported")
        standardButtons: Dialog.Ok

        Label {
            width: parent.width
            textFormat: Text.PlainText
            text: exporter.errorString
            color: Theme.text
            wrapMode: Text.Wrap
        }
    }

    Dialog {
        id: confirmDelete

        property var conversationId: -1
        property string conversationTitle

        parent: Overlay.overlay
        anchors.centerIn: parent
        // A set width: sized by its wrapping text, the dialog loops when the text changes (a retranslation).
        width: Theme.dialogWidth
        modal: true
        title: qsTr("Delete conversation?")
        standardButtons: Dialog.Yes | Dialog.No
        onAccepted: sidebar.chat.deleteConversation(conversationId)

        Label {
            textFormat: Text.PlainText
            text: qsTr("“%1” and all its messages will be deleted.").arg(confirmDelete.conversationTitle)
            color: Theme.text
            wrapMode: Text.Wrap
        }
    }
}
