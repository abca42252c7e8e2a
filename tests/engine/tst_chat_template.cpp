// The chat templates against golden prompts. The expected strings were
// produced by rendering the models' own Jinja templates (the fixtures below)
// with Jinja2 the way Hugging Face's apply_chat_template does; where our
// format deliberately differs (see chat_template.h) the conversation's
// assistant turns were reduced to their answers first, so every byte of
// layout and white space here is the real templates'.
#include <QtTest>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/chat_template.h"

using namespace ponder;

Q_DECLARE_METATYPE(ponder::ChatFormat)

namespace {

// tokenizer.chat_template of DeepSeek-R1-Distill-Qwen-{1.5,7,14,32}B and
// DeepSeek-R1-Distill-Llama-{8,70}B (the same text in all six), as the GGUF
// stores it: JSON-decoded, so `'\n'` is a Jinja escape.
constexpr std::string_view kR1DistillTemplate = R"tpl({% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='') %}{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}{{bos_token}}{{ns.system_prompt}}{%- for message in messages %}{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %}{%- if message['role'] == 'assistant' and message['content'] is none %}{%- set ns.is_tool = false -%}{%- for tool in message['tool_calls']%}{%- if not ns.is_first %}{{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\n' + '```json' + '\n' + tool['function']['arguments'] + '\n' + '```' + '<｜tool▁call▁end｜>'}}{%- set ns.is_first = true -%}{%- else %}{{'\n' + '<｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\n' + '```json' + '\n' + tool['function']['arguments'] + '\n' + '```' + '<｜tool▁call▁end｜>'}}{{'<｜tool▁calls▁end｜><｜end▁of▁sentence｜>'}}{%- endif %}{%- endfor %}{%- endif %}{%- if message['role'] == 'assistant' and message['content'] is not none %}{%- if ns.is_tool %}{{'<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}{%- set ns.is_tool = false -%}{%- else %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}{%- endif %}{%- if message['role'] == 'tool' %}{%- set ns.is_tool = true -%}{%- if ns.is_output_first %}{{'<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- set ns.is_output_first = false %}{%- else %}{{'\n<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- endif %}{%- endif %}{%- endfor -%}{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}{% endif %}{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜><think>\n'}}{% endif %})tpl";

constexpr std::string_view kQwen25Template =
    "{%- if tools %}\n"
    "    {{- '<|im_start|>system\\n' }}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n"
    "    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n"
    "    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n"
    "    {%- for tool in tools %}\n"
    "        {{- \"\\n\" }}\n"
    "        {{- tool | tojson }}\n"
    "    {%- endfor %}\n"
    "    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": <function-name>, \\\"arguments\\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n"
    "{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role == \"assistant\" and not message.tool_calls) %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n"
    "        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n"
    "            {{- '\\n' + message.content }}\n"
    "        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n"
    "            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n"
    "            {%- endif %}\n"
    "            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n"
    "            {{- tool_call.name }}\n"
    "            {{- '\", \"arguments\": ' }}\n"
    "            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n"
    "        {%- endfor %}\n"
    "        {{- '<|im_end|>\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n"
    "        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n"
    "        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n"
    "        {%- endif %}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n";

constexpr std::string_view kLlama30Template =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n"
    "\n"
    "'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n"
    "\n"
    "' }}{% endif %}";

// Close excerpts: DeepSeek-R1 (671B, 2025 revision), Llama 3.1 Instruct,
// Qwen2 Instruct, and a template of none of our families (Mistral).
constexpr std::string_view kR1FullExcerpt = R"tpl({% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='', is_first_sp=true) %}{%- for message in messages %}{%- if message['role'] == 'system' %}{%- if ns.is_first_sp %}{% set ns.system_prompt = ns.system_prompt + message['content'] %}{% set ns.is_first_sp = false %}{%- else %}{% set ns.system_prompt = ns.system_prompt + '\n\n' + message['content'] %}{%- endif %}{%- endif %}{%- endfor %}{{ bos_token }}{{ ns.system_prompt }}{%- for message in messages %}{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %})tpl";

constexpr std::string_view kLlama31Excerpt =
    "{{- bos_token }}\n"
    "{%- if custom_tools is defined %}\n"
    "    {%- set tools = custom_tools %}\n"
    "{%- endif %}\n"
    "{%- if not date_string is defined %}\n"
    "    {%- set date_string = \"26 Jul 2024\" %}\n"
    "{%- endif %}\n"
    "{%- if messages[0]['role'] == 'system' %}\n"
    "    {%- set system_message = messages[0]['content']|trim %}\n"
    "    {%- set messages = messages[1:] %}\n"
    "{%- else %}\n"
    "    {%- set system_message = \"\" %}\n"
    "{%- endif %}\n"
    "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n"
    "{{- \"Cutting Knowledge Date: December 2023\\n\" }}\n"
    "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n"
    "{{- system_message }}\n"
    "{{- \"<|eot_id|>\" }}\n"
    "{%- for message in messages %}\n"
    "    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}\n"
    "        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n"
    "{%- endif %}";

constexpr std::string_view kQwen2Template = R"tpl({% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %})tpl";

constexpr std::string_view kMistralTemplate = R"tpl({{- bos_token }}{%- for message in messages %}{%- if message['role'] == 'user' %}{{- '[INST]' + message['content'] + '[/INST]' }}{%- elif message['role'] == 'assistant' %}{{- message['content'] + eos_token }}{%- endif %}{%- endfor %})tpl";

const ChatTemplateTokens kR1Tokens{"<｜begin▁of▁sentence｜>"};
const ChatTemplateTokens kLlama3Tokens{"<|begin_of_text|>"};
const ChatTemplateTokens kNoBos{""};

const ChatTemplateTokens& tokensFor(ChatFormat format)
{
    switch (format) {
    case ChatFormat::DeepSeekR1: return kR1Tokens;
    case ChatFormat::Llama3: return kLlama3Tokens;
    case ChatFormat::ChatML: return kNoBos;
    }
    return kNoBos;
}

ChatMessage systemTurn(std::string text) { return {ChatRole::System, std::move(text)}; }
ChatMessage userTurn(std::string text) { return {ChatRole::User, std::move(text)}; }
ChatMessage assistantTurn(std::string text) { return {ChatRole::Assistant, std::move(text)}; }

// System, three user turns, two assistant turns holding reasoning (one with
// both tags, one with only the closing tag, as R1 writes it after the
// pre-filled `<think>\n`), unicode throughout, ending on a generation prompt.
std::vector<ChatMessage> reasoningConversation()
{
    return {systemTurn("You are a careful assistant."),
            userTurn("What is 2+2?"),
            assistantTurn("<think>\nSimple addition.\n</think>\n\n2 + 2 = 4."),
            userTurn("Explain π in one line — briefly. 日本語でも。"),
            assistantTurn("Okay, the user wants π.\n</think>\n\nπ is a circle's circumference over its diameter. 円周率です。"),
            userTurn("Thanks! 🙏")};
}

// An answer without reasoning, an empty answer, several `</think>` (the last
// one counts), white space around an answer, and an unclosed `<think>`.
std::vector<ChatMessage> edgeConversation()
{
    return {userTurn("Hi"),
            assistantTurn("Hello there!"),
            userTurn("Say nothing."),
            assistantTurn("<think>\nThe user wants silence.\n</think>"),
            userTurn("Two thoughts?"),
            assistantTurn("<think>a</think>middle</think>  end \n"),
            userTurn("Interrupted?"),
            assistantTurn("<think>\nStill thinking")};
}

std::vector<ChatMessage> paddedConversation() { return {userTurn("  padded \t\n")}; }

std::vector<ChatMessage> conversationNamed(const QByteArray& name)
{
    if (name == "reasoning")
        return reasoningConversation();
    if (name == "edge")
        return edgeConversation();
    return paddedConversation();
}

QByteArray bytes(std::string_view text) { return QByteArray(text.data(), qsizetype(text.size())); }

} // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT

