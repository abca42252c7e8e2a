// The tokenizer on hand-made vocabularies, where every expected token can be
// worked out by hand: merge order, pre-token boundaries, ignore_merges,
// added tokens, bytes, NFC, errors. tst_tokenizer_reference checks the real
// vocabularies against the JavaScript reference.
#include <QtTest>

#include <random>

#include "ponder/tokenizer.h"
#include "tiny_vocab.h"

using namespace ponder;
using test::AddedToken;
using test::byteLevel;
using test::tinyVocab;

namespace {

Tokenizer make(const TokenizerVocab& vocab)
{
    auto tokenizer = Tokenizer::create(vocab);
    if (!tokenizer)
        qFatal("Tokenizer::create: %s", tokenizer.error().message.c_str());
    return std::move(*tokenizer);
}

QStringList texts(const Tokenizer& tokenizer, const std::vector<int32_t>& ids)
{
    QStringList out;
    for (const int32_t id : ids)
        out << QString::fromStdString(std::string(tokenizer.tokenText(id)));
    return out;
}

const std::vector<AddedToken> kAdded = {
    {"<|ctl|>", TokenType::Control},
    {"<ud>", TokenType::UserDefined},
    {"<x>", TokenType::UserDefined},
    {"<x>y", TokenType::UserDefined},
    {"[PAD9]", TokenType::Unused},
};

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private slots:
    void mergesByRank_data()
    {
        QTest::addColumn<QStringList>("merges");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("no merges: one token per byte") << QStringList{} << "hi!" << QStringList{"h", "i", "!"};
        QTest::newRow("lower rank first") << QStringList{"a b", "b c"} << "abc" << QStringList{"ab", "c"};
        QTest::newRow("rank beats position") << QStringList{"b c", "a b"} << "abc" << QStringList{"a", "bc"};
        QTest::newRow("leftmost among equal ranks") << QStringList{"a a"} << "aaa" << QStringList{"aa", "a"};
        QTest::newRow("merged tokens merge again") << QStringList{"a a", "aa aa"} << "aaaaa"
                                                   << QStringList{"aaaa", "a"};
        QTest::newRow("space joins the word after it") << QStringList{"Ġ t", "h e", "Ġt he"} << " the"
                                                       << QStringList{"Ġthe"};
        QTest::newRow("never across pre-tokens") << QStringList{"a Ġ"} << "a b" << QStringList{"a", "Ġ", "b"};
        QTest::newRow("two bytes of one character") << QStringList{"Ã ©"} << "é" << QStringList{"Ã©"};
    }

    void mergesByRank()
    {
        QFETCH(QStringList, merges);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const Tokenizer tokenizer = make(tinyVocab("qwen2", merges));
        QCOMPARE(texts(tokenizer, tokenizer.encode(text.toStdString(), false, true)), expected);
    }

    void mergeWithUnknownPartsIsSkipped()
    {
        TokenizerVocab vocab = tinyVocab("qwen2", {"a b"});
        vocab.merges.push_back("q zz");  // "zz" is no token
        vocab.merges.push_back("Ġa b");  // "Ġab" is no token
        const Tokenizer tokenizer = make(vocab);
        QCOMPARE(texts(tokenizer, tokenizer.encode(" ab", false, true)), (QStringList{"Ġ", "ab"}));
    }

    // Extra tokens equal to whole pre-tokens show where the regex cuts: under
    // llama-bpe's ignore_merges such a piece is emitted whole.
    void preTokens_data()
    {
        QTest::addColumn<QString>("pre");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("words keep their space") << "llama-bpe" << "Hello world" << QStringList{"Hello", "Ġworld"}
                                                << QStringList{"Hello", "Ġworld"};
        QTest::newRow("digits in threes") << "llama-bpe" << "12345" << QStringList{"123", "45"}
                                          << QStringList{"123", "45"};
        QTest::newRow("qwen2: single digits") << "qwen2" << "12345" << QStringList{"123", "45"}
                                              << QStringList{"1", "2", "3", "4", "5"};
        QTest::newRow("qwen2: no ignore_merges") << "qwen2" << "Hello" << QStringList{"Hello"}
                                                 << QStringList{"H", "e", "l", "l", "o"};
        QTest::newRow("last space goes to the word") << "llama-bpe" << "   a" << QStringList{"ĠĠ", "Ġa"}
                                                     << QStringList{"ĠĠ", "Ġa"};
        QTest::newRow("contraction") << "llama-bpe" << "don't" << QStringList{"don", "'t"}
                                     << QStringList{"don", "'t"};
        QTest::newRow("contraction in capitals") << "llama-bpe" << "DON'T" << QStringList{"DON", "'T"}
                                                 << QStringList{"DON", "'T"};
        QTest::newRow("CRLF is one piece") << "llama-bpe" << "a\r\nb" << QStringList{"čĊ"}
                                           << QStringList{"a", "čĊ", "b"};
        QTest::newRow("punctuation takes its newline") << "llama-bpe" << "x!!!\n" << QStringList{"!!!Ċ"}
                                                       << QStringList{"x", "!!!Ċ"};
        QTest::newRow("a letter after punctuation") << "llama-bpe" << "(word" << QStringList{"(word"}
                                                    << QStringList{"(word"};
        QTest::newRow("chinese run is one piece") << "llama-bpe" << "中文" << QStringList{byteLevel("中文")}
                                                  << QStringList{byteLevel("中文")};
    }

