import QtQuick
import QtQuick.Controls

// A ComboBox whose text field carries the box's accessible name. The field,
// not the box, takes the keyboard focus, so it is what a screen reader
// announces: without this it would say "edit text" and nothing more.
ComboBox {
    id: box

    Binding {
        target: box.contentItem
        property: "Accessible.name"
        value: box.Accessible.name
    }
}
