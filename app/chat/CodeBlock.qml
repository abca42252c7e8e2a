import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// A fenced code block: its language and a copy button above the code. The
// code shows plain while it streams and until KDE's highlighter (a separate
// process, CodeHighlighter) has coloured it; long lines scroll sideways.
Rectangle {
    id: codeBlock

    required property ChatController chat
    required property string code
    required property string language
    /// The closing fence arrived: the code will not change, so it is worth highlighting.
    required property bool closed

    // The highlighter's answer for this code, language and theme; empty while streaming.
    readonly property string key: closed ? chat.highlighter.key(code, language, Theme.dark) : ""
    property string html: ""

    function highlight() {
        html = closed ? chat.highlighter.request(code, language, Theme.dark) : ""
    }

    onKeyChanged: highlight()
    Component.onCompleted: highlight()

    Connections {
        target: codeBlock.chat.highlighter
        function onHighlighted(key, html) {
            if (key === codeBlock.key)
                codeBlock.html = html
        }
    }

    implicitHeight: column.implicitHeight
    radius: Theme.radius
    color: Theme.codeBackground
    border.color: Theme.border
    clip: true

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: header.implicitHeight
            color: Theme.codeHeader
            radius: Theme.radius

            RowLayout {
                id: header
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                spacing: Theme.spacing

                Label {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: codeBlock.language.length > 0 ? codeBlock.language : qsTr("code")
                    color: Theme.mutedText
                            font.family: Theme.monoFamily
                }
                ActionButton {
                    text: qsTr("Copy")
                            Accessible.name: codeBlock.language.length > 0 ? qsTr("Copy %1 code").arg(codeBlock.language)
                                                                     : qsTr("Copy code")
                    onClicked: DesktopActions.copyText(codeBlock.code)
                }
            }
        }

        Flickable {
            Layout.fillWidth: true
            Layout.preferredHeight: codeText.implicitHeight + 2 * Theme.spacing
            contentWidth: codeText.implicitWidth + 2 * Theme.spacing
            contentHeight: height
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            clip: true
            ScrollBar.horizontal: ScrollBar {}

            Text {
                id: codeText
                objectName: "codeText"
                x: Theme.spacing
                y: Theme.spacing
                text: codeBlock.html.length > 0 ? codeBlock.html : codeBlock.code
                textFormat: codeBlock.html.length > 0 ? Text.RichText : Text.PlainText
                color: Theme.text
                font.family: Theme.monoFamily
                font.pointSize: Theme.fontSize - 1
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Code: %1").arg(codeBlock.code)
            }
        }
    }
}
