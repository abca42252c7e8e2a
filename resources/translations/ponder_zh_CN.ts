<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerBlock</name>
    <message>
        <location filename="../../app/chat/AnswerBlock.qml" line="+132"/>
        <source>Open this link in the browser?</source>
        <translation>要在浏览器中打开这个链接吗？</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This link cannot be opened</source>
        <translation>无法打开这个链接</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ponder opens only web links (http and https), not:
%1</source>
        <translation>Ponder 只打开网页链接（http 和 https），不打开：
%1</translation>
    </message>
</context>
<context>
    <name>AnswerColumn</name>
    <message numerus="yes">
        <location filename="../../app/compare/AnswerColumn.qml" line="+39"/>
        <source>Reasoning · %n token(s)</source>
        <translation>
            <numerusform>推理 · %n 个 token</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reasoning of %1</source>
        <translation>%1 的推理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning shown; press to hide it</source>
        <translation>推理已显示；按下以隐藏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning hidden; press to show it</source>
        <translation>推理已隐藏；按下以显示</translation>
    </message>
</context>
<context>
    <name>AnswerFoot</name>
    <message>
        <location filename="../../app/chat/AnswerFoot.qml" line="+40"/>
        <source>Waiting for the answer</source>
        <translation>等待回答</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer</source>
        <translation>复制回答</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>As Markdown</source>
        <translation>Markdown 格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer as Markdown</source>
        <translation>以 Markdown 格式复制回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>As plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer as plain text</source>
        <translation>以纯文本复制回答</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate the answer</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the answer</source>
        <translation>删除回答</translation>
    </message>
</context>
<context>
    <name>ChatInput</name>
    <message>
        <location filename="../../app/chat/ChatInput.qml" line="+48"/>
        <source>Ask anything. Enter sends, Shift+Enter starts a new line.</source>
        <translation>问什么都可以。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a model to start chatting</source>
        <translation>打开模型即可开始聊天</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Math</source>
        <translation>数学</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Math: ask for step-by-step reasoning and a boxed answer</source>
        <translation>数学：要求逐步推理，并把答案放在框中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adds “Please reason step by step, and put your final answer within %1.”</source>
        <translation>添加“Please reason step by step, and put your final answer within %1.”</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer now</source>
        <translation>立即回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop thinking and answer now</source>
        <translation>停止思考，立即回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ends the reasoning where it stands; the model answers from what it has thought (Ctrl+Enter)</source>
        <translation>在推理当前的位置结束推理；模型根据已想到的内容回答（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send message</source>
        <translation>发送消息</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../app/chat/CodeBlock.qml" line="+65"/>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy %1 code</source>
        <translation>复制 %1 代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Code: %1</source>
        <translation>代码：%1</translation>
    </message>
</context>
<context>
    <name>CompareBackends</name>
    <message>
        <location filename="../../app/compare/compare_backend.cpp" line="+87"/>
        <source>No usable GPU: %1</source>
        <translation>没有可用的 GPU：%1</translation>
    </message>
</context>
<context>
    <name>CompareSetup</name>
    <message>
        <location filename="../../app/compare/CompareSetup.qml" line="+19"/>
        <source>Files to compare</source>
        <translation>要比较的文件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Downloaded model files</source>
        <translation>已下载的模型文件</translation>
    </message>
    <message>
        <location line="+32"/>
        <source> · reference</source>
        <translation> · 参考</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No downloaded models yet. Download two quants of a model on the models page.</source>
        <translation>还没有下载任何模型。请在模型页面下载同一个模型的两个量化版本。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reference: %1 (the most precise)</source>
        <translation>参考：%1（最精确的）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>One prompt</source>
        <translation>单个提示词</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A prompt every model answers</source>
        <translation>每个模型都回答的提示词</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The evaluation set (%1 prompts)</source>
        <translation>评测集（%1 个提示词）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Seed, the same for every model</source>
        <translation>种子，每个模型都相同</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../app/compare/CompareView.qml" line="+23"/>
        <location line="+135"/>
        <source>Export the comparison as JSON</source>
        <translation>将比较结果导出为 JSON</translation>
    </message>
    <message>
        <location line="-132"/>
        <location line="+10"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>JSON (*.json)</source>
        <translation>JSON（*.json）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export the statistics and the heat map as PNG</source>
        <translation>将统计数据和热力图导出为 PNG</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片（*.png）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Compare quants</source>
        <translation>比较量化版本</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the compare page</source>
        <translation>关闭比较页面</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Choose two to five quants of a model and a prompt, then Compare.
Each answers with the same seed; the most precise is the reference.</source>
        <translation>选择同一个模型的二到五个量化版本和一个提示词，然后点击“比较”。
每个版本都用相同的种子回答；最精确的作为参考。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Reference: %1</source>
        <translation>参考：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The prompt shown</source>
        <translation>显示的提示词</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the statistics and the heat map as a picture</source>
        <translation>将统计数据和热力图导出为图片</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
</context>
<context>
    <name>ComparisonExport</name>
    <message>
        <location filename="../../app/compare/comparison_export.cpp" line="+47"/>
        <location line="+39"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Cannot take a picture of the page: it is not shown.</source>
        <translation>无法截取页面：页面未显示。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nothing to export.</source>
        <translation>没有可导出的内容。</translation>
    </message>
</context>
<context>
    <name>ContextSlider</name>
    <message>
        <location filename="../../app/models/ContextSlider.qml" line="+31"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>%L1 tokens</source>
        <translation>%L1 个 token</translation>
    </message>
</context>
<context>
    <name>ConversationExport</name>
    <message>
        <location filename="../../app/conversations/conversation_export.cpp" line="+167"/>
        <source>1 token</source>
        <translation>1 个 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cut short: you asked to answer</source>
        <translation>提前中断：你要求立即回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cut short: the thinking budget was reached</source>
        <translation>提前中断：已达到思考预算</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reasoning (%1, %2)</source>
        <translation>推理（%1，%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Reasoning (%1)</source>
        <translation>推理（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No answer</source>
        <translation>没有回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Still being written when exported</source>
        <translation>导出时仍在生成中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped before the end</source>
        <translation>在结束前已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answer failed: %1</source>
        <translation>回答失败：%1</translation>
    </message>
    <message>
        <location line="+57"/>
        <location line="+16"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>ConversationRow</name>
    <message>
        <location filename="../../app/chat/ConversationRow.qml" line="+32"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1, open</source>
        <translation>%1，已打开</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export to Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export conversation %1 to Markdown</source>
        <translation>将对话 %1 导出为 Markdown</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Conversation title</source>
        <translation>对话标题</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rename (F2)</source>
        <translation>重命名（F2）</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+57"/>
        <source>Rename conversation %1</source>
        <translation>重命名对话 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete (Del)</source>
        <translation>删除（Del）</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>Delete conversation %1</source>
        <translation>删除对话 %1</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../app/chat/ConversationSidebar.qml" line="+40"/>
        <source>Ponder</source>
        <translation>Ponder</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new chat</source>
        <translation>开始新的聊天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Nothing found</source>
        <translation>没有找到任何结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a model…</source>
        <translation>选择模型…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models: choose, download or open a model</source>
        <translation>模型：选择、下载或打开模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Export the conversation to Markdown</source>
        <translation>将对话导出为 Markdown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown（*.md）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The conversation was not exported</source>
        <translation>对话未导出</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Delete conversation?</source>
        <translation>要删除对话吗？</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“%1” and all its messages will be deleted.</source>
        <translation>“%1”及其所有消息都会被删除。</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../app/downloads/DownloadRow.qml" line="+35"/>
        <source>%1 h %2 min left</source>
        <translation>剩余 %1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s left</source>
        <translation>剩余 %1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the partial file…</source>
        <translation>正在检查未完成的文件…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 · %3/s · %4</source>
        <translation>%1 / %2 · %3/s · %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retrying: %1</source>
        <translation>重试中：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused at %1 of %2</source>
        <translation>已暂停于 %1 / %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking the file against its repository&apos;s file list…</source>
        <translation>正在根据仓库的文件列表检查文件…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloaded, not verified: %1 · %2</source>
        <translation>已下载，未验证：%1 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloaded and verified · %1</source>
        <translation>已下载并验证 · %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Queued at %1 of %2: starts when another download ends</source>
        <translation>已排队，当前 %1 / %2：其他下载结束后开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queued: starts when another download ends</source>
        <translation>已排队：其他下载结束后开始</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (part %2 of %3)</source>
        <translation>%1（第 %2 部分，共 %3 部分）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause the download of %1</source>
        <translation>暂停下载 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the download of %1</source>
        <translation>继续下载 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel the download of %1 and delete its partial file</source>
        <translation>取消下载 %1 并删除其未完成的文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download progress of %1</source>
        <translation>%1 的下载进度</translation>
    </message>
