// Collects every warning Qt prints while a UI test runs (QML binding errors,
// missing properties, type errors), so the test can fail on them.
#pragma once

#include <QStringList>

namespace ponder::test {

class QmlWarningGuard {
public:
    QmlWarningGuard();   // starts collecting
    ~QmlWarningGuard();  // restores the previous handler
    QStringList take();  // the warnings since the last call

private:
    void* m_previous;
};

} // namespace ponder::test
