import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Ponder.Common
import Ponder.Models

// One model's quants on one chart: memory at the chosen context on the
// chosen device (x, GB of 1024³ bytes as the picker's cells count them)
// against the quality each loses (y: mean KL divergence from F16, log
// scale, lower is better). F16, the reference, has no divergence and sits
// on the floor, labelled so. Points are hollow while they carry the typical
// figure of their quant type (the catalog's llama.cpp figures) and filled
// once the compare page has measured that quant of this model here. A ring
// marks the picker's recommendation (★, the best quality that fits); the
// dashed line is the device's free memory: points right of it do not fit
// on it alone. Hovering a point tells its size, memory, KLD, same top token
// and fit.
ColumnLayout {
    id: root

    required property ModelPickerModel picker
    /// The catalog id of the model charted.
    required property string modelId
    readonly property QualityChartModel points: chartModel
    /// The marker under the mouse; null when none.
    property Item hoveredMarker: null

    readonly property color lineColour: Theme.dark ? "#fbbf24" : "#b45309"

    function tickInterval(max) {
        const steps = [0.5, 1, 2, 5, 10, 20, 50, 100]
        for (const step of steps)
            if (max / step <= 10)
                return step
        return 200
    }

    // Qt Charts series take points by append(): fill them from the model.
    function refill() {
        typicalSeries.clear()
        measuredSeries.clear()
        recommendedSeries.clear()
        freeLine.clear()
        for (let i = 0; i < chartModel.count; ++i) {
            const p = chartModel.point(i)
            ;(p.measured ? measuredSeries : typicalSeries).append(p.memoryGiB, p.plotKld)
            if (p.recommended)
                recommendedSeries.append(p.memoryGiB, p.plotKld)
        }
        if (chartModel.freeLineVisible) {
            freeLine.append(chartModel.freeMemoryGiB, chartModel.kldAxisMin)
            freeLine.append(chartModel.freeMemoryGiB, chartModel.kldAxisMax)
        }
    }

    spacing: Theme.spacing

    QualityChartModel {
        id: chartModel
        picker: root.picker
        modelId: root.modelId
        onPointsChanged: root.refill()
    }
    Component.onCompleted: refill()

    Label {
        id: chartTitle
        objectName: "chartTitle"
        Layout.fillWidth: true
        textFormat: Text.PlainText
        text: qsTr("%1: quality lost against memory").arg(chartModel.modelName)
        color: Theme.text
        font.pointSize: Theme.titleFontSize
        font.bold: true
        elide: Text.ElideRight
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        text: qsTr("Lower is closer to F16: the mean KL divergence of each quant's next-token probabilities from "
                   + "F16's, over every token (log scale). Hover a point for its figures.")
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        wrapMode: Text.Wrap
    }

    // The legend, drawn here rather than by Qt Charts: it names what the
    // rings and the line mean too, in the theme's colours.
    Flow {
        Layout.fillWidth: true
        spacing: Theme.padding

        QualityLegendItem {
            objectName: "legendTypical"
            visible: chartModel.typicalLabel.length > 0
            text: chartModel.typicalLabel
            colour: Theme.accent
        }
        QualityLegendItem {
            objectName: "legendMeasured"
            text: chartModel.measuredCount > 0 ? qsTr("measured on this machine")
                                               : qsTr("measured on this machine (none yet)")
            colour: Theme.accent
            filled: true
        }
        QualityLegendItem {
            objectName: "legendRecommended"
            text: qsTr("★ recommended: %1").arg(chartModel.recommendedQuant)
            visible: chartModel.recommendedQuant.length > 0
            colour: Theme.ok
            ring: true
        }
        QualityLegendItem {
            objectName: "legendFree"
            text: chartModel.freeLineVisible ? chartModel.freeMemoryText
                                             : qsTr("%1 (beyond the right edge)").arg(chartModel.freeMemoryText)
            visible: chartModel.freeMemoryText.length > 0
            colour: root.lineColour
            line: true
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.fillHeight: true
        spacing: 0

        // The y axis' title, turned.
        Item {
            Layout.fillHeight: true
            implicitWidth: yTitle.implicitHeight
            Label {
                id: yTitle
                textFormat: Text.PlainText
                anchors.centerIn: parent
                rotation: -90
                text: qsTr("Mean KL divergence from F16 (log)")
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }

        ChartView {
            id: view
            objectName: "qualityChart"
            Layout.fillWidth: true
            Layout.fillHeight: true
            antialiasing: true
            legend.visible: false
            backgroundColor: Theme.window
            plotAreaColor: Theme.surface
            backgroundRoundness: 0
            margins.top: Theme.padding
            margins.bottom: Theme.smallSpacing
            margins.left: Theme.smallSpacing
            margins.right: Theme.padding * 4  // room for the rightmost point's label
            Accessible.role: Accessible.Chart
            Accessible.name: chartTitle.text

            ValueAxis {
                id: axisX
                min: 0
                max: chartModel.memoryAxisMax
                tickType: ValueAxis.TicksDynamic
                tickAnchor: 0
                tickInterval: root.tickInterval(chartModel.memoryAxisMax)
                labelFormat: tickInterval < 1 ? "%.1f" : "%.0f"
                labelsColor: Theme.mutedText
                labelsFont.pointSize: Theme.smallFontSize
                gridLineColor: Theme.border
                color: Theme.border
            }
            LogValueAxis {
                id: axisY
                base: 10
                min: chartModel.kldAxisMin
                max: chartModel.kldAxisMax
                labelFormat: "%g"
                labelsColor: Theme.mutedText
                labelsFont.pointSize: Theme.smallFontSize
                gridLineColor: Theme.border
                color: Theme.border
            }

            LineSeries {
                id: freeLine
                axisX: axisX
                axisY: axisY
                color: root.lineColour
                width: 2
                style: Qt.DashLine
            }
            ScatterSeries {
                id: recommendedSeries
                axisX: axisX
                axisY: axisY
                markerShape: ScatterSeries.MarkerShapeCircle
                markerSize: Theme.unit * 3.5
                color: "transparent"
                borderColor: Theme.ok
                borderWidth: 3
            }
            ScatterSeries {
                id: typicalSeries
                axisX: axisX
                axisY: axisY
                name: chartModel.typicalLabel
                markerShape: ScatterSeries.MarkerShapeCircle
                markerSize: Theme.unit * 1.75
                color: Theme.surface
                borderColor: Theme.accent
                borderWidth: 2.5
            }
            ScatterSeries {
                id: measuredSeries
                axisX: axisX
                axisY: axisY
                name: qsTr("measured on this machine")
                markerShape: ScatterSeries.MarkerShapeCircle
                markerSize: Theme.unit * 1.75
                color: Theme.accent
                borderColor: Theme.accent
                borderWidth: 2.5
            }

            // Targets to hover over each marker, and the quants' names.
            Item {
                anchors.fill: parent

                Repeater {
                    model: chartModel
                    QualityMarker {
                        id: pointMarker
                        required property bool recommended
                        // Clear of the recommendation's ring.
                        labelGap: recommended ? Theme.unit : 0
                        required property bool reference
                        chart: view
                        xAxis: axisX
                        yAxis: axisY
                        series: typicalSeries
                        label: reference ? qsTr("%1 (reference, KLD 0)").arg(quant) : quant
                        markerSize: Theme.unit * 1.75
                        onHoveredChanged: {
                            if (hovered)
                                root.hoveredMarker = pointMarker
                            else if (root.hoveredMarker === pointMarker)
                                root.hoveredMarker = null
                        }
                    }
                }
                Label {
                    objectName: "freeLineLabel"
                    visible: chartModel.freeLineVisible
                    textFormat: Text.PlainText
                    text: chartModel.freeMemoryText
                    color: root.lineColour
                    font.pointSize: Theme.smallFontSize
                    font.bold: true
                    x: {
                        view.plotArea
                        axisX.max
                        return view.mapToPosition(Qt.point(chartModel.freeMemoryGiB, chartModel.kldAxisMax), freeLine).x
                               + Theme.smallSpacing
                    }
                    y: view.plotArea.y + Theme.smallSpacing
                }
                QualityToolTip {
                    marker: root.hoveredMarker
                }
            }
        }
    }

    Label {
        Layout.fillWidth: true
        Layout.leftMargin: yTitle.implicitHeight
        horizontalAlignment: Text.AlignHCenter
        textFormat: Text.PlainText
        text: chartModel.memoryAxisTitle
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
    }
    Label {
        objectName: "typicalSource"
        Layout.fillWidth: true
        visible: chartModel.typicalSource.length > 0
        textFormat: Text.PlainText
        text: qsTr("Typical figures: llama.cpp's perplexity tool on Llama-3-8B against F16, not this model; "
                   + "the compare page measures yours. Source: %1").arg(chartModel.typicalSource)
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        wrapMode: Text.WrapAnywhere
        maximumLineCount: 2
        elide: Text.ElideRight
    }
}