    void preTokens()
    {
        QFETCH(QString, pre);
        QFETCH(QString, text);
        QFETCH(QStringList, extra);
        QFETCH(QStringList, expected);
        const Tokenizer tokenizer = make(tinyVocab(pre, {}, extra));
        QCOMPARE(texts(tokenizer, tokenizer.encode(text.toStdString(), false, true)), expected);
    }

    void addedTokens_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("parseSpecial");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("control token") << "hi<|ctl|>yo" << true << QStringList{"h", "i", "<|ctl|>", "y", "o"};
        QTest::newRow("control token as text") << "<|ctl|>" << false
                                               << QStringList{"<", "|", "c", "t", "l", "|", ">"};
        QTest::newRow("user-defined always matches") << "a<ud>b" << false << QStringList{"a", "<ud>", "b"};
        QTest::newRow("longest match") << "<x>yz" << true << QStringList{"<x>y", "z"};
        QTest::newRow("back to back") << "<ud><|ctl|><ud>" << true << QStringList{"<ud>", "<|ctl|>", "<ud>"};
        QTest::newRow("sections are tokenized apart") << "a <ud> b" << true
                                                      << QStringList{"a", "Ġ", "<ud>", "Ġ", "b"};
        QTest::newRow("partial") << "<|ctl" << true << QStringList{"<", "|", "c", "t", "l"};
        QTest::newRow("unused tokens never match") << "[PAD9]" << true
                                                   << QStringList{"[", "P", "A", "D", "9", "]"};
    }

    void addedTokens()
    {
        QFETCH(QString, text);
        QFETCH(bool, parseSpecial);
        QFETCH(QStringList, expected);
        const Tokenizer tokenizer = make(tinyVocab("qwen2", {}, {}, kAdded));
        QCOMPARE(texts(tokenizer, tokenizer.encode(text.toStdString(), false, parseSpecial)), expected);
    }

    void bos()
    {
        TokenizerVocab vocab = tinyVocab("qwen2", {}, {}, kAdded);
        vocab.bosTokenId = int32_t(vocab.tokens.size() - 4);  // <ud>
        vocab.addBosToken = true;
        const Tokenizer tokenizer = make(vocab);
        QVERIFY(tokenizer.addBos());
        QCOMPARE(tokenizer.encode("a", true, false), (std::vector<int32_t>{tokenizer.bos(), 'a'}));
        QCOMPARE(tokenizer.encode("a", false, false), (std::vector<int32_t>{'a'}));
        const Tokenizer noBos = make(tinyVocab("qwen2", {}));
        QCOMPARE(noBos.bos(), -1);
        QCOMPARE(noBos.encode("a", true, false), (std::vector<int32_t>{'a'}));
    }

    // With no merges every byte is its own token, control bytes included;
    // the tiny vocabulary numbers byte tokens by their value.
    void everyByteHasAToken()
    {
        const Tokenizer tokenizer = make(tinyVocab("llama-bpe", {}));
        std::string text;
        for (int b = 0; b < 128; ++b)
            text.push_back(char(b));
        text += "é€😀";
        const auto ids = tokenizer.encode(text, false, false);
        QCOMPARE(ids.size(), text.size());
        for (size_t i = 0; i < text.size(); ++i)
            QCOMPARE(ids[i], int32_t(uint8_t(text[i])));
        QCOMPARE(tokenizer.decode(ids), text);
    }

    void invalidUtf8BecomesReplacement_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("decoded");
        const QByteArray fffd = "\xEF\xBF\xBD";
        QTest::newRow("lone continuation") << QByteArray("a\x80z") << "a" + fffd + "z";
        QTest::newRow("bad lead") << QByteArray("\xFF") << fffd;
        QTest::newRow("truncated at the end") << QByteArray("a\xF0\x9F\x98") << "a" + fffd;
        QTest::newRow("truncated before ASCII") << QByteArray("\xE4\xB8x") << fffd + "x";
        QTest::newRow("overlong") << QByteArray("\xC0\xAF") << fffd + fffd;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << fffd + fffd + fffd;
    }

    void invalidUtf8BecomesReplacement()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, decoded);
        const Tokenizer tokenizer = make(tinyVocab("qwen2", {}));
        const auto ids = tokenizer.encode(std::string_view(input.constData(), size_t(input.size())), false, true);
        QCOMPARE(QByteArray::fromStdString(tokenizer.decode(ids)), decoded);
    }

    void nfcOnlyForQwen()
    {
        const std::string decomposed = "cafe\xCC\x81";  // e + U+0301
        const std::string composed = "caf\xC3\xA9";
        const Tokenizer qwen = make(tinyVocab("deepseek-r1-qwen", {}));
        const Tokenizer llama = make(tinyVocab("llama-bpe", {}));
        QCOMPARE(qwen.decode(qwen.encode(decomposed, false, true)), composed);
        QCOMPARE(llama.decode(llama.encode(decomposed, false, true)), decomposed);
        // Added tokens are matched before normalization and kept as written.
        const Tokenizer withAdded = make(tinyVocab("qwen2", {}, {}, {{"<e\xCC\x81>", TokenType::UserDefined}}));
        const auto ids = withAdded.encode("<e\xCC\x81>e\xCC\x81", false, true);
        QCOMPARE(ids.size(), size_t(3));
        QCOMPARE(withAdded.decode(ids), std::string("<e\xCC\x81>\xC3\xA9"));
    }

    void lookups()
    {
        const Tokenizer tokenizer = make(tinyVocab("qwen2", {"Ġ t"}, {}, kAdded));
        const auto ud = tokenizer.findToken("<ud>");
        QVERIFY(ud);
        QCOMPARE(tokenizer.tokenText(*ud), std::string_view("<ud>"));
        QCOMPARE(tokenizer.tokenType(*ud), TokenType::UserDefined);
        QCOMPARE(tokenizer.findToken("Ġt"), std::optional<int32_t>(256));
        QCOMPARE(tokenizer.tokenBytes(256), std::string_view(" t"));
        QCOMPARE(tokenizer.findToken("nope"), std::nullopt);
        QCOMPARE(tokenizer.vocabSize(), 257 + int(kAdded.size()));
        QCOMPARE(tokenizer.preTokenizer(), std::string_view("qwen2"));
        QCOMPARE(tokenizer.tokenText(-1), std::string_view());
        QCOMPARE(tokenizer.tokenText(tokenizer.vocabSize()), std::string_view());
        QCOMPARE(tokenizer.tokenType(1 << 30), TokenType::Undefined);
    }

    void decodeRendersByType()
    {
        const Tokenizer tokenizer = make(tinyVocab("qwen2", {}, {}, kAdded));
        const int32_t ctl = *tokenizer.findToken("<|ctl|>");
        const int32_t ud = *tokenizer.findToken("<ud>");
        const int32_t pad = *tokenizer.findToken("[PAD9]");
        const std::vector<int32_t> ids = {'a', ctl, ud, pad, -5, 1 << 30, 'b'};
        QCOMPARE(tokenizer.decode(ids), std::string("a<|ctl|><ud>b"));
        QCOMPARE(tokenizer.decode(ids, false), std::string("a<ud>b"));
    }

    void missingByteTokensAreDropped()
    {
        TokenizerVocab vocab = tinyVocab("qwen2", {});
        vocab.tokens['z'] = "no longer z";
        const Tokenizer tokenizer = make(vocab);
        QCOMPARE(tokenizer.encode("azb", false, false), (std::vector<int32_t>{'a', 'b'}));
    }

    void createRejects_data()
    {
        QTest::addColumn<int>("what");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("sentencepiece model") << 0 << int(ErrorCode::Unsupported) << "llama";
        QTest::newRow("unknown pre-tokenizer") << 1 << int(ErrorCode::Unsupported) << "gpt-4o";
        QTest::newRow("no pre-tokenizer") << 2 << int(ErrorCode::Unsupported) << "pre-tokenizer";
        QTest::newRow("no tokens") << 3 << int(ErrorCode::Malformed) << "no tokens";
        QTest::newRow("type count") << 4 << int(ErrorCode::Malformed) << "token types";
        QTest::newRow("unknown type") << 5 << int(ErrorCode::Malformed) << "type 9";
        QTest::newRow("BOS out of range") << 6 << int(ErrorCode::Malformed) << "BOS";
        QTest::newRow("EOS out of range") << 7 << int(ErrorCode::Malformed) << "EOS";
        QTest::newRow("merge without space") << 8 << int(ErrorCode::Malformed) << "merge 1";
    }

    void createRejects()
    {
        QFETCH(int, what);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        TokenizerVocab vocab = tinyVocab("qwen2", {"a b"});
        switch (what) {
        case 0: vocab.model = "llama"; break;
        case 1: vocab.pre = "gpt-4o"; break;
        case 2: vocab.pre.clear(); break;
        case 3: vocab.tokens.clear(); vocab.tokenType.clear(); break;
        case 4: vocab.tokenType.pop_back(); break;
        case 5: vocab.tokenType[3] = 9; break;
        case 6: vocab.bosTokenId = int32_t(vocab.tokens.size()); break;
        case 7: vocab.eosTokenId = 1 << 30; break;
        case 8: vocab.merges.push_back("ab"); break;
        }
        const auto tokenizer = Tokenizer::create(vocab);
        QVERIFY(!tokenizer);
        QCOMPARE(int(tokenizer.error().code), code);
        QVERIFY2(QString::fromStdString(tokenizer.error().message).contains(mentions),
                 tokenizer.error().message.c_str());
    }

    // Seeded random byte strings, valid UTF-8 or not, with added-token text,
    // combining marks and merge fodder mixed in: encoding never loses a byte
    // of valid text.
    // The tiny vocabulary's ids 0..255 are the bytes themselves, so decoding
    // the raw bytes as ids applies the same U+FFFD policy to the input.
    void randomBytesRoundTrip_data()
    {
        QTest::addColumn<QString>("pre");
        QTest::newRow("qwen2") << "qwen2";
        QTest::newRow("llama-bpe") << "llama-bpe";
    }

    void randomBytesRoundTrip()
    {
        QFETCH(QString, pre);
        const Tokenizer tokenizer = make(tinyVocab(pre, {"a b", "Ġ a", "ab ab", "1 2", "Ġ Ġ", "ä ¸"}, {}, kAdded));
        const std::vector<std::string> parts = {"a", "b", "ab", " ", "  ", "\n", "\r\n", "\t", "1", "12", "'s", "!",
                                                "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\x80", "\xFF",
                                                "\xE4\xB8", "<|ctl|>", "<ud>", "<x>y", "<|", "e\xCC\x81"};
        std::mt19937 rng(42);
        for (int round = 0; round < 400; ++round) {
            std::string text;
            const int count = int(rng() % 24);
            for (int i = 0; i < count; ++i)
                text += rng() % 5 == 0 ? std::string(1, char(rng() % 256)) : parts[rng() % parts.size()];
            std::vector<int32_t> raw;
            for (const char c : text)
                raw.push_back(uint8_t(c));
            std::string want = tokenizer.decode(raw);
            // Qwen normalizes each stretch between added tokens to NFC; the
            // added tokens here end in '>' and start with '<', which nothing
            // composes with, so normalizing the whole text is the same.
            if (pre == "qwen2")
                want = QString::fromStdString(want).normalized(QString::NormalizationForm_C).toStdString();
            for (const bool parseSpecial : {false, true})
                QCOMPARE(tokenizer.decode(tokenizer.encode(text, false, parseSpecial)), want);
        }
    }

    // Copies share the immutable data; the copy works after the original is gone.
    void copiesShareData()
    {
        std::optional<Tokenizer> original = make(tinyVocab("qwen2", {"a b"}));
        const Tokenizer copy = *original;
        original.reset();
        QCOMPARE(texts(copy, copy.encode("ab", false, false)), (QStringList{"ab"}));
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