</context>
<context>
    <name>DownloadState</name>
    <message>
        <location filename="../../app/downloads/download_state.cpp" line="+74"/>
        <source>nothing to download</source>
        <translation>没有要下载的内容</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” is not an http or https address</source>
        <translation>“%1”不是 http 或 https 地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no file name for %1</source>
        <translation>%1 没有文件名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is not a SHA-256 (64 hex digits)</source>
        <translation>“%1”不是 SHA-256（64 个十六进制数字）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>two parts would be saved as %1</source>
        <translation>有两个部分会被保存为 %1</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
</context>
<context>
    <name>FileHash</name>
    <message>
        <location filename="../../app/downloads/file_hash.cpp" line="+26"/>
        <location line="+7"/>
        <source>could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is shorter than expected</source>
        <translation>%1 比预期的短</translation>
    </message>
</context>
<context>
    <name>FirstRunChoice</name>
    <message>
        <location filename="../../app/welcome/first_run_choice.cpp" line="+84"/>
        <source>with room for an %1 context</source>
        <translation>还能容纳 %1 上下文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>with an %1 context, but little to spare</source>
        <translation>可容纳 %1 上下文，但所剩无几</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs on your CPU, in %1 of RAM, %2: it needs %3 of the %4 free.</source>
        <translation>可在你的 CPU 上运行（内存 %1），%2：需要 %3，可用 %4。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fits your %1 (%2) %3: it needs %4 of the %5 free.</source>
        <translation>适合你的 %1（%2），%3：需要 %4，可用 %5。</translation>
    </message>
</context>
<context>
    <name>FitBadge</name>
    <message>
        <location filename="../../app/models/FitBadge.qml" line="+20"/>
        <source>Fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tight</source>
        <translation>勉强放得下</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>拆分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split, tight</source>
        <translation>拆分，勉强</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Does not fit</source>
        <translation>放不下</translation>
    </message>
</context>
<context>
    <name>HeatLegend</name>
    <message>
        <location filename="../../app/compare/HeatLegend.qml" line="+18"/>
        <source>KLD (nats):</source>
        <translation>KLD（nats）：</translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <location filename="../../app/compare/HeatMap.qml" line="+23"/>
        <source>Heat map</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The quant whose divergence tints the tokens</source>
        <translation>以其散度为 token 着色的量化版本</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The reference&apos;s answer, each token tinted by how far %1&apos;s prediction of it strays (KL divergence). Italic: reasoning. Hover a token for both models&apos; next tokens.</source>
        <translation>参考版本的回答，每个 token 按 %1 对它的预测偏离多少（KL 散度）着色。斜体：推理。将鼠标悬停在 token 上可查看两个模型预测的下一个 token。</translation>
    </message>
</context>
<context>
    <name>HfListing</name>
    <message>
        <location filename="../../app/downloads/hf_listing.cpp" line="+104"/>
        <source>no file to look for in the file list</source>
        <translation>文件列表中没有要找的文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the file list is larger than %1 MB</source>
        <translation>文件列表大于 %1 MB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list is not valid JSON (%1 at byte %2)</source>
        <translation>文件列表不是有效的 JSON（%1，位于第 %2 字节）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list is not a list of files</source>
        <translation>文件列表不是文件的列表</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file list names the file more than once</source>
        <translation>文件列表多次列出这个文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the file list does not call it a file</source>
        <translation>文件列表没有把它列为文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list gives no SHA-256 for it (it is not stored with Git LFS)</source>
        <translation>文件列表没有提供它的 SHA-256（它未使用 Git LFS 存储）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file list&apos;s SHA-256 for it is not a SHA-256</source>
        <translation>文件列表中它的 SHA-256 不是 SHA-256</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the file list&apos;s size for it is not a size</source>
        <translation>文件列表中它的大小不是有效的大小</translation>
    </message>
</context>
<context>
    <name>HttpRange</name>
    <message>
        <location filename="../../app/common/http_range.cpp" line="+111"/>
        <source>the server answered %1</source>
        <translation>服务器返回 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered %1 %2</source>
        <translation>服务器返回 %1 %2</translation>
    </message>
</context>
<context>
    <name>KeyFile</name>
    <message>
        <location filename="../../app/chat/key_file.cpp" line="+64"/>
        <source>could not delete the saved key in %1</source>
        <translation>无法删除 %1 中保存的密钥</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not make the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>other accounts could read it</source>
        <translation>其他账户可以读取它</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not save the key in %1: %2</source>
        <translation>无法将密钥保存在 %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>could not save the key in %1: other accounts could read it</source>
        <translation>无法将密钥保存在 %1：其他账户可以读取它</translation>
    </message>
</context>
<context>
    <name>KldChart</name>
    <message>
        <location filename="../../app/compare/KldChart.qml" line="+77"/>
        <source>mean %1 · 99% %2</source>
        <translation>平均 %1 · 99% %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>KL divergence from the reference (nats, log scale)</source>
        <translation>与参考版本的 KL 散度（nats，对数刻度）</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../../app/shell/Main.qml" line="+30"/>
        <source>Ponder — %1</source>
        <translation>Ponder — %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ponder</source>
        <translation>Ponder</translation>
    </message>
    <message>
        <location line="+242"/>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型（*.gguf）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>所有文件（*）</translation>
    </message>
</context>
<context>
    <name>MathBlock</name>
    <message>
        <location filename="../../app/chat/math/MathBlock.qml" line="+93"/>
        <source>Copy LaTeX</source>
        <translation>复制 LaTeX</translation>
    </message>
</context>
<context>
    <name>MessageArea</name>
    <message>
        <location filename="../../app/chat/MessageArea.qml" line="+42"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Think it through.</source>
        <translation>好好想一想。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ask %1 anything. Its reasoning appears above each answer.</source>
        <translation>问 %1 任何问题。它的推理会显示在每个回答上方。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a DeepSeek-R1 model to start. Its reasoning appears above each answer.</source>
        <translation>打开 DeepSeek-R1 模型即可开始。它的推理会显示在每个回答上方。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opening the model…</source>
        <translation>正在打开模型…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a model…</source>
        <translation>选择模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
</context>
<context>
    <name>ModelFit</name>
    <message>
        <location filename="../../app/models/model_fit.cpp" line="+65"/>
        <source>cannot run on the CPU: %1</source>
        <translation>无法在 CPU 上运行：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot run on this GPU: %1</source>
        <translation>无法在这个 GPU 上运行：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>needs %1, %2 free</source>
        <translation>需要 %1，可用 %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>needs %1, %2%3free</source>
        <translation>需要 %1，%2%3可用</translation>
    </message>
</context>
<context>
    <name>ModelHeader</name>
    <message>
        <location filename="../../app/models/ModelHeader.qml" line="+38"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the quants of %1: quality against memory</source>
        <translation>比较 %1 的量化版本：质量与内存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare its quants: quality lost against memory</source>
        <translation>比较它的量化版本：损失的质量与内存</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 parameters · from %2</source>
        <translation>%1 参数 · 来自 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pass@1 in percent, from DeepSeek&apos;s evaluation of the distilled models</source>
        <translation>Pass@1 百分比，取自 DeepSeek 对蒸馏模型的评测</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../../app/models/ModelPicker.qml" line="+61"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No device found</source>
        <translation>未找到设备</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device to plan for</source>
        <translation>规划所用的设备</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quality overview</source>
        <translation>质量总览</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare all models: score, memory and quality lost</source>
        <translation>比较所有模型：分数、内存和损失的质量</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import .gguf…</source>
        <translation>导入 .gguf…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a GGUF model file</source>
        <translation>导入 GGUF 模型文件</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>RAM the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: leave room for them. ★ marks the best quality that fits.</source>
        <translation>模型在 %L1 个 token 的上下文下所需的内存。R1 会推理数千个 token：请为它们留出空间。★ 标出放得下的最佳质量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GPU memory the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: leave room for them. ★ marks the best quality that fits. Split: layers that do not fit the GPU run on the CPU, slower (the speed is an estimate).</source>
        <translation>模型在 %L1 个 token 的上下文下所需的显存。R1 会推理数千个 token：请为它们留出空间。★ 标出放得下的最佳质量。拆分：GPU 放不下的层在 CPU 上运行，速度较慢（速度为估计值）。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Models and quantizations</source>
        <translation>模型和量化版本</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Load a file that was not verified?</source>
        <translation>要加载未经验证的文件吗？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Load anyway</source>
        <translation>仍然加载</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 was downloaded, but nothing could confirm it is the file its repository holds: %2

