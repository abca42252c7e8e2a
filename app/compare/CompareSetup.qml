import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// What to compare: two to five downloaded files (the reference marked), a
// prompt or the built-in evaluation set, one seed; then the run's progress
// (stage, bar, time left) with a Cancel button.
ColumnLayout {
    id: setup

    required property CompareController compare

    spacing: Theme.spacing

    Label {
        textFormat: Text.PlainText
        text: qsTr("Files to compare")
        color: Theme.text
        font.bold: true
    }

    ListView {
        id: files
        objectName: "compareFiles"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.min(contentHeight, Theme.unit * 30)
        clip: true
        interactive: contentHeight > height
        model: setup.compare.candidates
        Accessible.name: qsTr("Downloaded model files")
        delegate: CheckDelegate {
            id: row
            required property int index
            required property string fileName
            required property string fileType
            required property string size
            required property bool chosen
            required property bool reference
            objectName: "compareFile"
            width: files.width
            checked: row.chosen
            enabled: !setup.compare.running
            Accessible.name: row.fileName
            // The model decides (no more than five): the box shows what it holds.
            onToggled: {
                setup.compare.candidates.setChecked(row.index, checked)
                checked = Qt.binding(() => row.chosen)
            }
            contentItem: ColumnLayout {
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: row.fileName
                    color: Theme.text
                    elide: Text.ElideMiddle
                }
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: (row.fileType.length > 0 ? row.fileType + " · " : "") + row.size
                          + (row.reference ? qsTr(" · reference") : "")
                    color: row.reference ? Theme.accent : Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: setup.compare.candidates.count === 0
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        text: qsTr("No downloaded models yet. Download two quants of a model on the models page.")
        color: Theme.mutedText
    }
    Label {
        objectName: "compareProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        text: setup.compare.candidates.problem.length > 0
              ? setup.compare.candidates.problem
              : qsTr("Reference: %1 (the most precise)").arg(setup.compare.candidates.referenceName)
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
    }

    RadioButton {
        id: typed
        text: qsTr("One prompt")
        checked: !setup.compare.useEvaluationSet
        enabled: !setup.compare.running
        onToggled: setup.compare.useEvaluationSet = false
    }
    TextArea {
        objectName: "comparePrompt"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.unit * 10
        enabled: typed.checked && !setup.compare.running
        textFormat: TextEdit.PlainText
        wrapMode: TextEdit.Wrap
        placeholderText: qsTr("A prompt every model answers")
        text: setup.compare.prompt
        onTextChanged: setup.compare.prompt = text
        Accessible.name: qsTr("Prompt")
    }
    RadioButton {
        objectName: "useEvaluationSet"
        text: setup.compare.evaluationSetSize > 0
              ? qsTr("The evaluation set (%1 prompts)").arg(setup.compare.evaluationSetSize)
              : setup.compare.evaluationSetError
        checked: setup.compare.useEvaluationSet
        enabled: setup.compare.evaluationSetSize > 0 && !setup.compare.running
        onToggled: setup.compare.useEvaluationSet = true
    }

    RowLayout {
        spacing: Theme.spacing
        Label {
            textFormat: Text.PlainText
            text: qsTr("Seed")
            color: Theme.text
        }
        NamedSpinBox {
            objectName: "compareSeed"
            from: 0
            to: 2147483647
            editable: true
            value: setup.compare.seed
            enabled: !setup.compare.running
            onValueModified: setup.compare.seed = value
            Accessible.name: qsTr("Seed, the same for every model")
        }
    }

    RowLayout {
        spacing: Theme.spacing
        PrimaryButton {
            objectName: "compareRun"
            text: qsTr("Compare")
            enabled: !setup.compare.running && setup.compare.candidates.problem.length === 0
            onClicked: setup.compare.start()
        }
        Button {
            objectName: "compareCancel"
            text: qsTr("Cancel")
            visible: setup.compare.running
            onClicked: setup.compare.cancel()
        }
    }

    ColumnLayout {
        Layout.fillWidth: true
        visible: setup.compare.running
        spacing: Theme.smallSpacing
        Label {
            objectName: "compareStage"
            Layout.fillWidth: true
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            text: setup.compare.stage
            color: Theme.text
        }
        ProgressBar {
            Layout.fillWidth: true
            value: setup.compare.fraction
        }
        Label {
            textFormat: Text.PlainText
            text: setup.compare.timeLeft
            color: Theme.mutedText
            font.pointSize: Theme.smallFontSize
        }
    }

    Label {
        objectName: "compareError"
        Layout.fillWidth: true
        visible: text.length > 0
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        text: setup.compare.errorString
        color: Theme.error
    }
}
