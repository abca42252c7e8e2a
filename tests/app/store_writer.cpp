// Helper for tst_conversation_store's kill test: streams an answer into a
// ConversationStore as the chat does, one chunk every 2 ms, until it is
// killed. The first REASONING_CHUNKS chunks go to the reasoning, the rest to
// the answer. Prints "message ID" once, then "appended I" after each chunk
// has been handed to the store.
//
// usage: store_writer DATABASE REASONING_CHUNKS
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

#include "conversation_store.h"
#include "store_writer_chunks.h"

using namespace ponder;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_writer DATABASE REASONING_CHUNKS\n");
        return 2;
    }
    const int reasoningChunks = QString::fromLocal8Bit(argv[2]).toInt();
    app::ConversationStore store;
    if (!store.open(QString::fromLocal8Bit(argv[1]))) {
        std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
        return 1;
    }
    const qint64 conversation = store.createConversation(QStringLiteral("test-model.gguf"));
    store.addMessage(conversation, app::MessageRole::User, QStringLiteral("Count for ever."));
    const qint64 id = store.addMessage(conversation, app::MessageRole::Assistant, QString(),
                                       app::MessageStatus::Streaming);
    if (id < 0) {
        std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
        return 1;
    }
    std::printf("message %lld\n", static_cast<long long>(id));
    std::fflush(stdout);

    int written = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        ++written;
        const QString chunk = test::storeWriterChunk(written);
        const bool ok = written <= reasoningChunks ? store.appendToMessage(id, chunk, QString())
                                                   : store.appendToMessage(id, QString(), chunk);
        if (!ok) {
            std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
            QCoreApplication::exit(1);
            return;
        }
        std::printf("appended %d\n", written);
        std::fflush(stdout);
    });
    timer.start(2);
    return app.exec();
}
