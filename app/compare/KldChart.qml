import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// Each quant's mean KLD (thick bar) and 99% KLD (thin bar) against the
// reference on one log scale, coloured as the heat map colours them.
ColumnLayout {
    id: chart

    required property CompareController compare

    readonly property real floorKld: 0.0001
    // A decade above the largest 99% KLD, at least 0.01.
    readonly property real ceilingKld: Math.max(0.01, Math.pow(10, Math.ceil(Math.log10(Math.max(compare.statistics.largestKld, 1e-9)))))
    readonly property int labelWidth: Theme.unit * 16

    function position(value) {
        const t = (Math.log10(Math.max(value, floorKld)) - Math.log10(floorKld))
                  / (Math.log10(ceilingKld) - Math.log10(floorKld))
        return Math.max(0, Math.min(1, t))
    }

    spacing: Theme.smallSpacing

    Repeater {
        model: chart.compare.statistics
        delegate: RowLayout {
            id: bar
            required property string fileType
            required property bool reference
            required property real meanKld
            required property real kld99
            visible: !reference
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                Layout.preferredWidth: chart.labelWidth
                textFormat: Text.PlainText
                text: bar.fileType
                color: Theme.text
                elide: Text.ElideRight
            }
            Item {
                id: track
                Layout.fillWidth: true
                implicitHeight: Theme.unit * 3
                Rectangle {
                    anchors.fill: parent
                    color: Theme.surface
                    border.color: Theme.border
                    radius: 2
                }
                Rectangle {
                    objectName: "kldBar"
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.max(2, track.width * chart.position(bar.meanKld))
                    height: parent.height - 4
                    x: 2
                    radius: 2
                    color: chart.compare.heatMap.colorFor(bar.meanKld)
                    border.color: Theme.border
                }
                Rectangle {
                    anchors.bottom: parent.bottom
                    anchors.bottomMargin: 2
                    width: Math.max(2, track.width * chart.position(bar.kld99))
                    height: 3
                    x: 2
                    color: chart.compare.heatMap.colorFor(bar.kld99)
                }
            }
            Label {
                Layout.preferredWidth: Theme.unit * 22
                textFormat: Text.PlainText
                text: qsTr("mean %1 · 99% %2").arg(bar.meanKld.toPrecision(3)).arg(bar.kld99.toPrecision(3))
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: chart.labelWidth + Theme.spacing
        Layout.rightMargin: Theme.unit * 22 + Theme.spacing
        Label {
            textFormat: Text.PlainText
            text: "10⁻⁴"
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            textFormat: Text.PlainText
            text: qsTr("KL divergence from the reference (nats, log scale)")
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
        }
        Label {
            textFormat: Text.PlainText
            text: chart.ceilingKld.toString()
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
        }
    }
}