A damaged or altered model can give wrong answers. Download it again to verify it, or load it anyway.</source>
        <translation>%1 已下载，但无法确认它就是其仓库中的文件：%2

损坏或被篡改的模型可能给出错误的回答。请重新下载以验证，或仍然加载。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Import a model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型（*.gguf）</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <location filename="../../app/models/ModelsPage.qml" line="+47"/>
        <source>Save downloaded models in</source>
        <translation>下载的模型保存于</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Downloads · saved in %1</source>
        <translation>下载 · 保存于 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No downloads. Models are saved in %1</source>
        <translation>没有下载。模型保存于 %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a GGUF model file</source>
        <translation>打开 GGUF 模型文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a server…</source>
        <translation>使用服务器…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat with a model on an OpenAI-compatible server</source>
        <translation>与 OpenAI 兼容服务器上的模型聊天</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compare quants…</source>
        <translation>比较量化版本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare downloaded quants side by side</source>
        <translation>并排比较已下载的量化版本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change folder…</source>
        <translation>更改文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the folder downloads are saved in</source>
        <translation>更改下载的保存文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Back to the chat</source>
        <translation>返回聊天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the models page</source>
        <translation>关闭模型页面</translation>
    </message>
</context>
<context>
    <name>OpenAiProtocol</name>
    <message>
        <location filename="../../app/server/openai_protocol.cpp" line="+41"/>
        <source>the server redirected to %1, without encryption; Ponder does not follow that</source>
        <translation>服务器重定向到 %1，未加密；Ponder 不会跟随</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server redirected to %1, another address; Ponder does not send the API key and the conversation there (use that address if it is the right one)</source>
        <translation>服务器重定向到另一个地址 %1；Ponder 不会把 API 密钥和对话发送到那里（如果那才是正确的地址，请直接使用它）</translation>
    </message>
</context>
<context>
    <name>OpenOfferDialog</name>
    <message>
        <location filename="../../app/shell/OpenOfferDialog.qml" line="+27"/>
        <source>Load %1?</source>
        <translation>要加载 %1 吗？</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The current chat&apos;s model, %1, will be unloaded first.</source>
        <translation>当前聊天的模型 %1 会先被卸载。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another window asked Ponder to open this model.</source>
        <translation>另一个窗口要求 Ponder 打开这个模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PlacementSettings</name>
    <message>
        <location filename="../../app/models/placement_settings.cpp" line="+36"/>
        <source>“%1” is not a share: give a number of at least 0 per GPU, as in 8,6,6,6</source>
        <translation>“%1”不是份额：每个 GPU 请给出一个至少为 0 的数字，例如 8,6,6,6</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>at least one GPU&apos;s share must be more than 0</source>
        <translation>至少要有一个 GPU 的份额大于 0</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../app/models/quality_point.cpp" line="+34"/>
        <source>%1 %2 · %3 download</source>
        <translation>%1 %2 · 下载 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RAM %1</source>
        <translation>内存 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at %2 tokens of context</source>
        <translation>%1，上下文 %2 个 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean KLD 0: the reference it was measured against</source>
        <translation>平均 KLD 0：测量它时所对照的参考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean KLD 0: the reference the others are compared with</source>
        <translation>平均 KLD 0：其他版本比较时所用的参考</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean KLD %1 (measured on this machine against %2, %3 tokens)</source>
        <translation>平均 KLD %1（在这台电脑上对照 %2 测得，%3 个 token）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean KLD %1 (typical for %2: llama.cpp, %3)</source>
        <translation>平均 KLD %1（%2 的典型值：llama.cpp，%3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Same top token %1%</source>
        <translation>首选 token 相同 %1%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same top token: not published</source>
        <translation>首选 token 相同：未公布</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2% (published for the unquantized model)</source>
        <translation>%1 %2%（未量化模型的公布值）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>★ Recommended: the best quality that fits</source>
        <translation>★ 推荐：放得下的最佳质量</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>MATH-500 pass@1</source>
        <translation>MATH-500 pass@1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AIME 2024 pass@1</source>
        <translation>AIME 2024 pass@1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPQA Diamond pass@1</source>
        <translation>GPQA Diamond pass@1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LiveCodeBench pass@1</source>
        <translation>LiveCodeBench pass@1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fits, tight</source>
        <translation>勉强放得下</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split</source>
        <translation>拆分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split, tight</source>
        <translation>拆分，勉强</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not fit</source>
        <translation>放不下</translation>
    </message>
</context>
<context>
    <name>QualityChart</name>
    <message>
        <location filename="../../app/models/QualityChart.qml" line="+72"/>
        <source>%1: quality lost against memory</source>
        <translation>%1：损失的质量与内存</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lower is closer to F16: the mean KL divergence of each quant&apos;s next-token probabilities from F16&apos;s, over every token (log scale). Hover a point for its figures.</source>
        <translation>越低越接近 F16：每个量化版本的下一个 token 概率分布与 F16 的平均 KL 散度，涵盖每一个 token（对数刻度）。将鼠标悬停在点上可查看数值。</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+117"/>
        <source>measured on this machine</source>
        <translation>在这台电脑上测得</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>measured on this machine (none yet)</source>
        <translation>在这台电脑上测得（暂无）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>★ recommended: %1</source>
        <translation>★ 推荐：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (beyond the right edge)</source>
        <translation>%1（超出右边界）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Mean KL divergence from F16 (log)</source>
        <translation>与 F16 的平均 KL 散度（对数）</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>%1 (reference, KLD 0)</source>
        <translation>%1（参考，KLD 0）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Typical figures: llama.cpp&apos;s perplexity tool on Llama-3-8B against F16, not this model; the compare page measures yours. Source: %1</source>
        <translation>典型数值：llama.cpp 的 perplexity 工具在 Llama-3-8B 上对照 F16 测得，并非这个模型；比较页面可以测量你的模型。来源：%1</translation>
    </message>
</context>
<context>
    <name>QualityOverview</name>
    <message>
        <location filename="../../app/models/QualityOverview.qml" line="+109"/>
        <source>All six distills: score against memory</source>
        <translation>全部六个蒸馏模型：分数与内存</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Benchmark the rows are placed by</source>
        <translation>各行依据的评测基准</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Each row is one model at its published score; along it, its quants by the memory they need. Bigger, redder markers lose more against F16 (typical mean KL divergence). Hover a point for its figures.</source>
        <translation>每一行是一个模型，位于其公布的分数；沿着这一行，是它按所需内存排列的量化版本。标记越大、越红，与 F16 相比损失越多（典型平均 KL 散度）。将鼠标悬停在点上可查看数值。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 · KLD %2</source>
        <translation>%1 · KLD %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · no published figure</source>
        <translation>%1 · 没有公布的数值</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>filled: measured here</source>
        <translation>实心：在此测得</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>★ recommended</source>
        <translation>★ 推荐</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>, log scale</source>
        <translation>，对数刻度</translation>
    </message>
</context>
<context>
    <name>QualityPopup</name>
    <message>
        <location filename="../../app/models/QualityPopup.qml" line="+59"/>
        <source>This model&apos;s quants</source>
        <translation>这个模型的量化版本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All six distills</source>
        <translation>全部六个蒸馏模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the quality charts</source>
        <translation>关闭质量图表</translation>
    </message>
