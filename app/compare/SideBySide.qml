import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// Each quant's answer beside the reference's, for the prompt shown, with
// where it first departs from the reference marked on both sides.
ColumnLayout {
    id: sides

    required property CompareController compare

    spacing: Theme.padding

    Label {
        textFormat: Text.PlainText
        text: qsTr("Side by side")
        color: Theme.text
        font.pointSize: Theme.titleFontSize
        font.bold: true
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }

    Repeater {
        model: sides.compare.answers
        delegate: Rectangle {
            id: pair
            required property string fileType
            required property string reasoning
            required property string answer
            required property int reasoningTokens
            required property string departureSection
            required property int departureStart
            required property int departureLength
            required property string departureSummary
            required property string referenceReasoning
            required property string referenceAnswer
            required property int referenceReasoningTokens
            required property string referenceDepartureSection
            required property int referenceDepartureStart
            required property int referenceDepartureLength
            objectName: "answerPair"
            Layout.fillWidth: true
            implicitHeight: pairColumn.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border

            ColumnLayout {
                id: pairColumn
                anchors.fill: parent
                anchors.margins: Theme.padding
                spacing: Theme.spacing

                Label {
                    objectName: "departureSummary"
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    text: pair.departureSummary
                    color: pair.departureSection.length > 0 ? Theme.text : Theme.ok
                    font.pointSize: Theme.smallFontSize
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.padding
                    AnswerColumn {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        title: qsTr("%1 (reference)").arg(sides.compare.referenceName)
                        reasoning: pair.referenceReasoning
                        answer: pair.referenceAnswer
                        reasoningTokens: pair.referenceReasoningTokens
                        departureSection: pair.referenceDepartureSection
                        departureStart: pair.referenceDepartureStart
                        departureLength: pair.referenceDepartureLength
                    }
                    Rectangle {
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        color: Theme.border
                    }
                    AnswerColumn {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        title: pair.fileType
                        reasoning: pair.reasoning
                        answer: pair.answer
                        reasoningTokens: pair.reasoningTokens
                        departureSection: pair.departureSection
                        departureStart: pair.departureStart
                        departureLength: pair.departureLength
                    }
                }
            }
        }
    }
}
