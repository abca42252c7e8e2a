// CompareController, keeping comparisons: a finished run saved in one
// transaction, a kept one reopened or removed, the measured quants handed
// to MeasuredQuality for the picker's chart, and the one shown exported as
// JSON or PNG (comparison_export.h). Apart from the run (compare_controller.cpp)
// because it changes with the store and the file formats.
#include "compare_controller.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QUrl>

#include "comparison_export.h"

namespace ponder::app {
namespace {

QString localPath(const QString& pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

} // namespace

void CompareController::openStore()
{
    if (!m_store.open(m_databasePath)) {
        setError(m_store.errorString());
        return;
    }
    m_saved.setSummaries(m_store.list());
    publishMeasured();
}

void CompareController::publishMeasured()
{
    if (m_measured && m_store.isOpen())
        m_measured->setAll(m_store.measuredQualities());
}

void CompareController::onSucceeded(const std::shared_ptr<Comparison>& comparison)
{
    // One transaction, at the end: a run that never got here left nothing.
    const qint64 id = m_store.save(*comparison);
    comparison->id = id;
    setError(id < 0 ? m_store.errorString() : QString());
    publishMeasured();
    show(comparison);
    emit comparisonFinished();
}

bool CompareController::openComparison(qint64 id)
{
    auto comparison = m_store.load(id);
    if (!comparison) {
        setError(comparison.error());
        return false;
    }
    setError(QString());
    show(std::make_shared<const Comparison>(std::move(*comparison)));
    return true;
}

bool CompareController::removeComparison(qint64 id)
{
    if (!m_store.remove(id)) {
        setError(m_store.errorString());
        return false;
    }
    if (m_comparison && m_comparison->id == id)
        show(nullptr);
    publishMeasured();
    return true;
}

bool CompareController::exportJson(const QString& pathOrUrl)
{
    if (!m_comparison) {
        setError(tr("No comparison to export."));
        return false;
    }
    QString error;
    if (!comparison_export::writeJson(*m_comparison, localPath(pathOrUrl), &error)) {
        setError(error);
        return false;
    }
    setError(QString());
    return true;
}

bool CompareController::exportPng(const QString& pathOrUrl, const QVariantList& items)
{
    QList<QQuickItem*> list;
    for (const QVariant& item : items)
        if (auto* quick = qobject_cast<QQuickItem*>(item.value<QObject*>()))
            list << quick;
    return exportPng(localPath(pathOrUrl), list);
}

bool CompareController::exportPng(const QString& path, const QList<QQuickItem*>& items)
{
    if (!m_comparison) {
        setError(tr("No comparison to export."));
        return false;
    }
    QColor background = Qt::white;
    if (!items.isEmpty() && items.first()->window())
        background = items.first()->window()->color();
    QString error;
    if (!comparison_export::writePng(items, path, background, &error)) {
        setError(error);
        return false;
    }
    setError(QString());
    return true;
}

} // namespace ponder::app
