// The compare page, offscreen, on generated models: one set of weights in
// F16, Q4_K_M and Q2_K (named as the catalog names the 1.5B distill's files,
// so their measures reach the picker's MeasuredQuality), run on the native
// CPU engine. A comparison chosen and started through the page's controls
// ends with the statistics (llama.cpp's names), the answers side by side
// with their first departure, and the heat map, whose hover shows both
// models' top five next tokens; it is saved and reopens; it exports as JSON
// and PNG. The models run one after another (never two at once), which the
// stage says. A cancelled run keeps nothing. The models page opens the
// page. Screenshots in both themes, checked for the heat map's colours.
// Fails on any QML warning.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QSqlDatabase>
#include <QSqlQuery>

#include "app_setup.h"
#include "compare_controller.h"
#include "local_models.h"
#include "model_generator.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "token_text.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr const char* kWindowQml = R"(
import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Compare
ApplicationWindow {
    id: window
    required property CompareController compare
    width: 1400
    height: 1250
    color: Theme.window
    // The palette of Main.qml, from test::mainWindowPaletteQml().
%1
    CompareView {
        objectName: "compareView"
        anchors.fill: parent
        compare: window.compare
    }
}
)";

const QString kStem = QStringLiteral("DeepSeek-R1-Distill-Qwen-1.5B-");

int tableRows(const QString& path, const char* table)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("rows"));
    db.setDatabaseName(path);
    int count = -1;
    if (db.open()) {
        QSqlQuery query(db);
        if (query.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && query.next())
            count = query.value(0).toInt();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("rows"));
    return count;
}

} // namespace