</context>
<context>
    <name>QuantCell</name>
    <message>
        <location filename="../../app/models/QuantCell.qml" line="+60"/>
        <location line="+50"/>
        <source>%1 download</source>
        <translation>下载 %1</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not verified: %1</source>
        <translation>未验证：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>From the downloaded file</source>
        <translation>来自已下载的文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the file&apos;s header</source>
        <translation>来自文件的头部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the model&apos;s configuration</source>
        <translation>来自模型的配置</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Recommended: the best quality that fits</source>
        <translation>推荐：放得下的最佳质量</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>⚠ %1 on disk, not verified</source>
        <translation>⚠ %1 已在磁盘上，未验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✓ %1 on disk</source>
        <translation>✓ %1 已在磁盘上</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Downloaded without a checksum to check it against: %1</source>
        <translation>下载时没有可供核对的校验和：%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Load %1 %2</source>
        <translation>加载 %1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download %1 %2</source>
        <translation>下载 %1 %2</translation>
    </message>
</context>
<context>
    <name>ReasoningPiece</name>
    <message>
        <location filename="../../app/chat/ReasoningPiece.qml" line="+35"/>
        <source>Reasoning: %1</source>
        <translation>推理：%1</translation>
    </message>
</context>
<context>
    <name>ReasoningSection</name>
    <message>
        <location filename="../../app/chat/ReasoningSection.qml" line="+57"/>
        <source>Reasoning shown; press to hide it</source>
        <translation>推理已显示；按下以隐藏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning hidden; press to show it</source>
        <translation>推理已隐藏；按下以显示</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer now</source>
        <translation>立即回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop thinking and answer now</source>
        <translation>停止思考，立即回答</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ends the reasoning where it stands; the model answers from what it has thought (Ctrl+Enter)</source>
        <translation>在推理当前的位置结束推理；模型根据已想到的内容回答（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A model on a server cannot be told to stop thinking: it reasons until it is done. Stop ends the answer.</source>
        <translation>无法让服务器上的模型停止思考：它会一直推理到完成。“停止”会结束回答。</translation>
    </message>
</context>
<context>
    <name>SavedComparisons</name>
    <message>
        <location filename="../../app/compare/SavedComparisons.qml" line="+17"/>
        <location line="+12"/>
        <source>Earlier comparisons</source>
        <translation>以前的比较</translation>
    </message>
</context>
<context>
    <name>SchemaMigrations</name>
    <message>
        <location filename="../../app/conversations/schema_migrations.cpp" line="+37"/>
        <source>it was written by a newer version of Ponder (schema %1, this one knows %2)</source>
        <translation>它是由较新版本的 Ponder 写入的（架构 %1，此版本只支持到 %2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no schema version %1</source>
        <translation>没有架构版本 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>migrating to schema %1 failed: %2</source>
        <translation>迁移到架构 %1 失败：%2</translation>
    </message>