private slots:
    void detectsFormat_data()
    {
        QTest::addColumn<QByteArray>("jinja");
        QTest::addColumn<ChatFormat>("expected");
        QTest::newRow("R1 distill (Qwen and Llama)") << bytes(kR1DistillTemplate) << ChatFormat::DeepSeekR1;
        QTest::newRow("R1 671B") << bytes(kR1FullExcerpt) << ChatFormat::DeepSeekR1;
        QTest::newRow("Qwen2.5") << bytes(kQwen25Template) << ChatFormat::ChatML;
        QTest::newRow("Qwen2") << bytes(kQwen2Template) << ChatFormat::ChatML;
        QTest::newRow("Llama 3.0") << bytes(kLlama30Template) << ChatFormat::Llama3;
        QTest::newRow("Llama 3.1") << bytes(kLlama31Excerpt) << ChatFormat::Llama3;
        QTest::newRow("unknown family: default") << bytes(kMistralTemplate) << ChatFormat::DeepSeekR1;
        QTest::newRow("empty: default") << QByteArray() << ChatFormat::DeepSeekR1;
        QTest::newRow("binary junk: default") << QByteArray("\xff\xfe\x00<|im_sta", 11) << ChatFormat::DeepSeekR1;
        QTest::newRow("QwQ: ChatML that thinks") << QByteArray("{{- '<|im_start|>assistant\\n<think>\\n' }}")
                                                << ChatFormat::ChatML;
        QTest::newRow("R1 wins over ChatML") << QByteArray("<|im_start|> <｜Assistant｜>") << ChatFormat::DeepSeekR1;
    }

    void detectsFormat()
    {
        QFETCH(QByteArray, jinja);
        QFETCH(ChatFormat, expected);
        const auto detected = detectChatFormat(std::string_view(jinja.constData(), size_t(jinja.size())));
        QCOMPARE(bytes(chatFormatName(detected)), bytes(chatFormatName(expected)));
    }

    void rendersGolden_data()
    {
        QTest::addColumn<ChatFormat>("format");
        QTest::addColumn<QByteArray>("conversation");
        QTest::addColumn<bool>("generationPrompt");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("R1, reasoning") << ChatFormat::DeepSeekR1 << QByteArray("reasoning") << true
            << QByteArray(
                "<｜begin▁of▁sentence｜>You are a careful assistant.<｜User｜>What is 2+2?<｜Assistant｜>\n\n2 + 2 = 4.<｜end▁of▁sentence｜>"
                "<｜User｜>Explain π in one line — briefly. 日本語でも。<｜Assistant｜>\n\nπ is a circle's circumference over its diameter. 円周率です。<｜end▁of▁sentence｜>"
                "<｜User｜>Thanks! 🙏<｜Assistant｜><think>\n");
        QTest::newRow("ChatML, reasoning") << ChatFormat::ChatML << QByteArray("reasoning") << true
            << QByteArray(
                "<|im_start|>system\nYou are a careful assistant.<|im_end|>\n"
                "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                "<|im_start|>assistant\n2 + 2 = 4.<|im_end|>\n"
                "<|im_start|>user\nExplain π in one line — briefly. 日本語でも。<|im_end|>\n"
                "<|im_start|>assistant\nπ is a circle's circumference over its diameter. 円周率です。<|im_end|>\n"
                "<|im_start|>user\nThanks! 🙏<|im_end|>\n"
                "<|im_start|>assistant\n");
        QTest::newRow("Llama3, reasoning") << ChatFormat::Llama3 << QByteArray("reasoning") << true
            << QByteArray(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a careful assistant.<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\n2 + 2 = 4.<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nExplain π in one line — briefly. 日本語でも。<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\nπ is a circle's circumference over its diameter. 円周率です。<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nThanks! 🙏<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\n");
        QTest::newRow("R1, edge") << ChatFormat::DeepSeekR1 << QByteArray("edge") << false
            << QByteArray(
                "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>Hello there!<｜end▁of▁sentence｜>"
                "<｜User｜>Say nothing.<｜Assistant｜><｜end▁of▁sentence｜>"
                "<｜User｜>Two thoughts?<｜Assistant｜>  end \n<｜end▁of▁sentence｜>"
                "<｜User｜>Interrupted?<｜Assistant｜><think>\nStill thinking<｜end▁of▁sentence｜>");
        QTest::newRow("ChatML, edge") << ChatFormat::ChatML << QByteArray("edge") << false
            << QByteArray(
                "<|im_start|>user\nHi<|im_end|>\n"
                "<|im_start|>assistant\nHello there!<|im_end|>\n"
                "<|im_start|>user\nSay nothing.<|im_end|>\n"
                "<|im_start|>assistant\n<|im_end|>\n"
                "<|im_start|>user\nTwo thoughts?<|im_end|>\n"
                "<|im_start|>assistant\n  end \n<|im_end|>\n"
                "<|im_start|>user\nInterrupted?<|im_end|>\n"
                "<|im_start|>assistant\n<think>\nStill thinking<|im_end|>\n");
        QTest::newRow("Llama3, edge") << ChatFormat::Llama3 << QByteArray("edge") << false
            << QByteArray(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\nHello there!<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nSay nothing.<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\n<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nTwo thoughts?<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\nend<|eot_id|>"
                "<|start_header_id|>user<|end_header_id|>\n\nInterrupted?<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\n<think>\nStill thinking<|eot_id|>");
        QTest::newRow("R1, padded") << ChatFormat::DeepSeekR1 << QByteArray("padded") << true
            << QByteArray(
                "<｜begin▁of▁sentence｜><｜User｜>  padded \t\n<｜Assistant｜><think>\n");
        QTest::newRow("ChatML, padded") << ChatFormat::ChatML << QByteArray("padded") << true
            << QByteArray(
                "<|im_start|>user\n  padded \t\n<|im_end|>\n"
                "<|im_start|>assistant\n");
        QTest::newRow("Llama3, padded") << ChatFormat::Llama3 << QByteArray("padded") << true
            << QByteArray(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\npadded<|eot_id|>"
                "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    void rendersGolden()
    {
        QFETCH(ChatFormat, format);
        QFETCH(QByteArray, conversation);
        QFETCH(bool, generationPrompt);
        QFETCH(QByteArray, expected);
        const auto messages = conversationNamed(conversation);
        const std::string prompt = renderPrompt(format, messages, tokensFor(format), generationPrompt);
        QCOMPARE(QByteArray::fromStdString(prompt), expected);

        std::string joined;
        for (const auto& piece : renderPromptPieces(format, messages, tokensFor(format), generationPrompt))
            joined += piece.text;
        QCOMPARE(QByteArray::fromStdString(joined), expected);
    }

    void emptyConversation()
    {
        const std::vector<ChatMessage> none;
        QCOMPARE(bytes(renderPrompt(ChatFormat::DeepSeekR1, none, kR1Tokens, true)),
                 QByteArray("<｜begin▁of▁sentence｜><｜Assistant｜><think>\n"));
        QCOMPARE(bytes(renderPrompt(ChatFormat::DeepSeekR1, none, kR1Tokens, false)), QByteArray("<｜begin▁of▁sentence｜>"));
        QCOMPARE(bytes(renderPrompt(ChatFormat::ChatML, none, kNoBos, false)), QByteArray());
        QCOMPARE(bytes(renderPrompt(ChatFormat::Llama3, none, kLlama3Tokens, true)),
                 QByteArray("<|begin_of_text|><|start_header_id|>assistant<|end_header_id|>\n\n"));
    }

    void r1WithoutBos()
    {
        const std::vector<ChatMessage> messages{userTurn("hi")};
        QCOMPARE(bytes(renderPrompt(ChatFormat::DeepSeekR1, messages, kNoBos, true)),
                 QByteArray("<｜User｜>hi<｜Assistant｜><think>\n"));
    }

    void systemMessagesPlacement()
    {
        const std::vector<ChatMessage> messages{userTurn("q"), systemTurn("A"), assistantTurn("r"), systemTurn("B")};
        // R1 hoists every system message to the front, joined by a blank line.
        QCOMPARE(bytes(renderPrompt(ChatFormat::DeepSeekR1, messages, kR1Tokens, false)),
                 QByteArray("<｜begin▁of▁sentence｜>A\n\nB<｜User｜>q<｜Assistant｜>r<｜end▁of▁sentence｜>"));
        // ChatML and Llama 3 keep them where they are.
        QCOMPARE(bytes(renderPrompt(ChatFormat::ChatML, messages, kNoBos, false)),
                 QByteArray("<|im_start|>user\nq<|im_end|>\n<|im_start|>system\nA<|im_end|>\n"
                             "<|im_start|>assistant\nr<|im_end|>\n<|im_start|>system\nB<|im_end|>\n"));
        QCOMPARE(bytes(renderPrompt(ChatFormat::Llama3, messages, kLlama3Tokens, false)),
                 QByteArray("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nq<|eot_id|>"
                             "<|start_header_id|>system<|end_header_id|>\n\nA<|eot_id|>"
                             "<|start_header_id|>assistant<|end_header_id|>\n\nr<|eot_id|>"
                             "<|start_header_id|>system<|end_header_id|>\n\nB<|eot_id|>"));
    }

    void piecesSeparateSpecialTokens_data()
    {
        QTest::addColumn<ChatFormat>("format");
        QTest::addColumn<QStringList>("expected");  // "S:" special, "T:" plain text
        QTest::newRow("R1") << ChatFormat::DeepSeekR1
                            << QStringList{"S:<｜begin▁of▁sentence｜>", "T:sys", "S:<｜User｜>",
                                           "T:a <｜User｜> b <think>", "S:<｜Assistant｜>", "T:ok",
                                           "S:<｜end▁of▁sentence｜>", "S:<｜Assistant｜>", "S:<think>", "T:\n"};
        QTest::newRow("ChatML") << ChatFormat::ChatML
                                << QStringList{"S:<|im_start|>", "T:system\nsys", "S:<|im_end|>", "T:\n",
                                               "S:<|im_start|>", "T:user\na <｜User｜> b <think>", "S:<|im_end|>",
                                               "T:\n", "S:<|im_start|>", "T:assistant\nok", "S:<|im_end|>", "T:\n",
                                               "S:<|im_start|>", "T:assistant\n"};
        QTest::newRow("Llama3") << ChatFormat::Llama3
                                << QStringList{"S:<|begin_of_text|>", "S:<|start_header_id|>", "T:system",
                                               "S:<|end_header_id|>", "T:\n\nsys", "S:<|eot_id|>",
                                               "S:<|start_header_id|>", "T:user", "S:<|end_header_id|>",
                                               "T:\n\na <｜User｜> b <think>", "S:<|eot_id|>",
                                               "S:<|start_header_id|>", "T:assistant", "S:<|end_header_id|>",
                                               "T:\n\nok", "S:<|eot_id|>", "S:<|start_header_id|>", "T:assistant",
                                               "S:<|end_header_id|>", "T:\n\n"};
    }

    void piecesSeparateSpecialTokens()
    {
        QFETCH(ChatFormat, format);
        QFETCH(QStringList, expected);
        // Special-token text typed by the user stays plain text in a piece.
        const std::vector<ChatMessage> messages{systemTurn("sys"), userTurn("a <｜User｜> b <think>"),
                                                assistantTurn("hmm</think>ok")};
        QStringList actual;
        for (const auto& piece : renderPromptPieces(format, messages, tokensFor(format), true))
            actual << (piece.special ? "S:" : "T:") + QString::fromStdString(piece.text);
        QCOMPARE(actual, expected);
    }

    void assistantAnswer_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("no reasoning") << QByteArray("Just an answer.") << QByteArray("Just an answer.");
        QTest::newRow("both tags") << QByteArray("<think>\nr\n</think>\n\nA") << QByteArray("\n\nA");
        QTest::newRow("close tag only") << QByteArray("r\n</think>\n\nA") << QByteArray("\n\nA");
        QTest::newRow("last close wins") << QByteArray("x</think>y</think>z") << QByteArray("z");
        QTest::newRow("empty answer") << QByteArray("<think>r</think>") << QByteArray();
        QTest::newRow("unclosed think kept") << QByteArray("<think>\nr") << QByteArray("<think>\nr");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("partial tag is text") << QByteArray("a</think") << QByteArray("a</think");
    }

    void assistantAnswer()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, answer);
        const auto actual = ponder::assistantAnswer(std::string_view(content.constData(), size_t(content.size())));
        QCOMPARE(bytes(actual), answer);
    }

    void llama3TrimsAsPython_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("trimmed");
        QTest::newRow("ASCII") << QByteArray(" \t\r\n\v\fhi there\n ") << QByteArray("hi there");
        QTest::newRow("unicode spaces") << QByteArray("\u3000\u00a0\u2009hi\u2028\u0085") << QByteArray("hi");
        QTest::newRow("file separators") << QByteArray("\x1c\x1fhi\x1d") << QByteArray("hi");
        QTest::newRow("zero-width space is not space") << QByteArray("\u200bhi") << QByteArray("\u200bhi");
        QTest::newRow("invalid UTF-8 stays") << QByteArray("\x80 hi \xe3\x80") << QByteArray("\x80 hi \xe3\x80");
        QTest::newRow("only space") << QByteArray(" \u3000 ") << QByteArray();
        QTest::newRow("four-byte letter kept") << QByteArray(" 🙏 ") << QByteArray("🙏");
    }

    void llama3TrimsAsPython()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, trimmed);
        const std::vector<ChatMessage> messages{userTurn(content.toStdString())};
        const QByteArray expected = "<|start_header_id|>user<|end_header_id|>\n\n" + trimmed + "<|eot_id|>";
        QCOMPARE(QByteArray::fromStdString(renderPrompt(ChatFormat::Llama3, messages, kNoBos, false)), expected);
    }

    void endOfTurnTexts()
    {
        const auto r1 = ponder::endOfTurnTexts(ChatFormat::DeepSeekR1);
        QCOMPARE(int(r1.size()), 1);
        QCOMPARE(bytes(r1[0]), QByteArray("<｜end▁of▁sentence｜>"));
        const auto chatMl = ponder::endOfTurnTexts(ChatFormat::ChatML);
        QVERIFY(std::find(chatMl.begin(), chatMl.end(), std::string_view("<|im_end|>")) != chatMl.end());
        const auto llama = ponder::endOfTurnTexts(ChatFormat::Llama3);
        QVERIFY(std::find(llama.begin(), llama.end(), std::string_view("<|eot_id|>")) != llama.end());
    }
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