class TestComparePage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

    struct Page {
        QQmlApplicationEngine engine;
        LocalModels local;
        MeasuredQuality measured;
        CompareController compare;
        std::unique_ptr<QQuickWindow> window;

        QList<QQuickItem*> all(const QString& name) const
        {
            return test::findByObjectName(window->contentItem(), name);
        }
        QQuickItem* find(const QString& name) const
        {
            const auto items = all(name);
            return items.isEmpty() ? nullptr : items.first();
        }
        QPoint centre(QQuickItem* item) const
        {
            return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
        }
        void click(QQuickItem* item) const { QTest::mouseClick(window.get(), Qt::LeftButton, {}, centre(item)); }
        // Scrolls the results so `item` is in view.
        void scrollTo(QQuickItem* item) const
        {
            QQuickItem* results = find(QStringLiteral("compareResults"));
            auto* flickable = results ? results->property("contentItem").value<QQuickItem*>() : nullptr;
            if (!flickable)
                return;
            const QPointF inContent = item->mapToItem(flickable->property("contentItem").value<QQuickItem*>(), QPointF(0, 0));
            flickable->setProperty("contentY", std::max(0.0, inContent.y() - 8));
        }
    };

    std::unique_ptr<Page> open(bool dark, const QString& database)
    {
        auto p = std::make_unique<Page>();
        app::setUpEngine(p->engine);
        if (!test::setTheme(p->engine, dark))
            qFatal("cannot set the theme");
        p->local.setFolder(m_dir.filePath(QStringLiteral("models")));
        p->compare.setLocalModels(&p->local);
        p->compare.setDevice(QStringLiteral("cpu"));
        p->compare.setMeasuredQuality(&p->measured);
        p->compare.setDatabasePath(database);
        p->compare.componentComplete();
        p->compare.setMaxTokens(24);

        QQmlComponent component(&p->engine);
        component.setData(QString::fromUtf8(kWindowQml).arg(test::mainWindowPaletteQml()).toUtf8(),
                          QUrl(QStringLiteral("qrc:/tst_compare_page/Window.qml")));
        std::unique_ptr<QObject> object(
            component.createWithInitialProperties({{QStringLiteral("compare"), QVariant::fromValue(&p->compare)}}));
        if (!object)
            qFatal("%s", qPrintable(component.errorString()));
        p->window.reset(qobject_cast<QQuickWindow*>(object.release()));
        p->window->show();
        p->window->requestActivate();
        return p;
    }

    // Checks the files `fileTypes` name by clicking their rows.
    static void choose(Page& p, const QStringList& fileTypes)
    {
        QTRY_COMPARE(p.all(QStringLiteral("compareFile")).size(), 3);
        for (QQuickItem* row : p.all(QStringLiteral("compareFile")))
            for (const QString& type : fileTypes)
                if (row->property("fileName").toString() == kStem + type + QStringLiteral(".gguf"))
                    p.click(row);
        QCOMPARE(p.compare.candidates()->checkedCount(), int(fileTypes.size()));
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QSettings().remove(QLatin1String(LocalModels::kImportedKey));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("models"))));
        // One set of weights (one seed) in three quants.
        for (QuantMix mix : {QuantMix::F16, QuantMix::Q4_K_M, QuantMix::Q2_K}) {
            testing::ModelSpec spec;
            spec.config = testing::tinyConfig(Architecture::Qwen2);
            spec.mix = mix;
            spec.seed = 5;
            const QString path = m_dir.filePath(QStringLiteral("models/") + kStem +
                                                 QString::fromUtf8(quantMixName(mix).data()) + QStringLiteral(".gguf"));
            const auto written = testing::writeModel(path.toStdString(), spec, 2);
            QVERIFY2(written, written ? "" : written.error().message.c_str());
        }
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanup()
    {
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    void comparesEndToEnd_data() { test::themeRows(); }

    void comparesEndToEnd()
    {
        QFETCH(bool, dark);
        const QString database = m_dir.filePath(dark ? "dark.sqlite" : "light.sqlite");
        auto p = open(dark, database);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QCOMPARE(p->measured.all().size(), 0);

        // Choose the three files: the F16 is the reference.
        choose(*p, {"F16", "Q4_K_M", "Q2_K"});
        QQuickItem* problem = p->find(QStringLiteral("compareProblem"));
        QVERIFY(problem);
        QCOMPARE(problem->property("text").toString(),
                 QStringLiteral("Reference: %1 (the most precise)").arg(kStem + "F16.gguf"));

        // A prompt, typed; one seed.
        QQuickItem* prompt = p->find(QStringLiteral("comparePrompt"));
        QVERIFY(prompt);
        p->click(prompt);
        test::typeText(p->window.get(), "Count to five.");
        QCOMPARE(p->compare.prompt(), QStringLiteral("Count to five."));
        p->compare.setSeed(7);

        QStringList stagesShown;
        connect(&p->compare, &CompareController::progressChanged, this, [&] {
            if (QQuickItem* stage = p->find(QStringLiteral("compareStage")))
                if (stagesShown.isEmpty() || stagesShown.last() != stage->property("text").toString())
                    stagesShown << stage->property("text").toString();
        });
        QSignalSpy finished(&p->compare, &CompareController::comparisonFinished);
        p->click(p->find(QStringLiteral("compareRun")));
        QVERIFY2(p->compare.running(), qPrintable(p->compare.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(!p->compare.running(), 240000);
        QVERIFY2(p->compare.errorString().isEmpty(), qPrintable(p->compare.errorString()));
        QCOMPARE(finished.size(), 1);
        QVERIFY(p->compare.hasResult());
        QVERIFY(p->compare.comparisonId() > 0);
        QCOMPARE(p->compare.referenceName(), QStringLiteral("F16 · %1F16.gguf").arg(kStem));

        // One model at a time: each loads after the one before was closed,
        // and the stage the page showed says so.
        QCOMPARE(p->compare.runner()->peakModels(), 1);
        const QStringList stages = p->compare.runner()->stages();
        const auto loading = stages.filter(QStringLiteral("Loading "));
        QCOMPARE(loading.size(), 3);
        QVERIFY2(loading[0].startsWith("Loading F16") && !loading[0].contains("closed"), qPrintable(loading[0]));
        for (int i = 1; i < 3; ++i)
            QVERIFY2(loading[i].contains(QStringLiteral("the previous model was closed: one model in memory at a time")),
                     qPrintable(loading[i]));
        QVERIFY2(stagesShown.filter("the previous model was closed").size() >= 1, qPrintable(stagesShown.join('\n')));

        // Statistics: a row per model, under llama.cpp's names.
        QTRY_COMPARE(p->all(QStringLiteral("statisticsRow")).size(), 3);
        const QStringList columns = p->compare.statistics()->columns();
        for (const char* name : {"Mean KLD", "Median KLD", "99% KLD", "99.9% KLD", "Maximum KLD", "Same top p",
                                 "RMS Δp", "PPL(Q)/PPL(base)", "Reasoning (tokens)", "Tokens/s", "File", "Memory"})
            QVERIFY2(columns.contains(QString::fromUtf8(name)), name);
        const auto comparison = p->compare.comparison();
        // The models in the order of the list (by file name): F16, Q2_K, Q4_K_M.
        auto index = [&](const char* type) {
            for (size_t m = 0; m < comparison->result.models.size(); ++m)
                if (comparison->result.models[m].fileType == type)
                    return m;
            return size_t(0);
        };
        QCOMPARE(comparison->result.models[comparison->result.reference].fileType, std::string("F16"));
        const ModelComparison& q4 = comparison->result.models[index("Q4_K_M")];
        const ModelComparison& q2 = comparison->result.models[index("Q2_K")];
        QCOMPARE(q4.fileType, std::string("Q4_K_M"));
        QCOMPARE(q2.fileType, std::string("Q2_K"));
        QVERIFY(q4.statistics.positions > 0);
        QVERIFY2(q4.statistics.meanKl > 0 && q4.statistics.meanKl < q2.statistics.meanKl,
                 qPrintable(QStringLiteral("%1 %2").arg(q4.statistics.meanKl).arg(q2.statistics.meanKl)));
        QVERIFY(comparison->files[index("Q4_K_M")].memoryBytes > 0);
        QCOMPARE(p->compare.statistics()->cells(0).first(), QStringLiteral("F16 (reference)"));

        // Side by side: each quant beside the reference, its departure said.
        const auto pairs = p->all(QStringLiteral("answerPair"));
        QCOMPARE(pairs.size(), 2);
        for (QQuickItem* summary : p->all(QStringLiteral("departureSummary"))) {
            const QString text = summary->property("text").toString();
            QVERIFY2(text.startsWith("Departs from the reference at token ") ||
                         text == QStringLiteral("Same tokens as the reference throughout"),
                     qPrintable(text));
        }
        QVERIFY(p->all(QStringLiteral("compareAnswerText")).size() + p->all(QStringLiteral("compareReasoningHeading")).size() >= 4);

        // The heat map: a cell per token of the reference's answer, tinted by Q4_K_M's KL.
        HeatMapModel* heat = p->compare.heatMap();
        QCOMPARE(p->compare.quantNames(), (QStringList{"Q2_K", "Q4_K_M"}));
        QCOMPARE(heat->quantName(), QStringLiteral("Q2_K"));
        p->compare.setHeatQuant(1);  // as the heat map's quant chooser does
        QCOMPARE(heat->quantName(), QStringLiteral("Q4_K_M"));
        QCOMPARE(p->find(QStringLiteral("heatQuant"))->property("currentText").toString(), QStringLiteral("Q4_K_M"));
        QVERIFY(heat->rowCount() > 0);
        const auto cells = p->all(QStringLiteral("heatCell"));
        QCOMPARE(cells.size(), heat->rowCount());
        int hottest = 0;
        for (int row = 0; row < heat->rowCount(); ++row)
            if (heat->index(row).data(HeatMapModel::KlRole).toDouble() >
                heat->index(hottest).data(HeatMapModel::KlRole).toDouble())
                hottest = row;
        const double hottestKl = heat->index(hottest).data(HeatMapModel::KlRole).toDouble();
        QVERIFY2(hottestKl >= kHeatFloor, qPrintable(QString::number(hottestKl)));

        // Hovering the hottest token shows both models' top five there.
        QQuickItem* cell = cells[hottest];
        p->scrollTo(p->find(QStringLiteral("heatMapSection")));
        QTest::mouseMove(p->window.get(), QPoint(2, 2));  // off any token first
        QTest::qWait(50);
        QVERIFY2(QRectF(QPointF(0, 0), QSizeF(p->window->size())).contains(p->centre(cell)),
                 "the hottest token is not in the window");
        QTest::mouseMove(p->window.get(), p->centre(cell));
        QObject* tip = p->window->findChild<QObject*>(QStringLiteral("heatTooltip"));
        QVERIFY(tip);
        QTRY_VERIFY(tip->property("visible").toBool());
        QTRY_COMPARE(tip->property("text").toString(), heat->tooltip(hottest));
        const QString tipText = tip->property("text").toString();
        QVERIFY2(tipText.startsWith(QStringLiteral("Token %1: ").arg(hottest + 1)), qPrintable(tipText));
        QVERIFY2(tipText.contains("\nReference (F16) next:\n") && tipText.contains("\nQ4_K_M next:\n"), qPrintable(tipText));
        // Five tokens a model, each with its probability.
        int probabilities = 0;
        for (auto it = QRegularExpression(QStringLiteral("^  .+  \\d+\\.\\d%$"), QRegularExpression::MultilineOption)
                           .globalMatch(tipText);
             it.hasNext(); it.next())
            ++probabilities;
        QCOMPARE(probabilities, 10);

        // The screenshot: not blank, and showing the hottest cell's tint and the legend's darkest red.
        const QString name = dark ? QStringLiteral("compare_dark") : QStringLiteral("compare_light");
        const QString shot = test::saveScreenshot(p->window.get(), name);
        QVERIFY(!shot.isEmpty());
        const QImage image(shot);
        const QRectF cellRect = cell->mapRectToScene(QRectF(0, 0, cell->width(), cell->height()));
        QVERIFY2(test::pixelsNear(image, cellRect.toRect(), heatColor(hottestKl), 2) >= 10,
                 "the hottest token's tint is not in the screenshot");
        QQuickItem* darkest = p->all(QStringLiteral("legendSwatch")).last();
        const QRectF swatch = darkest->mapRectToScene(QRectF(0, 0, darkest->width(), darkest->height()));
        QVERIFY(test::pixelsNear(image, swatch.toRect(), heatColor(kHeatCeiling), 2) >= 10);
        QQuickItem* bar = p->all(QStringLiteral("kldBar")).first();  // Q2_K: the first quant in the list
        p->scrollTo(p->find(QStringLiteral("statisticsSection")));
        QTRY_VERIFY(bar->mapToScene(QPointF(0, 0)).y() >= 0);
        const QImage top = p->window->grabWindow();
        const QRectF barRect = bar->mapRectToScene(QRectF(0, 0, bar->width(), bar->height()));
        QVERIFY2(test::pixelsNear(top, barRect.toRect().adjusted(2, 2, -2, -2), heatColor(q2.statistics.meanKl), 2) >= 10,
                 "the chart's bar is not drawn in the heat map's colour of its mean KLD");

        // Saved: listed, reopened, and the picker's measures hold both quants.
        QCOMPARE(p->compare.saved()->rowCount(), 1);
        QCOMPARE(p->measured.all().size(), 2);
        const QuantQuality* measured = p->measured.find(QStringLiteral("qwen-1.5b"), QStringLiteral("Q4_K_M"));
        QVERIFY(measured);
        QCOMPARE(measured->referenceQuant, QStringLiteral("F16"));
        QCOMPARE(measured->meanKld, q4.statistics.meanKl);
        QVERIFY(p->compare.openComparison(p->compare.comparisonId()));
        QCOMPARE(p->compare.comparison()->result.models[index("Q2_K")].statistics.kl99, q2.statistics.kl99);
        QCOMPARE(p->all(QStringLiteral("heatCell")).size(), heat->rowCount());

        // Export: JSON with every statistic and answer; PNG of the statistics and the heat map.
        const QString json = m_dir.filePath(name + ".json");
        QVERIFY2(p->compare.exportJson(QUrl::fromLocalFile(json).toString()), qPrintable(p->compare.errorString()));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray models = root["models"].toArray();
        QCOMPARE(models.size(), 3);
        QCOMPARE(models[int(index("Q4_K_M"))].toObject()["statistics"].toObject()["Mean KLD"].toDouble(), q4.statistics.meanKl);
        QCOMPARE(models[int(index("Q2_K"))].toObject()["statistics"].toObject()["99.9% KLD"].toDouble(), q2.statistics.kl999);
        QVERIFY(!models[int(comparison->result.reference)].toObject().contains("statistics"));
        QCOMPARE(models[0].toObject()["answers"].toArray().size(), 1);
        QCOMPARE(root["prompts"].toArray()[0].toObject()["text"].toString(), QStringLiteral("Count to five."));
        const QString png = m_dir.filePath(name + "-export.png");
        QVERIFY2(p->compare.exportPng(png, QList<QQuickItem*>{p->find(QStringLiteral("statisticsSection")),
                                                              p->find(QStringLiteral("heatMapSection"))}),
                 qPrintable(p->compare.errorString()));
        const QImage exported(png);
        QVERIFY(!exported.isNull());
        QVERIFY(test::distinctColours(exported, 16) >= 16);
        QVERIFY2(test::pixelsNear(exported, exported.rect(), heatColor(hottestKl), 2) >= 10,
                 "the exported heat map lacks its hottest tint");
    }

    // Cancelled partway through the evaluation set: nothing is kept, nothing shown.
    void cancelledRunKeepsNothing()
    {
        const QString database = m_dir.filePath("cancelled.sqlite");
        auto p = open(false, database);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QVERIFY(p->compare.evaluationSetSize() >= 20);
        choose(*p, {"Q4_K_M", "Q2_K"});
        p->click(p->find(QStringLiteral("useEvaluationSet")));
        QVERIFY(p->compare.useEvaluationSet());
        p->compare.setMaxTokens(256);
        QSignalSpy cancelled(&p->compare, &CompareController::comparisonCancelled);
        p->click(p->find(QStringLiteral("compareRun")));
        QVERIFY2(p->compare.running(), qPrintable(p->compare.errorString()));
        // Cancel once the first model answers.
        QTRY_VERIFY_WITH_TIMEOUT(p->compare.stage().contains(QStringLiteral(" answers ")), 60000);
        QQuickItem* cancel = p->find(QStringLiteral("compareCancel"));
        QVERIFY(cancel);
        p->click(cancel);
        QTRY_VERIFY_WITH_TIMEOUT(!p->compare.running(), 60000);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(p->compare.stage(), QStringLiteral("Cancelled"));
        QVERIFY(p->compare.errorString().isEmpty());
        QVERIFY(!p->compare.hasResult());
        QCOMPARE(p->compare.saved()->rowCount(), 0);
        QCOMPARE(p->measured.all().size(), 0);
        QCOMPARE(tableRows(database, "comparisons"), 0);
        QCOMPARE(tableRows(database, "comparison_models"), 0);
        QCOMPARE(tableRows(database, "reference_prompts"), 0);
    }

    // The export dialogs save: Qt 6.4's dialog drawn in QML labels its
    // button "Open" in every mode unless told otherwise.
    void exportDialogsSave()
    {
        auto p = open(false, m_dir.filePath("dialogs.sqlite"));
        for (const char* name : {"compareJsonDialog", "comparePngDialog"}) {
            QObject* dialog = p->window->findChild<QObject*>(QLatin1String(name));
            QVERIFY2(dialog, name);
            QCOMPARE(dialog->property("fileMode").toInt(), 2);  // FileDialog.SaveFile
            QCOMPARE(dialog->property("acceptLabel").toString(), QStringLiteral("Save"));
        }
    }

    // The models page's "Compare quants…" opens the compare page in the main window.
    void reachableFromModelsPage()
    {
        qputenv("XDG_DATA_HOME", m_dir.filePath("main-data").toUtf8());
        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QObject* models = window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QObject* page = window->findChild<QObject*>(QStringLiteral("comparePage"));
        QVERIFY(models && page);
        QTest::keyClick(window, Qt::Key_M, Qt::ControlModifier);
        QTRY_VERIFY(models->property("opened").toBool());
        const auto buttons = test::findByObjectName(window->contentItem(), QStringLiteral("compareQuants"));
        QCOMPARE(buttons.size(), 1);
        QTest::mouseClick(window, Qt::LeftButton, {},
                          buttons[0]->mapToScene(QPointF(buttons[0]->width() / 2, buttons[0]->height() / 2)).toPoint());
        QTRY_VERIFY(page->property("opened").toBool());
        QTRY_VERIFY(!models->property("visible").toBool());
        auto* compare = window->findChild<CompareController*>(QStringLiteral("compareController"));
        QVERIFY(compare);
        QCOMPARE(compare->measuredQuality(), window->findChild<QObject*>(QStringLiteral("pickerModel"))
                                                 ->property("measuredQuality").value<MeasuredQuality*>());
    }
};

QTEST_MAIN(TestComparePage)
#include "tst_compare_page.moc"
