import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// Chat with a model served elsewhere: vLLM, SGLang, llama.cpp's server or
// the DeepSeek API, over the OpenAI-compatible protocol. The fields start
// from the last server used; Connect checks the address, key and model by
// listing the server's models, and says in the chat what went wrong if
// anything did.
//
// The saved key never comes into the dialog: its field holds only a key
// typed here. Left empty, the controller uses the saved key (and saved
// user:password) for the saved address only, so an address edited to
// another server never receives them.
Dialog {
    id: dialog

    required property ChatController chat
    // The address typed is the saved server's (scheme, host and port).
    readonly property bool savedServer: chat.settings.serverUrl.length > 0 && chat.settings.isServerUrl(address.text)
    readonly property bool savedKey: savedServer && chat.settings.hasServerApiKey
    readonly property bool savedLogin: savedServer && chat.settings.hasServerLogin

    title: qsTr("Use a server")
    modal: true
    width: Theme.dialogWidth
    onAboutToShow: {
        address.text = chat.settings.serverUrl
        model.editText = chat.settings.serverModel
        apiKey.text = ""
        address.forceActiveFocus()
        listModels()
    }

    // Fills the model list from the server as soon as there is an address.
    function listModels() {
        if (address.text.trim().length > 0)
            chat.listServerModels(address.text, apiKey.text)
    }

    function connectNow() {
        if (address.text.trim().length === 0)
            return
        chat.connectServer(address.text, model.editText, apiKey.text)
        close()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: qsTr("For models beyond this GPU: any OpenAI-compatible server, such as vLLM, SGLang, "
                       + "llama.cpp's server, or the DeepSeek API (https://api.deepseek.com). "
                       + "Reasoning shows as it does for local models.")
        }
        Label { text: qsTr("Address"); color: Theme.text }
        TextField {
            id: address
            objectName: "serverAddress"
            Layout.fillWidth: true
            placeholderText: qsTr("http://gpu-server:8000")
            Accessible.name: qsTr("Server address")
            onAccepted: dialog.connectNow()
            onEditingFinished: dialog.listModels()
        }
        Label { text: qsTr("API key"); color: Theme.text }
        TextField {
            id: apiKey
            objectName: "serverApiKey"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: dialog.savedKey ? qsTr("The saved key (type another to replace it)")
                                             : qsTr("Only if the server asks for one")
            Accessible.name: qsTr("API key")
            onAccepted: dialog.connectNow()
            onEditingFinished: dialog.listModels()
        }
        Label {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            objectName: "serverKeyNote"
            color: dialog.chat.settings.serverKeyError.length > 0 ? Theme.error : Theme.mutedText
            font.pointSize: Theme.smallFontSize
            text: dialog.chat.settings.serverKeyError.length > 0
                  ? qsTr("Not saved (%1); it is used until Ponder quits.").arg(dialog.chat.settings.serverKeyError)
                  : dialog.chat.settings.secretsInKeyring
                  ? qsTr("Stored in the system keyring, for this address only.")
                  : dialog.chat.settings.secretsWhere.length > 0
                  ? qsTr("%1, readable by your account only, for this address only.").arg(dialog.chat.settings.secretsWhere)
                  : dialog.savedLogin
                  ? qsTr("The key and the address's user name and password are saved in files of their own, "
                         + "readable by your account only, for this address only.")
                  : qsTr("The key is saved in a file of its own, readable by your account only, for this address only.")
        }
        ActionButton {
            objectName: "serverForgetKey"
            visible: dialog.savedKey || dialog.savedLogin
            text: qsTr("Forget the saved key and password")
            Accessible.name: qsTr("Forget the saved API key and password")
            onClicked: dialog.chat.settings.forgetServerCredentials()
        }
        Label { text: qsTr("Model"); color: Theme.text }
        NamedComboBox {
            id: model
            objectName: "serverModel"
            Layout.fillWidth: true
            editable: true
            model: dialog.chat.serverModels
            Accessible.name: qsTr("Model name on the server")
            onAccepted: dialog.connectNow()
            // A new list selects its first entry: prefer the model used last.
            Connections {
                target: dialog.chat
                function onServerModelsChanged() {
                    Qt.callLater(() => {
                        const last = model.find(dialog.chat.settings.serverModel)
                        if (last >= 0)
                            model.currentIndex = last
                    })
                }
            }
        }
        Label {
            objectName: "serverModelsNote"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            font.pointSize: Theme.smallFontSize
            color: dialog.chat.serverModelsError.length > 0 ? Theme.error : Theme.mutedText
            text: dialog.chat.serverModelsError.length > 0 ? dialog.chat.serverModelsError
                : dialog.chat.serverModels.length > 0 ? qsTr("%n model(s) on this server", "", dialog.chat.serverModels.length)
                : qsTr("Empty: the server's first model")
        }
    }

    // Connect beside Cancel, the main action accent coloured.
    footer: DialogButtonBox {
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: qsTr("Cancel, keeping the model in use")
        }
        PrimaryButton {
            objectName: "serverConnect"
            text: qsTr("Connect")
            enabled: address.text.trim().length > 0
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            Accessible.name: qsTr("Connect to the server")
            onClicked: dialog.connectNow()
        }
    }
}
