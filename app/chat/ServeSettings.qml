import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The settings dialog's part for serving the open model over the
// OpenAI-compatible API (ModelServer): on or off (off by default), the
// port, and an optional key. Always on 127.0.0.1, so only programs on this
// computer reach it; the key is kept like the server key, never in QML.
ColumnLayout {
    id: serve

    required property ChatSettings settings

    spacing: Theme.spacing

    Switch {
        objectName: "serveSwitch"
        text: qsTr("Serve the open model on localhost:%1").arg(serve.settings.servePort)
        checked: serve.settings.serveEnabled
        Accessible.name: qsTr("Serve the open model over the OpenAI-compatible API")
        onToggled: serve.settings.serveEnabled = checked
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacing

        Label { text: qsTr("Port"); color: Theme.text }
        NamedSpinBox {
            id: portBox
            objectName: "servePortBox"
            from: 1
            to: 65535
            editable: true
            value: serve.settings.servePort
            Accessible.name: qsTr("Port to serve the model on")
            onValueModified: serve.settings.servePort = value
        }
        Label { text: qsTr("API key (optional)"); color: Theme.text }
        TextField {
            objectName: "serveApiKey"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: serve.settings.hasServeApiKey ? qsTr("The saved key (type another to replace it)")
                                                           : qsTr("None: any program on this computer may ask")
            Accessible.name: qsTr("API key clients of this server must send")
            onEditingFinished: if (text.length > 0) { serve.settings.setServeApiKey(text); text = "" }
        }
    }

    Button {
        objectName: "serveForgetKey"
        visible: serve.settings.hasServeApiKey
        text: qsTr("Remove the key")
        Accessible.name: qsTr("Remove the key of this server")
        onClicked: serve.settings.setServeApiKey("")
    }

    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        text: qsTr("Only on 127.0.0.1: programs on this computer can use the model, nothing else can reach it. "
                   + "The chat and the server take turns on the one model; a model on a server is not served. "
                   + "For other machines, run ponder-server.")
    }
}