</context>
<context>
    <name>ServeSettings</name>
    <message>
        <location filename="../../app/chat/ServeSettings.qml" line="+20"/>
        <source>Serve the open model on localhost:%1</source>
        <translation>在 localhost:%1 上提供打开的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Serve the open model over the OpenAI-compatible API</source>
        <translation>通过 OpenAI 兼容 API 提供打开的模型</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Port to serve the model on</source>
        <translation>提供模型服务的端口</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>API key (optional)</source>
        <translation>API 密钥（可选）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The saved key (type another to replace it)</source>
        <translation>已保存的密钥（输入另一个即可替换）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None: any program on this computer may ask</source>
        <translation>无：这台电脑上的任何程序都可以访问</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key clients of this server must send</source>
        <translation>这个服务器的客户端必须发送的 API 密钥</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Remove the key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the key of this server</source>
        <translation>移除这个服务器的密钥</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only on 127.0.0.1: programs on this computer can use the model, nothing else can reach it. The chat and the server take turns on the one model; a model on a server is not served. For other machines, run ponder-server.</source>
        <translation>仅在 127.0.0.1 上：这台电脑上的程序可以使用模型，其他任何设备都无法访问。聊天和服务器轮流使用同一个模型；服务器上的模型不会被提供。如需供其他电脑使用，请运行 ponder-server。</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../app/chat/ServerDialog.qml" line="+26"/>
        <source>Use a server</source>
        <translation>使用服务器</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>For models beyond this GPU: any OpenAI-compatible server, such as vLLM, SGLang, llama.cpp&apos;s server, or the DeepSeek API (https://api.deepseek.com). Reasoning shows as it does for local models.</source>
        <translation>适用于这个 GPU 跑不动的模型：任何 OpenAI 兼容服务器，例如 vLLM、SGLang、llama.cpp 的服务器，或 DeepSeek API（https://api.deepseek.com）。推理的显示方式与本地模型相同。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>http://gpu-server:8000</source>
        <translation>http://gpu-server:8000</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+8"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The saved key (type another to replace it)</source>
        <translation>已保存的密钥（输入另一个即可替换）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only if the server asks for one</source>
        <translation>仅在服务器要求时需要</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not saved (%1); it is used until Ponder quits.</source>
        <translation>未保存（%1）；在 Ponder 退出前都会使用它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stored in the system keyring, for this address only.</source>
        <translation>保存在系统密钥环中，只用于这个地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, readable by your account only, for this address only.</source>
        <translation>%1，只有你的账户可以读取，且只用于这个地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key and the address&apos;s user name and password are saved in files of their own, readable by your account only, for this address only.</source>
        <translation>密钥以及地址中的用户名和密码各自保存在单独的文件中，只有你的账户可以读取，且只用于这个地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key is saved in a file of its own, readable by your account only, for this address only.</source>
        <translation>密钥保存在单独的文件中，只有你的账户可以读取，且只用于这个地址。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forget the saved key and password</source>
        <translation>忘记已保存的密钥和密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget the saved API key and password</source>
        <translation>忘记已保存的 API 密钥和密码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model name on the server</source>
        <translation>服务器上的模型名称</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>%n model(s) on this server</source>
        <translation>
            <numerusform>这个服务器上有 %n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the server&apos;s first model</source>
        <translation>留空：使用服务器的第一个模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel, keeping the model in use</source>
        <translation>取消，继续使用当前的模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect to the server</source>
        <translation>连接到服务器</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/chat/SettingsDialog.qml" line="+21"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The defaults follow DeepSeek&apos;s advice for R1 and its distills: a temperature of 0.5 to 0.7 (0.6 here), so that the model neither repeats itself without end nor loses its thread; top-p 0.95; no system prompt, every instruction in your message instead; for math, the Math switch asks it to reason step by step and put the final answer in %1. Every answer starts with “&lt;think&gt;” and a new line, so the model always reasons first.</source>
        <translation>默认值遵循 DeepSeek 对 R1 及其蒸馏模型的建议：温度 0.5 到 0.7（这里为 0.6），让模型既不会无休止地重复，也不会失去思路；top-p 0.95；不使用系统提示词，所有指令都写在你的消息中；数学题可打开“数学”开关，要求模型逐步推理，并把最终答案放在 %1 中。每个回答都以“&lt;think&gt;”和换行开头，因此模型总是先推理。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DeepSeek recommends 0.5–0.7 for R1; 0 always picks the likeliest token</source>
        <translation>DeepSeek 建议 R1 使用 0.5–0.7；0 总是选择最可能的 token</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Outside DeepSeek&apos;s 0.5–0.7: R1 may repeat itself without end or lose its thread.</source>
        <translation>超出 DeepSeek 建议的 0.5–0.7：R1 可能无休止地重复，或失去思路。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DeepSeek uses 0.95 for R1</source>
        <translation>DeepSeek 对 R1 使用 0.95</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 turns it off</source>
        <translation>0 表示关闭</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 turns it off</source>
        <translation>1 表示关闭</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Top-k (0: off)</source>
        <translation>Top-k（0：关闭）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+7"/>
        <source>Maximum tokens per answer</source>
        <translation>每个回答的最大 token 数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thinking budget (reasoning tokens)</source>
        <translation>思考预算（推理 token）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thinking budget in reasoning tokens, off for no limit</source>
        <translation>以推理 token 计的思考预算，关闭表示不限制</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>After this many reasoning tokens (%1 to %2) the model stops thinking and answers from what it has thought, as “Answer now” does. Models on this machine only: a server cannot be told.</source>
        <translation>推理 token 达到这个数量（%1 到 %2）后，模型会停止思考，根据已想到的内容回答，就像“立即回答”一样。仅限这台电脑上的模型：无法告知服务器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Context length (next model opened)</source>
        <translation>上下文长度（下次打开模型时）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Context length in tokens</source>
        <translation>以 token 计的上下文长度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Device (next model opened)</source>
        <translation>设备（下次打开模型时）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Looking for devices…</source>
        <translation>正在查找设备…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device the model runs on</source>
        <translation>模型运行所在的设备</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CPU threads (0: one per core)</source>
        <translation>CPU 线程（0：每个核心一个）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Threads of the CPU engine, 0 for one per physical core</source>
        <translation>CPU 引擎的线程数，0 表示每个物理核心一个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers on the GPU (next model opened)</source>
        <translation>GPU 上的层数（下次打开模型时）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Layers on the GPU, automatic for as many as fit</source>
        <translation>GPU 上的层数，自动表示能放多少就放多少</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Automatic runs the whole model on the GPU when it fits there, else as many layers as fit, and the rest on the CPU. The output counts as one layer.</source>
        <translation>“自动”会在 GPU 放得下时把整个模型放在 GPU 上运行，否则尽量多放几层，其余在 CPU 上运行。输出算作一层。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GPUs that take part</source>
        <translation>参与的 GPU</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 takes part</source>
        <translation>%1 参与</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Split shares</source>
        <translation>拆分份额</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>By free memory, or e.g. 8,6,6,6</source>
        <translation>按可用显存，或例如 8,6,6,6</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shares of the layers per GPU, in device order</source>
        <translation>每个 GPU 分到的层数份额，按设备顺序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>KV cache (next model opened)</source>
        <translation>KV 缓存（下次打开模型时）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>f16</source>
        <translation>f16</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>q8_0: about half the memory</source>
        <translation>q8_0：内存约减半</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type of the KV cache</source>
        <translation>KV 缓存的类型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seed (0: random)</source>
        <translation>种子（0：随机）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seed, 0 for a random one each answer</source>
        <translation>种子，0 表示每个回答随机生成一个</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+10"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+7"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Changes at once; a few texts made earlier (the times under answers, the device names) follow at the next start.</source>
        <translation>立即生效；少数先前生成的文字（回答下方的时间、设备名称）会在下次启动时更新。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Math: ask for step-by-step reasoning and a %1 answer</source>
        <translation>数学：要求逐步推理，并把答案放在 %1 中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Math instruction</source>
        <translation>数学指令</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>System prompt (DeepSeek advises none for R1)</source>
        <translation>系统提示词（DeepSeek 建议 R1 不使用）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset the settings to their defaults</source>
        <translation>将设置恢复为默认值</translation>
    </message>
</context>
<context>
    <name>SideBySide</name>
    <message>
        <location filename="../../app/compare/SideBySide.qml" line="+18"/>
        <source>Side by side</source>
        <translation>并排</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>%1 (reference)</source>
        <translation>%1（参考）</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../app/shell/single_instance.cpp" line="+69"/>
        <location line="+100"/>
        <source>the message is too long</source>
        <translation>消息太长</translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+4"/>
        <source>the message is not understood</source>
        <translation>无法理解消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the message names no file</source>
        <translation>消息中没有指定文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the path is not absolute</source>
        <translation>路径不是绝对路径</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a regular file</source>
        <translation>%1 不是普通文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a .gguf file</source>
        <translation>%1 不是 .gguf 文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cannot be read</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a GGUF model</source>
        <translation>%1 不是 GGUF 模型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the running Ponder did not take the message</source>
        <translation>正在运行的 Ponder 没有接受消息</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the running Ponder did not answer</source>
        <translation>正在运行的 Ponder 没有响应</translation>
    </message>
</context>
<context>
    <name>SplitFit</name>
    <message>
        <location filename="../../app/models/split_fit.cpp" line="+76"/>
        <source>all %1 layers on the CPU</source>
        <translation>全部 %1 层都在 CPU 上</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 layers on the GPU</source>
        <translation>%2 层中的 %1 层在 GPU 上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 layers on %3 GPUs</source>
        <translation>%2 层中的 %1 层在 %3 个 GPU 上</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 layers on %3</source>
        <translation>%2 层中的 %1 层在 %3 上</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 on %2</source>
        <translation>%1 层在 %2 上</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 on the CPU</source>
        <translation>%1 层在 CPU 上</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>about %1 tok/s (estimate)</source>
        <translation>约 %1 tok/s（估计）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GPUs: %1 of %2 layers</source>
        <translation>GPU：%2 层中的 %1 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: %1 of %2 layers</source>
        <translation>GPU：%2 层中的 %1 层</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CPU: %1 · %2</source>
        <translation>CPU：%1 层 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU: all %1 layers</source>
        <translation>CPU：全部 %1 层</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>estimated %1 tok/s</source>
        <translation>估计 %1 tok/s</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>RAM %1</source>
        <translation>内存 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPUs %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 + RAM %2</source>
        <translation>%1 + 内存 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2 of RAM, %3 available</source>
        <translation>%1：%2 内存，可用 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3 free</source>
        <translation>%1：使用 %2，可用 %3</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the split settings do not suit these GPUs: %1</source>
        <translation>拆分设置不适用于这些 GPU：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Split: %1</source>
        <translation>拆分：%1</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../app/chat/StatusLine.qml" line="+44"/>
        <source>Opening the model…</source>
        <translation>正在打开模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model open (Ctrl+M to choose one)</source>
        <translation>尚未打开模型（按 Ctrl+M 选择）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Waiting: the server is answering a request</source>
        <translation>等待中：服务器正在处理一个请求</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel loading the model</source>
        <translation>取消加载模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Looking for devices…</source>
        <translation>正在查找设备…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%2: %1 · %3 RAM free of %4</source>
        <translation>%2：%1 · 可用内存 %3 / %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: %1 (%2) · %3 free of %4</source>
        <translation>GPU：%1（%2）· 可用 %3 / %4</translation>
    </message>
</context>
<context>
    <name>UnverifiedMark</name>
    <message>
        <location filename="../../app/downloads/unverified_mark.h" line="+58"/>
        <source>could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>it was downloaded without a checksum to verify it against</source>
        <translation>下载时没有可供验证的校验和</translation>
    </message>
</context>
<context>
    <name>UserMessage</name>
    <message>
        <location filename="../../app/chat/UserMessage.qml" line="+50"/>
        <source>You: %1</source>
        <translation>你：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send the edited message</source>
        <translation>发送编辑后的消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit and resend this message</source>
        <translation>编辑并重新发送这条消息</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy this message</source>
        <translation>复制这条消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this message and the answers after it</source>
        <translation>删除这条消息及其后的回答</translation>
    </message>
</context>
<context>
    <name>VersionSwitcher</name>
    <message>
        <location filename="../../app/chat/VersionSwitcher.qml" line="+21"/>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Version %1 of %2</source>
        <translation>第 %1 个版本，共 %2 个</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../app/welcome/WelcomePage.qml" line="+41"/>
        <source>Welcome to Ponder</source>
        <translation>欢迎使用 Ponder</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ponder runs DeepSeek-R1&apos;s distilled reasoning models on this computer. Nothing is downloaded until you ask.</source>
        <translation>Ponder 在这台电脑上运行 DeepSeek-R1 的蒸馏推理模型。在你要求之前，不会下载任何东西。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Found on this computer</source>
        <translation>在这台电脑上找到</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Looking for GPUs…</source>
        <translation>正在查找 GPU…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 · %2 of RAM</source>
        <translation>%1 · %2 内存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Recommended for you</source>
        <translation>为你推荐</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No model fits</source>
        <translation>没有放得下的模型</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Published scores: %1</source>
        <translation>公布的分数：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Download (%1)</source>
        <translation>下载（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download %1 %2</source>
        <translation>下载 %1 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+57"/>
        <source>Use a server…</source>
        <translation>使用服务器…</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose another model</source>
        <translation>选择其他模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not now</source>
        <translation>暂时不要</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the welcome and show the empty chat</source>
        <translation>关闭欢迎页面并显示空白聊天</translation>
    </message>
</context>
<context>
    <name>ponder::app::AnswerListModel</name>
    <message>
        <location filename="../../app/compare/answer_list_model.cpp" line="+71"/>
        <source>Departs from the reference at token %1 (in the %2): “%3” where the reference has “%4”</source>
        <translation>从第 %1 个 token 起与参考不同（在%2中）：“%3”，参考为“%4”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same tokens as the reference throughout</source>
        <translation>从头到尾都与参考的 token 相同</translation>
    </message>
</context>
<context>
    <name>ponder::app::CandidateListModel</name>
    <message>
        <location filename="../../app/compare/candidate_list_model.cpp" line="+84"/>
        <source>Choose two to five files of one model (%1 chosen).</source>
        <translation>请选择同一个模型的二到五个文件（已选 %1 个）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 cannot be read as a model.</source>
        <translation>无法把 %1 作为模型读取。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>These files do not share a tokenizer (%1 and %2): choose quants of one model.</source>
        <translation>这些文件的分词器不同（%1 和 %2）：请选择同一个模型的量化版本。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ChatEngine</name>
    <message>
        <location filename="../../app/chat/engine_guard.cpp" line="+32"/>
        <source>The engine failed: %1</source>
        <translation>引擎出错：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The engine failed with an unknown error.</source>
        <translation>引擎发生未知错误。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not enough memory (RAM): the engine could not allocate what it needs. Try a smaller model or quantization, or a shorter context length.</source>
        <translation>内存（RAM）不足：引擎无法分配所需的内存。请改用较小的模型或量化版本，或缩短上下文长度。</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine_load.cpp" line="+63"/>
        <source>Opening the model was cancelled.</source>
        <translation>已取消打开模型。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>No usable GPU: %1</source>
        <translation>没有可用的 GPU：%1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>%1 (%2) on %3</source>
        <translation>%1（%2）在 %3 上</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> · %1 on the GPU (measured: %2)</source>
        <translation> · GPU 上 %1（实测：%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · %1 on the GPU</source>
        <translation> · GPU 上 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> · %1 of RAM, 1 thread</source>
        <translation> · 内存 %1，1 个线程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> · %1 of RAM, %2 threads</source>
        <translation> · 内存 %1，%2 个线程</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine.cpp" line="+76"/>
        <source>%1 The model was closed; open it again to go on.</source>
        <translation>%1 模型已关闭；请重新打开以继续。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No model is loaded. Open a model first.</source>
        <translation>尚未加载模型。请先打开模型。</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine_split.cpp" line="+36"/>
        <source>Not enough memory for the model, even split across the GPU and the CPU. Try a smaller model or quantization, a shorter context length, or fewer layers on the GPU. (%1)</source>
        <translation>即使拆分到 GPU 和 CPU，内存仍不足以容纳模型。请改用较小的模型或量化版本、缩短上下文长度，或减少 GPU 上的层数。（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The split settings do not suit this model or these GPUs: %1. Change the layers on the GPU, the GPUs that take part or the split shares in the settings.</source>
        <translation>拆分设置不适用于这个模型或这些 GPU：%1。请在设置中更改 GPU 上的层数、参与的 GPU 或拆分份额。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot open GPU %1, which the settings have take part in the split: %2</source>
        <translation>无法打开设置中指定参与拆分的 GPU %1：%2</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>%1 (%2) · Split: %3 · %4</source>
        <translation>%1（%2）· 拆分：%3 · %4</translation>
    </message>
    <message>
        <location filename="../../app/chat/engine_helpers.cpp" line="+21"/>
        <source>Not enough memory (RAM). Try a smaller model or quantization, or a shorter context length. (%1)</source>
        <translation>内存（RAM）不足。请改用较小的模型或量化版本，或缩短上下文长度。（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not enough GPU memory. Try a smaller model or quantization, or a shorter context length. (%1)</source>
        <translation>显存不足。请改用较小的模型或量化版本，或缩短上下文长度。（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The GPU stopped responding (device lost). Open the model again to go on. (%1)</source>
        <translation>GPU 停止响应（设备丢失）。请重新打开模型以继续。（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot read the model: %1</source>
        <translation>无法读取模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model file is damaged or not a GGUF model: %1</source>
        <translation>模型文件已损坏或不是 GGUF 模型：%1</translation>
    </message>
</context>
<context>
    <name>ponder::app::CompareController</name>
    <message>
        <location filename="../../app/compare/compare_controller.cpp" line="+27"/>
        <source>The evaluation set is not built into this Ponder.</source>
        <translation>此版本的 Ponder 没有内置评测集。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The evaluation set cannot be read: %1</source>
        <translation>无法读取评测集：%1</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>%1 (the chat&apos;s %2 was closed to make room)</source>
        <translation>%1（为腾出空间，已关闭聊天中的 %2）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>about %1 min left</source>
        <translation>约剩 %1 分钟</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Type a prompt, or choose the evaluation set.</source>
        <translation>请输入提示词，或选择评测集。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The chat is opening a model or answering; stop it, then compare.</source>
        <translation>聊天正在打开模型或回答中；请先停止，再进行比较。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The chat&apos;s model could not be closed to make room for the comparison.</source>
        <translation>无法关闭聊天中的模型，以腾出空间进行比较。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Evaluation set (%1 prompts)</source>
        <translation>评测集（%1 个提示词）</translation>
    </message>
    <message>
        <location filename="../../app/compare/compare_shown.cpp" line="+72"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../../app/compare/compare_saving.cpp" line="+79"/>
        <location line="+24"/>
        <source>No comparison to export.</source>
        <translation>没有可导出的比较。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ComparisonRunner</name>
    <message>
        <location filename="../../app/compare/comparison_runner.cpp" line="+39"/>
        <source>The engine failed: %1</source>
        <translation>引擎出错：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The engine failed with an unknown error.</source>
        <translation>引擎发生未知错误。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not enough memory (RAM) for the comparison. Try smaller quants or fewer tokens.</source>
        <translation>内存（RAM）不足，无法进行比较。请改用较小的量化版本或减少 token 数。</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>A comparison is running already.</source>
        <translation>已经有比较正在运行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose two to five model files to compare.</source>
        <translation>请选择二到五个模型文件进行比较。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type a prompt, or choose the evaluation set.</source>
        <translation>请输入提示词，或选择评测集。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting</source>
        <translation>正在开始</translation>
    </message>
    <message>
        <location line="+27"/>
        <source> (the previous model was closed: one model in memory at a time)</source>
        <translation>（已关闭前一个模型：内存中一次只放一个模型）</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The comparison failed.</source>
        <translation>比较失败。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ComparisonStore</name>
    <message>
        <location filename="../../app/compare/comparison_store.cpp" line="+79"/>
        <source>Cannot open the comparisons database %1: %2</source>
        <translation>无法打开比较数据库 %1：%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot use the comparisons database %1: %2</source>
        <translation>无法使用比较数据库 %1：%2</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+63"/>
        <location line="+107"/>
        <source>The comparisons database is not open.</source>
        <translation>比较数据库未打开。</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>The comparison is incomplete; it was not saved.</source>
        <translation>比较不完整；未保存。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+11"/>
        <location line="+19"/>
        <location line="+9"/>
        <location line="+3"/>
        <source>Cannot save the comparison: %1</source>
        <translation>无法保存比较：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Comparison %1 cannot be opened: %2</source>
        <translation>无法打开比较 %1：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>it is not in the database</source>
        <translation>它不在数据库中</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+3"/>
        <source>its prompts are damaged (%1)</source>
        <translation>它的提示词已损坏（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its token texts are damaged (%1)</source>
        <translation>它的 token 文本已损坏（%1）</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+2"/>
        <source>the details of %1 are damaged (%2)</source>
        <translation>%1 的详细数据已损坏（%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its list of models is damaged</source>
        <translation>它的模型列表已损坏</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the reference&apos;s answers are out of order</source>
        <translation>参考的回答顺序错乱</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the reference&apos;s tokens of prompt %1 are damaged</source>
        <translation>参考在提示词 %1 的 token 已损坏</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the reference&apos;s logits of prompt %1 are damaged (%2)</source>
        <translation>参考在提示词 %1 的 logits 已损坏（%2）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the reference&apos;s answers to %1 of %2 prompts are missing</source>
        <translation>缺少参考对 %2 个提示词中 %1 个的回答</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot delete the comparison: %1</source>
        <translation>无法删除比较：%1</translation>
    </message>
</context>
<context>
    <name>ponder::app::ConversationExporter</name>
    <message>
        <location filename="../../app/chat/conversation_exporter.cpp" line="+60"/>
        <source>There is no such conversation to export.</source>
        <translation>没有这个可导出的对话。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::ConversationStore</name>
    <message>
        <location filename="../../app/conversations/conversation_messages.cpp" line="+63"/>
        <location filename="../../app/conversations/conversation_store.cpp" line="+223"/>
        <location line="+14"/>
        <location line="+14"/>
        <location line="+17"/>
        <source>There is no conversation %1.</source>
        <translation>没有对话 %1。</translation>
    </message>
    <message>
        <location line="+37"/>
        <location filename="../../app/conversations/text_writer.cpp" line="+71"/>
        <source>Cannot save the message: %1</source>
        <translation>无法保存消息：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+61"/>
        <source>There is no message %1.</source>
        <translation>没有消息 %1。</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Cannot delete the message: %1</source>
        <translation>无法删除消息：%1</translation>
    </message>
    <message>
        <location filename="../../app/conversations/conversation_store.cpp" line="-172"/>
        <source>There is no data folder to keep conversations in.</source>
        <translation>没有可存放对话的数据文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot create the folder %1 for the conversations.</source>
        <translation>无法创建存放对话的文件夹 %1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Qt&apos;s SQLite driver is missing</source>
        <translation>缺少 Qt 的 SQLite 驱动</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cannot open the conversation database %1: %2</source>
        <translation>无法打开对话数据库 %1：%2</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Cannot lock the conversation database %1 (is its folder writable?).</source>
        <translation>无法锁定对话数据库 %1（它的文件夹可写吗？）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The conversations in %1 are in use by another Ponder (process %2). Close it, then open Ponder again.</source>
        <translation>%1 中的对话正被另一个 Ponder 使用（进程 %2）。请关闭它，再重新打开 Ponder。</translation>
    </message>
    <message>
        <location line="+211"/>
        <source>No conversation database is open.</source>
        <translation>没有打开的对话数据库。</translation>
    </message>
</context>
<context>
    <name>ponder::app::DownloadManager</name>
    <message>
        <location filename="../../app/downloads/download_manager.cpp" line="+148"/>
        <source>Cannot download: %1</source>
        <translation>无法下载：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot download %1: a download with that name is running</source>
        <translation>无法下载 %1：已有同名的下载正在进行</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot download %1: %2 is already being downloaded for %3</source>
        <translation>无法下载 %1：%2 已在为 %3 下载中</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_queue.cpp" line="+96"/>
        <source>Download of %1 failed: %2</source>
        <translation>%1 下载失败：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::DownloadTask</name>
    <message>
        <location filename="../../app/downloads/download_part_file.cpp" line="+58"/>
        <source>it is a link</source>
        <translation>它是一个链接</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+3"/>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_task.cpp" line="+24"/>
        <source>no data arrived for %1 s</source>
        <translation>%1 秒内没有收到数据</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its repository&apos;s file list did not arrive within %1 s</source>
        <translation>仓库的文件列表没有在 %1 秒内送达</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>its partial file is in use by another Ponder</source>
        <translation>它的未完成文件正被另一个 Ponder 使用</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_part_file.cpp" line="+19"/>
        <source>%1 is not a regular file (a link?); it was left as it is</source>
        <translation>%1 不是普通文件（是链接吗？）；已保持原样</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>could not rename %1 to %2: %3</source>
        <translation>无法将 %1 重命名为 %2：%3</translation>
    </message>
    <message>
        <location line="+116"/>
        <location line="+5"/>
        <source>could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>not enough disk space: it needs %1 more, and %2 has %3 free</source>
        <translation>磁盘空间不足：还需要 %1，而 %2 只有 %3 可用</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_verify.cpp" line="+28"/>
        <source>the file&apos;s SHA-256 is %1, but it should be %2</source>
        <translation>文件的 SHA-256 是 %1，但应该是 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>; the damaged file was deleted</source>
        <translation>；已删除损坏的文件</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_transfer.cpp" line="+64"/>
        <source>the server sent a part of the file without saying which</source>
        <translation>服务器发来文件的一部分，却没有说明是哪一部分</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the server&apos;s file has %1 bytes, but %2 were expected</source>
        <translation>服务器上的文件有 %1 字节，但预期为 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server offers a file with SHA-256 %1, but %2 was expected</source>
        <translation>服务器提供的文件 SHA-256 为 %1，但预期为 %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the server sent bytes from %1 on, not from %2</source>
        <translation>服务器发来的字节从 %1 开始，而不是从 %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the server sent more than the file&apos;s %1 bytes</source>
        <translation>服务器发来的数据超过文件的 %1 字节</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server sent more than %1 bytes without saying how long the file is</source>
        <translation>服务器发来超过 %1 字节，却没有说明文件有多长</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>could not write to %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>the connection ended after %1 of %2 bytes</source>
        <translation>连接在 %2 字节中的第 %1 字节后中断</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the server answered %1 without the file</source>
        <translation>服务器返回 %1，没有提供文件</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (gave up after %2 tries)</source>
        <translation>%1（尝试 %2 次后放弃）</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_verify.cpp" line="+7"/>
        <source>neither the catalog nor its server gave a SHA-256, and it is not from a Hugging Face repository whose file list could give one</source>
        <translation>目录和它的服务器都没有提供 SHA-256，而且它不是来自能提供 SHA-256 文件列表的 Hugging Face 仓库</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>its repository&apos;s file list is not at a secure address on its own server</source>
        <translation>它的仓库文件列表不在其服务器的安全地址上</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>its repository&apos;s file list is larger than %1 MB</source>
        <translation>它的仓库文件列表大于 %1 MB</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>its repository&apos;s file list could not be fetched: %1</source>
        <translation>无法获取它的仓库文件列表：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list could not be fetched: the server answered %1</source>
        <translation>无法获取它的仓库文件列表：服务器返回 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>its repository&apos;s file list cannot be used: %1</source>
        <translation>无法使用它的仓库文件列表：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>its repository&apos;s file list does not name it</source>
        <translation>它的仓库文件列表没有列出它</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list goes on at another address</source>
        <translation>它的仓库文件列表在另一个地址上继续</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list has more than %1 pages</source>
        <translation>它的仓库文件列表超过 %1 页</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the file&apos;s SHA-256 is %1 (%2 bytes), but its repository&apos;s file list says %3 (%4 bytes)</source>
        <translation>文件的 SHA-256 是 %1（%2 字节），但它的仓库文件列表记载为 %3（%4 字节）</translation>
    </message>
</context>
<context>
    <name>ponder::app::GpuSelector</name>
    <message>
        <location filename="../../app/models/gpu_selector.cpp" line="+31"/>
        <source>%1, %2 of RAM</source>
        <translation>%1，%2 内存</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CPU engine</source>
        <translation>CPU 引擎</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>the CPU engine is not in the device list</source>
        <translation>CPU 引擎不在设备列表中</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Vulkan device %1 is not in the device list</source>
        <translation>Vulkan 设备 %1 不在设备列表中</translation>
    </message>
</context>
<context>
    <name>ponder::app::HeatMapModel</name>
    <message>
        <location filename="../../app/compare/heat_map_model.cpp" line="+105"/>
        <source>Token %1: %2</source>
        <translation>Token %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>KLD %1</source>
        <translation>KLD %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Reference (%1) next:</source>
        <translation>参考（%1）的下一个：</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>%1 next:</source>
        <translation>%1 的下一个：</translation>
    </message>
</context>
<context>
    <name>ponder::app::LocalModels</name>
    <message>
        <location filename="../../app/models/local_models.cpp" line="+170"/>
        <source>%1 is not a model Ponder can run: %2</source>
        <translation>%1 不是 Ponder 能运行的模型：%2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>There is not enough memory to read %1&apos;s header; it may be damaged.</source>
        <translation>内存不足，无法读取 %1 的头部；文件可能已损坏。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 is not a file</source>
        <translation>%1 不是文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a GGUF model file (.gguf)</source>
        <translation>%1 不是 GGUF 模型文件（.gguf）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is part of a split model whose first part is missing</source>
        <translation>%1 是拆分模型的一部分，但缺少第一部分</translation>
    </message>
</context>
<context>
    <name>ponder::app::MessageListModel</name>
    <message>
        <location filename="../../app/chat/message_list_model.cpp" line="+17"/>
        <source>1 token</source>
        <translation>1 个 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <location line="+152"/>
        <source>Thinking… %1 s</source>
        <translation>思考中… %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thinking… %1 s · %2</source>
        <translation>思考中… %1 秒 · %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thinking… %1 s · %2 · %3 tokens/s</source>
        <translation>思考中… %1 秒 · %2 · %3 token/秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Thought for %1 s</source>
        <translation>思考了 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thought for %1 s · %2</source>
        <translation>思考了 %1 秒 · %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reasoning ended early: you asked to answer</source>
        <translation>推理提前结束：你要求立即回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reasoning ended early: the thinking budget of %1 was reached</source>
        <translation>推理提前结束：已达到 %1 的思考预算</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 s to first token</source>
        <translation>首个 token 耗时 %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>ponder::app::ModelPickerModel</name>
    <message>
        <location filename="../../app/models/model_picker_adapters.cpp" line="+13"/>
        <source>%1 (%2) · %3 free of %4</source>
        <translation>%1（%2）· 可用 %3 / %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../app/models/model_picker_roles.cpp" line="+35"/>
        <source>RAM %1</source>
        <translation>内存 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
</context>
<context>
    <name>ponder::app::ModelServer</name>
    <message>
        <location filename="../../app/chat/model_server.cpp" line="+78"/>
        <source>Not serving: no model is open</source>
        <translation>未提供服务：没有打开的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not serving: the model runs on a server; Ponder serves only a model on this machine</source>
        <translation>未提供服务：模型在服务器上运行；Ponder 只提供这台电脑上的模型</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not serving: port %1 is in use by another program (choose another port in the settings)</source>
        <translation>未提供服务：端口 %1 正被其他程序使用（请在设置中选择其他端口）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not serving on port %1: %2</source>
        <translation>无法在端口 %1 上提供服务：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Serving on %1</source>
        <translation>正在 %1 上提供服务</translation>
    </message>
</context>
<context>
    <name>ponder::app::OpenAiClient</name>
    <message>
        <location filename="../../app/server/openai_client.cpp" line="+41"/>
        <source>Could not use the server: %1</source>
        <translation>无法使用服务器：%1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>“%1” is not a server address (http://host:port)</source>
        <translation>“%1”不是服务器地址（http://host:port）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the server&apos;s model list is larger than %1 MB</source>
        <translation>服务器的模型列表超过 %1 MB</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 lists no models</source>
        <translation>%1 没有列出任何模型</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Could not use the server: it serves %1, not “%2”</source>
        <translation>无法使用服务器：它提供的是 %1，而不是“%2”</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 on the server %2</source>
        <translation>%1，位于服务器 %2</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>the server closed the connection before any text</source>
        <translation>服务器在发来任何文本前就关闭了连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection in the middle of the answer</source>
        <translation>服务器在回答途中关闭了连接</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> (its error response is larger than %1 MB and was not read)</source>
        <translation>（其错误响应超过 %1 MB，未读取）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server sent an event of more than %1 MB without its end</source>
        <translation>服务器发送了一个超过 %1 MB 仍未结束的事件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the server sent something that is not JSON: %1</source>
        <translation>服务器发来的内容不是 JSON：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server reported an error: %1</source>
        <translation>服务器报告错误：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Connecting to the server was cancelled</source>
        <translation>已取消连接到服务器</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>the server answered %1</source>
        <translation>服务器返回 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> (check the API key)</source>
        <translation>（请检查 API 密钥）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (is it an OpenAI-compatible server, and the model&apos;s name right?)</source>
        <translation>（它是 OpenAI 兼容服务器吗？模型名称正确吗？）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server sent nothing for %1 s</source>
        <translation>服务器 %1 秒内没有发来任何内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not reach %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::QualityOverviewModel</name>
    <message>
        <location filename="../../app/models/quality_overview_model.cpp" line="+52"/>
        <source>%1 (%), published for the unquantized model</source>
        <translation>%1（%），未量化模型的公布值</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>0 (reference)</source>
        <translation>0（参考）</translation>
    </message>
</context>
<context>
    <name>ponder::app::QualityPointList</name>
    <message>
        <location filename="../../app/models/quality_point.cpp" line="+145"/>
        <source>%1 of RAM available</source>
        <translation>可用内存 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 free</source>
        <translation>可用 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>RAM at %1 tokens of context (GB)</source>
        <translation>%1 个 token 上下文所需的内存（GB）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU memory at %1 tokens of context (GB)</source>
        <translation>%1 个 token 上下文所需的显存（GB）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>typical (llama.cpp, %1)</source>
        <translation>典型值（llama.cpp，%1）</translation>
    </message>
</context>
<context>
    <name>ponder::app::RemoteGgufHeader</name>
    <message>
        <location filename="../../app/models/remote_gguf_header.cpp" line="+99"/>
        <source>the server sent another part of the file than the one asked for</source>
        <translation>服务器发来的不是所请求的那部分文件</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the server did not tell the file&apos;s size</source>
        <translation>服务器没有告知文件大小</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>no GGUF header ends within its first %1</source>
        <translation>在前 %1 内找不到 GGUF 头部的结尾</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the server sent nothing for %1 s</source>
        <translation>服务器 %1 秒内没有发来任何内容</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the server answered %1 without the file</source>
        <translation>服务器返回 %1，没有提供文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the file ends inside its header</source>
        <translation>文件在头部内就结束了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server sent none of the bytes asked for</source>
        <translation>服务器没有发来任何所请求的字节</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>its header could not be read (%1)</source>
        <translation>无法读取它的头部（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there is not enough memory to read its header</source>
        <translation>内存不足，无法读取它的头部</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>its header claims more than %1</source>
        <translation>它的头部声称超过 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is not a valid GGUF file (%1)</source>
        <translation>它不是有效的 GGUF 文件（%1）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Reading the header of %1 failed: %2</source>
        <translation>读取 %1 的头部失败：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::RemoteModelInfo</name>
    <message>
        <location filename="../../app/models/remote_model_info.cpp" line="+35"/>
        <source>The model has no files to read.</source>
        <translation>模型没有可读取的文件。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Reading the header of %1 failed: %2</source>
        <translation>读取 %1 的头部失败：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is not a model Ponder can run: %2</source>
        <translation>%1 不是 Ponder 能运行的模型：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::SecretStore</name>
    <message>
        <location filename="../../app/chat/secret_store.cpp" line="+57"/>
        <source>Stored in the system keyring</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored in %1 (no keyring found)</source>
        <translation>保存在 %1（未找到密钥环）</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>saved in the keyring, but the old file %1 could not be deleted</source>
        <translation>已保存在密钥环中，但无法删除旧文件 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the keyring refused it: %1</source>
        <translation>密钥环拒绝了它：%1</translation>
    </message>
</context>
<context>
    <name>ponder::app::StatisticsModel</name>
    <message>
        <location filename="../../app/compare/statistics_model.cpp" line="+38"/>
        <source>Quant</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning (tokens)</source>
        <translation>推理（token）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens/s</source>
        <translation>Token/秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> (reference)</source>
        <translation>（参考）</translation>
    </message>
</context>
<context>
    <name>ponder::app::WelcomeController</name>
    <message>
        <location filename="../../app/welcome/welcome_controller.cpp" line="+137"/>
        <source>No model in the catalog fits your %1 with an 8k context (%2 free). A model on a server needs no memory here; a smaller model file may still open.</source>
        <translation>目录中没有任何模型能以 8k 上下文放进你的 %1（可用 %2）。服务器上的模型不需要这里的内存；较小的模型文件或许仍能打开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No GPU and no CPU engine were found to run a model on. A model on a server still works.</source>
        <translation>找不到可运行模型的 GPU 或 CPU 引擎。服务器上的模型仍然可以使用。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>AIME 2024 %1</source>
        <translation>AIME 2024 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MATH-500 %1</source>
        <translation>MATH-500 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no model to download.</source>
        <translation>没有可下载的模型。</translation>
    </message>
</context>
</TS>
