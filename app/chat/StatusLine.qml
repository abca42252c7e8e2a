import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models
import Ponder.Chat

// The bottom line of the window: the model (or its loading progress, and
// once loaded the memory it holds; split across devices, where its layers
// went and the memory on each) on the left; the device the engine uses
// (a GPU, or the CPU engine) and its free memory, or why there is none, on
// the right. Between them, with the serve setting on, where the model is
// served (or why not), and while the chat waits for the server's request, that.
Rectangle {
    id: statusLine

    required property GpuSelector gpu
    required property ChatController chat

    implicitHeight: Theme.statusLineHeight
    color: Theme.sidebar

    Rectangle {
        anchors.top: parent.top
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.padding
        anchors.rightMargin: Theme.padding
        spacing: Theme.spacing

        Label {
            id: modelLabel
            objectName: "modelLabel"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            elide: Text.ElideRight
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
            text: statusLine.chat.loading ? qsTr("Opening the model…")
                : statusLine.chat.modelLoaded ? qsTr("Model: %1").arg(statusLine.chat.modelInfo.summary ?? statusLine.chat.modelInfo.name)
                : qsTr("No model open (Ctrl+M to choose one)")
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
            // A split model's line is long: all of it on hover.
            ToolTip.visible: truncated && modelHover.hovered
            ToolTip.text: text

            HoverHandler {
                id: modelHover
            }
        }

        // The chat's answer waits while a request of the app's server runs on the model.
        Label {
            objectName: "serveWaiting"
            visible: statusLine.chat.generating && statusLine.chat.server.answering
            textFormat: Text.PlainText
            color: Theme.text
            font.pointSize: Theme.smallFontSize
            text: qsTr("Waiting: the server is answering a request")
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
        }

        // Serving the open model (the serve setting): where, or why not.
        Label {
            objectName: "serveLabel"
            visible: text.length > 0
            Layout.maximumWidth: statusLine.width / 3
            elide: Text.ElideRight
            textFormat: Text.PlainText
            color: statusLine.chat.server.failed ? Theme.error : Theme.mutedText
            font.pointSize: Theme.smallFontSize
            text: statusLine.chat.server.statusText
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
            ToolTip.visible: truncated && serveHover.hovered
            ToolTip.text: text

            HoverHandler {
                id: serveHover
            }
        }

        ProgressBar {
            Layout.preferredWidth: Theme.unit * 15
            visible: statusLine.chat.loading
            indeterminate: statusLine.chat.loadProgress < 0
            value: Math.max(0, statusLine.chat.loadProgress)
            Accessible.name: qsTr("Loading the model")
        }
        ActionButton {
            objectName: "cancelLoad"
            visible: statusLine.chat.loading
            text: qsTr("Cancel")
            Accessible.name: qsTr("Cancel loading the model")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Esc")
            onClicked: statusLine.chat.stop()
        }

        Rectangle {
            Layout.preferredWidth: Theme.unit
            Layout.preferredHeight: Theme.unit
            radius: width / 2
            color: statusLine.gpu.errorString.length > 0 ? Theme.error
                 : statusLine.gpu.probing ? Theme.mutedText : Theme.ok
        }

        Label {
            id: gpuLabel
            objectName: "gpuLabel"
            textFormat: Text.PlainText
            // A split model's line (its layers and memory per device) comes first.
            Layout.maximumWidth: statusLine.width / (statusLine.chat.modelInfo.split ? 3 : 2)
            elide: Text.ElideRight
            color: statusLine.gpu.errorString.length > 0 ? Theme.error : Theme.mutedText
            font.pointSize: Theme.smallFontSize
            text: statusLine.gpu.probing ? qsTr("Looking for devices…")
                : statusLine.gpu.errorString.length > 0 ? statusLine.gpu.errorString
                : (statusLine.gpu.cpuEngine ? qsTr("%2: %1 · %3 RAM free of %4")
                                            : qsTr("GPU: %1 (%2) · %3 free of %4"))
                      .arg(statusLine.gpu.deviceName)
                      .arg(statusLine.gpu.deviceType)
                      .arg(Qt.locale().formattedDataSize(statusLine.gpu.freeMemory, 1, Locale.DataSizeTraditionalFormat))
                      .arg(Qt.locale().formattedDataSize(statusLine.gpu.totalMemory, 1, Locale.DataSizeTraditionalFormat))
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
            ToolTip.visible: truncated && gpuHover.hovered
            ToolTip.text: text

            HoverHandler {
                id: gpuHover
            }
        }
    }
}
