import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Ponder.Common
import Ponder.Models

// All six distills on one plane, to answer "14B at Q3_K_M or 7B at Q8_0?"
// at a glance. The encoding:
//   x       memory at the chosen context on the chosen device, GB (1024³
//           bytes, the picker's figure), log 2 scale: 1.5B and 70B both fit;
//   y       the model's published score on a benchmark for the unquantized
//           distill (DeepSeek's table in the catalog): AIME 2024 pass@1 at
//           first, where the six rows lie apart (on MATH-500, offered in the
//           box with GPQA Diamond and LiveCodeBench, the 14B, 32B and 70B
//           score within 0.6 points and their rows lie on one another), so
//           each model is a row, its quants spread along it by memory, its
//           name left of the row (right where the left would cover another);
//   size    and colour: the quant type's typical loss (llama.cpp's mean KLD
//           from F16 on Llama-3-8B), small and blue for F16 growing to large
//           and red for Q2_K: the legend gives each type's figure;
//   fill    hollow while typical, filled once measured on this machine;
//   ring    the picker's recommended quant of each model (★);
//   line    dashed: the device's free memory; right of it needs more.
// The score is the unquantized model's: a quant scores lower by an amount
// the chart does not claim to know, and its size says how far it strays.
// Hovering a point gives its model, quant, memory, score, KLD and fit.
ColumnLayout {
    id: root

    required property ModelPickerModel picker
    readonly property QualityOverviewModel points: overviewModel
    property Item hoveredMarker: null

    readonly property color lineColour: Theme.dark ? "#fbbf24" : "#b45309"
    // F16 … Q2_K (the picker's column order): blue through green and amber to red.
    readonly property var quantColours: Theme.dark
        ? ["#93c5fd", "#67e8f9", "#6ee7b7", "#bef264", "#fde047", "#fdba74", "#fca5a5"]
        : ["#1d4ed8", "#0e7490", "#047857", "#4d7c0f", "#a16207", "#c2410c", "#b91c1c"]
    property var seriesByQuant: ({})

    function colourOf(quant) {
        const i = picker.quantNames.indexOf(quant)
        return i >= 0 && i < quantColours.length ? quantColours[i] : Theme.accent
    }
    function sizeOf(quant) {
        const loss = overviewModel.typicalLoss(quant)
        return Theme.unit * (loss < 0 ? 1 : 0.9 + 1.6 * loss)
    }

    // One hollow and one filled series per quant type (a series has one
    // marker size and colour), made once, filled from the model.
    function refill() {
        for (const quant of picker.quantNames) {
            if (!seriesByQuant[quant]) {
                const typical = view.createSeries(ChartView.SeriesTypeScatter, quant, axisX, axisY)
                const measured = view.createSeries(ChartView.SeriesTypeScatter, quant + " measured", axisX, axisY)
                typical.borderWidth = 2.5
                measured.borderWidth = 2.5
                seriesByQuant[quant] = {typical: typical, measured: measured}
            }
            const s = seriesByQuant[quant]
            for (const series of [s.typical, s.measured]) {
                series.clear()
                series.markerShape = ScatterSeries.MarkerShapeCircle
                series.markerSize = sizeOf(quant)
                series.borderColor = colourOf(quant)
            }
            s.typical.color = Theme.surface
            s.measured.color = colourOf(quant)
        }
        recommendedSeries.clear()
        freeLine.clear()
        for (let i = 0; i < overviewModel.count; ++i) {
            const p = overviewModel.point(i)
            const s = seriesByQuant[p.quant]
            if (s)
                (p.measured ? s.measured : s.typical).append(p.memoryGiB, p.score)
            if (p.recommended)
                recommendedSeries.append(p.memoryGiB, p.score)
        }
        if (overviewModel.freeMemoryGiB > 0) {
            freeLine.append(overviewModel.freeMemoryGiB, overviewModel.scoreAxisMin)
            freeLine.append(overviewModel.freeMemoryGiB, overviewModel.scoreAxisMax)
        }
    }

    spacing: Theme.spacing

    QualityOverviewModel {
        id: overviewModel
        picker: root.picker
        onPointsChanged: root.refill()
    }
    Component.onCompleted: refill()
    Connections {
        target: Theme
        function onDarkChanged() { root.refill() }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        Label {
            id: overviewTitle
            objectName: "overviewTitle"
            Layout.fillWidth: true
            textFormat: Text.PlainText
            text: qsTr("All six distills: score against memory")
            color: Theme.text
            font.pointSize: Theme.titleFontSize
            font.bold: true
            elide: Text.ElideRight
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            textFormat: Text.PlainText
            text: qsTr("Score")
            color: Theme.text
        }
        ComboBox {
            objectName: "benchmarkBox"
            Layout.preferredWidth: Theme.unit * 28
            model: overviewModel.benchmarks
            currentIndex: overviewModel.benchmarkIndex
            Accessible.name: qsTr("Benchmark the rows are placed by")
            onActivated: index => overviewModel.benchmarkIndex = index
        }
    }
    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        text: qsTr("Each row is one model at its published score; along it, its quants by the memory they need. "
                   + "Bigger, redder markers lose more against F16 (typical mean KL divergence). "
                   + "Hover a point for its figures.")
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
        wrapMode: Text.Wrap
    }

    Flow {
        Layout.fillWidth: true
        spacing: Theme.padding
        Repeater {
            model: root.picker.quantNames
            QualityLegendItem {
                required property string modelData
                text: overviewModel.typicalKldText(modelData).length > 0
                      ? qsTr("%1 · KLD %2").arg(modelData).arg(overviewModel.typicalKldText(modelData))
                      : qsTr("%1 · no published figure").arg(modelData)
                colour: root.colourOf(modelData)
                size: root.sizeOf(modelData)
            }
        }
        QualityLegendItem {
            text: qsTr("filled: measured here")
            colour: Theme.mutedText
            filled: true
        }
        QualityLegendItem {
            text: qsTr("★ recommended")
            colour: Theme.ok
            ring: true
        }
        QualityLegendItem {
            visible: overviewModel.freeMemoryText.length > 0
            text: overviewModel.freeMemoryText
            colour: root.lineColour
            line: true
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.fillHeight: true
        spacing: 0

        Item {
            Layout.fillHeight: true
            implicitWidth: yTitle.implicitHeight
            Label {
                id: yTitle
                textFormat: Text.PlainText
                anchors.centerIn: parent
                rotation: -90
                text: overviewModel.scoreAxisTitle
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }

        ChartView {
            id: view
            objectName: "overviewChart"
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
            margins.right: Theme.padding
            Accessible.role: Accessible.Chart
            Accessible.name: overviewTitle.text

            LogValueAxis {
                id: axisX
                base: 2
                min: overviewModel.memoryAxisMin
                max: overviewModel.memoryAxisMax
                labelFormat: "%.3g"
                labelsColor: Theme.mutedText
                labelsFont.pointSize: Theme.smallFontSize
                gridLineColor: Theme.border
                color: Theme.border
            }
            ValueAxis {
                id: axisY
                min: overviewModel.scoreAxisMin
                max: overviewModel.scoreAxisMax
                tickType: ValueAxis.TicksDynamic
                tickAnchor: 0
                tickInterval: max - min <= 20 ? 2 : max - min <= 50 ? 5 : 10
                labelFormat: "%.0f"
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

            Item {
                anchors.fill: parent

                Repeater {
                    model: overviewModel
                    QualityMarker {
                        id: pointMarker
                        required property bool recommended
                        // Clear of the recommendation's ring.
                        labelGap: recommended ? Theme.unit : 0
                        required property int index
                        required property string modelName
                        required property real score
                        chart: view
                        xAxis: axisX
                        yAxis: axisY
                        series: recommendedSeries
                        yValue: score
                        markerSize: root.sizeOf(quant)
                        // Each model's name by its leftmost point.
                        label: overviewModel.labelRows.indexOf(index) >= 0 ? modelName : ""
                        labelLeft: overviewModel.labelRightRows.indexOf(index) < 0
                        onHoveredChanged: {
                            if (hovered)
                                root.hoveredMarker = pointMarker
                            else if (root.hoveredMarker === pointMarker)
                                root.hoveredMarker = null
                        }
                    }
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
        text: overviewModel.memoryAxisTitle + qsTr(", log scale")
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
    }
}
