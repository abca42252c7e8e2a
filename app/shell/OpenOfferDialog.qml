import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// What another launch handed over (a .gguf double-clicked while Ponder
// runs, single_instance.h): "Load MODEL?", saying that the current chat's
// model will be unloaded. The path came from outside, so it is shown as
// plain text only, the title included.
Dialog {
    id: dialog

    required property ChatController chat
    // The file offered: absolute, checked by SingleInstance to be a regular .gguf.
    property string path: ""
    readonly property string fileName: path.substring(path.lastIndexOf("/") + 1)

    // Shows the offer for `file` (a newer offer replaces one still open).
    function offer(file) {
        path = file
        open()
    }

    modal: true
    width: Theme.dialogWidth
    title: qsTr("Load %1?").arg(fileName)
    onAccepted: chat.openModel(path)

    header: Label {
        objectName: "openOfferTitle"
        textFormat: Text.PlainText
        text: dialog.title
        elide: Text.ElideMiddle
        font.bold: true
        font.pointSize: Theme.titleFontSize
        color: Theme.text
        padding: Theme.padding
        bottomPadding: 0
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            objectName: "openOfferPath"
            Layout.fillWidth: true
            textFormat: Text.PlainText
            wrapMode: Text.WrapAnywhere
            text: dialog.path
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
        }
        Label {
            objectName: "openOfferUnload"
            Layout.fillWidth: true
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.text
            text: dialog.chat.modelLoaded || dialog.chat.loading
                  ? qsTr("The current chat's model, %1, will be unloaded first.").arg(dialog.chat.modelName)
                  : qsTr("Another window asked Ponder to open this model.")
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "openOfferLoad"
            text: qsTr("Load")
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            objectName: "openOfferCancel"
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
