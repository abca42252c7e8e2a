import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder
import Ponder.Ui

// The bottom line of the window: which GPU the engine uses and how much
// memory it has free, or why there is none.
Rectangle {
    id: statusLine

    required property GpuSelector gpu

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
            Layout.fillWidth: true
            elide: Text.ElideRight
            color: statusLine.gpu.errorString.length > 0 ? Theme.error : Theme.mutedText
            font.pointSize: Theme.smallFontSize
            text: statusLine.gpu.probing ? qsTr("Looking for GPUs…")
                : statusLine.gpu.errorString.length > 0 ? statusLine.gpu.errorString
                : qsTr("GPU: %1 (%2) · %3 free of %4")
                      .arg(statusLine.gpu.deviceName)
                      .arg(statusLine.gpu.deviceType)
                      .arg(Qt.locale().formattedDataSize(statusLine.gpu.freeMemory, 1, Locale.DataSizeTraditionalFormat))
                      .arg(Qt.locale().formattedDataSize(statusLine.gpu.totalMemory, 1, Locale.DataSizeTraditionalFormat))
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
        }
    }
}
