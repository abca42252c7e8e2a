// The streaming decoder on a hand-made vocabulary whose ids 0..255 are single
// bytes, so characters can be split across tokens at will: it must hold a
// partial character back, replace what can never become one at once, and
// add up to Tokenizer::decode().
#include <QtTest>

#include <random>

#include "ponder/token_decoder.h"
#include "ponder/tokenizer.h"
#include "tiny_vocab.h"

using namespace ponder;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

Tokenizer make(const TokenizerVocab& vocab)
{
    auto tokenizer = Tokenizer::create(vocab);
    if (!tokenizer)
        qFatal("Tokenizer::create: %s", tokenizer.error().message.c_str());
    return std::move(*tokenizer);
}

Tokenizer bytesOnly()
{
    // "aÃ" is 'a' plus the first byte of "é"; "©b" the second byte plus 'b'.
    return make(test::tinyVocab("qwen2", {}, {"aÃ", "©b"},
                                {{"<|ctl|>", TokenType::Control}, {"<ud>", TokenType::UserDefined}}));
}

// A chunk ends on a character boundary when it survives a round trip
// through UTF-16 unchanged (a cut character would come back as U+FFFD).
bool isCompleteUtf8(const std::string& chunk)
{
    return QString::fromUtf8(chunk.data(), qsizetype(chunk.size())).toStdString() == chunk;
}

} // namespace

class TestTokenDecoder : public QObject {
    Q_OBJECT

private slots:
    void splitCharacters_data()
    {
        QTest::addColumn<QByteArray>("character");
        QTest::newRow("4-byte emoji") << QByteArray("\xF0\x9F\x98\x80");  // U+1F600
        QTest::newRow("3-byte CJK") << QByteArray("\xE4\xB8\xAD");       // U+4E2D
        QTest::newRow("2-byte latin") << QByteArray("\xC3\xA9");         // U+00E9
        QTest::newRow("last code point") << QByteArray("\xF4\x8F\xBF\xBF");  // U+10FFFF
    }

    void splitCharacters()
    {
        QFETCH(QByteArray, character);
        TokenDecoder decoder(bytesOnly());
        for (qsizetype i = 0; i + 1 < character.size(); ++i) {
            QCOMPARE(decoder.push(uint8_t(character[i])), std::string());
            QCOMPARE(decoder.pendingBytes(), size_t(i + 1));
        }
        QCOMPARE(decoder.push(uint8_t(character.back())), character.toStdString());
        QCOMPARE(decoder.pendingBytes(), size_t(0));
        QCOMPARE(decoder.flush(), std::string());
    }

    void pieceEndsMidCharacter()
    {
        const Tokenizer tokenizer = bytesOnly();
        TokenDecoder decoder(tokenizer);
        QCOMPARE(decoder.push(*tokenizer.findToken("aÃ")), std::string("a"));
        QCOMPARE(decoder.push(*tokenizer.findToken("©b")), std::string("\xC3\xA9" "b"));
    }

    void invalidBytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("chunks");  // what each push returns, as UTF-8
        const QString fffd = QString::fromStdString(kFffd);
        QTest::newRow("lone continuation at once") << QByteArray("\x80") << QStringList{fffd};
        QTest::newRow("byte that never leads") << QByteArray("\xFFx") << QStringList{fffd, "x"};
        QTest::newRow("cut short by ASCII") << QByteArray("\xF0\x9Fx") << QStringList{"", "", fffd + "x"};
        QTest::newRow("cut short by a new lead") << QByteArray("\xE4\xC3\xA9") << QStringList{"", fffd, "é"};
        QTest::newRow("surrogate half") << QByteArray("\xED\xA0") << QStringList{"", fffd + fffd};
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90") << QStringList{"", fffd + fffd};
    }

    void invalidBytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, chunks);
        TokenDecoder decoder(bytesOnly());
        for (qsizetype i = 0; i < bytes.size(); ++i)
            QCOMPARE(QString::fromStdString(decoder.push(uint8_t(bytes[i]))), chunks[i]);
        QCOMPARE(decoder.pendingBytes(), size_t(0));
    }

    void flushReplacesHeldBytes()
    {
        TokenDecoder decoder(bytesOnly());
        QCOMPARE(decoder.push(0xE4), std::string());
        QCOMPARE(decoder.push(0xB8), std::string());
        QCOMPARE(decoder.flush(), kFffd);
        QCOMPARE(decoder.pendingBytes(), size_t(0));
        QCOMPARE(decoder.push('a'), std::string("a"));
    }

    void resetDropsHeldBytes()
    {
        TokenDecoder decoder(bytesOnly());
        QCOMPARE(decoder.push(0xF0), std::string());
        decoder.reset();
        QCOMPARE(decoder.pendingBytes(), size_t(0));
        QCOMPARE(decoder.push('a'), std::string("a"));
        QCOMPARE(decoder.flush(), std::string());
    }

    void addedTokensAndUnknownIds()
    {
        const Tokenizer tokenizer = bytesOnly();
        const int32_t ctl = *tokenizer.findToken("<|ctl|>");
        const int32_t ud = *tokenizer.findToken("<ud>");
        TokenDecoder rendering(tokenizer);
        TokenDecoder plain(tokenizer, false);
        QCOMPARE(rendering.push(ctl), std::string("<|ctl|>"));
        QCOMPARE(plain.push(ctl), std::string());
        QCOMPARE(plain.push(ud), std::string("<ud>"));
        QCOMPARE(plain.push(-1), std::string());
        QCOMPARE(plain.push(1 << 30), std::string());
    }

    void outlivesTokenizer()
    {
        std::optional<Tokenizer> tokenizer = bytesOnly();
        TokenDecoder decoder(*tokenizer);
        tokenizer.reset();
        QCOMPARE(decoder.push('o'), std::string("o"));
        QCOMPARE(decoder.push('k'), std::string("k"));
    }

    // Random byte streams, mostly pieces of valid characters with some noise:
    // every chunk is complete UTF-8 and the chunks add up to decode().
    void randomStreamsMatchWholeDecode()
    {
        const Tokenizer tokenizer = bytesOnly();
        const std::string alphabet = "a \xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\x80\xFF\xED\xA0\xF4\x90";
        std::mt19937 rng(1234);
        for (int round = 0; round < 500; ++round) {
            std::vector<int32_t> ids(rng() % 40);
            for (auto& id : ids) {
                if (rng() % 4 == 0)
                    id = int32_t(rng() % 256);
                else
                    id = uint8_t(alphabet[rng() % alphabet.size()]);
            }
            TokenDecoder decoder(tokenizer);
            std::string streamed;
            for (const int32_t id : ids) {
                const std::string chunk = decoder.push(id);
                QVERIFY2(isCompleteUtf8(chunk), qPrintable(QString("round %1").arg(round)));
                streamed += chunk;
            }
            const std::string tail = decoder.flush();
            QVERIFY(isCompleteUtf8(tail));
            streamed += tail;
            QCOMPARE(streamed, tokenizer.decode(ids));
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenDecoder)
#include "tst_token_decoder.moc"
