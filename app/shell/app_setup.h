// What the executable and the UI tests both need before loading the UI.
#pragma once

#include <QUrl>

class QCoreApplication;
class QQmlEngine;

namespace ponder::app {

// Names the application (for QSettings and the data directory) and picks the
// Qt Quick Controls style the UI is designed for.
void setUpApplication(QCoreApplication& app);

// Lets `engine` find the Ponder QML modules by URI (Qt 6.4 does not search
// the modules' resource prefix by default).
void setUpEngine(QQmlEngine& engine);

// The root QML file, by its module URL (Qt 6.4 has no loadFromModule).
QUrl mainQmlUrl();

} // namespace ponder::app
