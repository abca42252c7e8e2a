<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AnswerBlock</name>
    <message>
        <location filename="../../app/chat/AnswerBlock.qml" line="+132"/>
        <source>Open this link in the browser?</source>
        <translation>要在瀏覽器中開啟這個連結嗎？</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This link cannot be opened</source>
        <translation>無法開啟這個連結</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ponder opens only web links (http and https), not:
%1</source>
        <translation>Ponder 只開啟網頁連結（http 與 https），不開啟：
%1</translation>
    </message>
</context>
<context>
    <name>AnswerColumn</name>
    <message numerus="yes">
        <location filename="../../app/compare/AnswerColumn.qml" line="+39"/>
        <source>Reasoning · %n token(s)</source>
        <translation>
            <numerusform>推理 · %n 個 token</numerusform>
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
        <translation>推理已顯示；按下以隱藏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning hidden; press to show it</source>
        <translation>推理已隱藏；按下以顯示</translation>
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
        <translation>錯誤：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer</source>
        <translation>複製回答</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>As Markdown</source>
        <translation>Markdown 格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer as Markdown</source>
        <translation>以 Markdown 格式複製回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>As plain text</source>
        <translation>純文字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer as plain text</source>
        <translation>以純文字複製回答</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Regenerate</source>
        <translation>重新產生</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate the answer</source>
        <translation>重新產生回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the answer</source>
        <translation>刪除回答</translation>
    </message>
</context>
<context>
    <name>ChatInput</name>
    <message>
        <location filename="../../app/chat/ChatInput.qml" line="+48"/>
        <source>Ask anything. Enter sends, Shift+Enter starts a new line.</source>
        <translation>問什麼都可以。Enter 傳送，Shift+Enter 換行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a model to start chatting</source>
        <translation>開啟模型即可開始聊天</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Math</source>
        <translation>數學</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Math: ask for step-by-step reasoning and a boxed answer</source>
        <translation>數學：要求逐步推理，並把答案放在框中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adds “Please reason step by step, and put your final answer within %1.”</source>
        <translation>新增「Please reason step by step, and put your final answer within %1.」</translation>
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
        <translation>在推理目前的位置結束推理；模型根據已想到的內容回答（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>傳送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send message</source>
        <translation>傳送訊息</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../app/chat/CodeBlock.qml" line="+65"/>
        <source>code</source>
        <translation>程式碼</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy %1 code</source>
        <translation>複製 %1 程式碼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy code</source>
        <translation>複製程式碼</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Code: %1</source>
        <translation>程式碼：%1</translation>
    </message>
</context>
<context>
    <name>CompareBackends</name>
    <message>
        <location filename="../../app/compare/compare_backend.cpp" line="+87"/>
        <source>No usable GPU: %1</source>
        <translation>沒有可用的 GPU：%1</translation>
    </message>
</context>
<context>
    <name>CompareSetup</name>
    <message>
        <location filename="../../app/compare/CompareSetup.qml" line="+19"/>
        <source>Files to compare</source>
        <translation>要比較的檔案</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Downloaded model files</source>
        <translation>已下載的模型檔案</translation>
    </message>
    <message>
        <location line="+32"/>
        <source> · reference</source>
        <translation> · 參考</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No downloaded models yet. Download two quants of a model on the models page.</source>
        <translation>還沒有下載任何模型。請在模型頁面下載同一個模型的兩個量化版本。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reference: %1 (the most precise)</source>
        <translation>參考：%1（最精確的）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>One prompt</source>
        <translation>單一提示詞</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A prompt every model answers</source>
        <translation>每個模型都回答的提示詞</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt</source>
        <translation>提示詞</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The evaluation set (%1 prompts)</source>
        <translation>評測集（%1 個提示詞）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Seed</source>
        <translation>種子</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Seed, the same for every model</source>
        <translation>種子，每個模型都相同</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compare</source>
        <translation>比較</translation>
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
        <translation>將比較結果匯出為 JSON</translation>
    </message>
    <message>
        <location line="-132"/>
        <location line="+10"/>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>JSON (*.json)</source>
        <translation>JSON（*.json）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export the statistics and the heat map as PNG</source>
        <translation>將統計資料與熱圖匯出為 PNG</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 圖片（*.png）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Compare quants</source>
        <translation>比較量化版本</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the compare page</source>
        <translation>關閉比較頁面</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Choose two to five quants of a model and a prompt, then Compare.
Each answers with the same seed; the most precise is the reference.</source>
        <translation>選擇同一個模型的二到五個量化版本與一個提示詞，然後按「比較」。
每個版本都用相同的種子回答；最精確的作為參考。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Reference: %1</source>
        <translation>參考：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The prompt shown</source>
        <translation>顯示的提示詞</translation>
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
        <translation>將統計資料與熱圖匯出為圖片</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Statistics</source>
        <translation>統計</translation>
    </message>
</context>
<context>
    <name>ComparisonExport</name>
    <message>
        <location filename="../../app/compare/comparison_export.cpp" line="+47"/>
        <location line="+39"/>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Cannot take a picture of the page: it is not shown.</source>
        <translation>無法擷取頁面畫面：頁面未顯示。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nothing to export.</source>
        <translation>沒有可匯出的內容。</translation>
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
        <translation>上下文長度</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>%L1 tokens</source>
        <translation>%L1 個 token</translation>
    </message>
</context>
<context>
    <name>ConversationExport</name>
    <message>
        <location filename="../../app/conversations/conversation_export.cpp" line="+167"/>
        <source>1 token</source>
        <translation>1 個 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 tokens</source>
        <translation>%1 個 token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cut short: you asked to answer</source>
        <translation>提前中斷：你要求立即回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cut short: the thinking budget was reached</source>
        <translation>提前中斷：已達思考預算</translation>
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
        <translation>助理</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No answer</source>
        <translation>沒有回答</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Still being written when exported</source>
        <translation>匯出時仍在撰寫中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped before the end</source>
        <translation>在結束前已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answer failed: %1</source>
        <translation>回答失敗：%1</translation>
    </message>
    <message>
        <location line="+57"/>
        <location line="+16"/>
        <source>Conversation</source>
        <translation>對話</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>System</source>
        <translation>系統</translation>
    </message>
</context>
<context>
    <name>ConversationRow</name>
    <message>
        <location filename="../../app/chat/ConversationRow.qml" line="+32"/>
        <source>New conversation</source>
        <translation>新對話</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1, open</source>
        <translation>%1，已開啟</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Rename</source>
        <translation>重新命名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export to Markdown…</source>
        <translation>匯出為 Markdown…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export conversation %1 to Markdown</source>
        <translation>將對話 %1 匯出為 Markdown</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete…</source>
        <translation>刪除…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Conversation title</source>
        <translation>對話標題</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rename (F2)</source>
        <translation>重新命名（F2）</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+57"/>
        <source>Rename conversation %1</source>
        <translation>重新命名對話 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete (Del)</source>
        <translation>刪除（Del）</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>Delete conversation %1</source>
        <translation>刪除對話 %1</translation>
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
        <translation>開始新的聊天</translation>
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
        <translation>搜尋對話</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Conversations</source>
        <translation>對話</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Nothing found</source>
        <translation>找不到任何結果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No conversations yet</source>
        <translation>還沒有對話</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a model…</source>
        <translation>選擇模型…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models: choose, download or open a model</source>
        <translation>模型：選擇、下載或開啟模型</translation>
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
        <translation>設定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Export the conversation to Markdown</source>
        <translation>將對話匯出為 Markdown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown（*.md）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The conversation was not exported</source>
        <translation>對話未匯出</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Delete conversation?</source>
        <translation>要刪除對話嗎？</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“%1” and all its messages will be deleted.</source>
        <translation>「%1」及其所有訊息都會被刪除。</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../app/downloads/DownloadRow.qml" line="+35"/>
        <source>%1 h %2 min left</source>
        <translation>剩餘 %1 小時 %2 分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s left</source>
        <translation>剩餘 %1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s left</source>
        <translation>剩餘 %1 秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the partial file…</source>
        <translation>正在檢查未完成的檔案…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 · %3/s · %4</source>
        <translation>%1 / %2 · %3/s · %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retrying: %1</source>
        <translation>重試中：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused at %1 of %2</source>
        <translation>已暫停於 %1 / %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking the file against its repository&apos;s file list…</source>
        <translation>正在根據儲存庫的檔案清單檢查檔案…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloaded, not verified: %1 · %2</source>
        <translation>已下載，未驗證：%1 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloaded and verified · %1</source>
        <translation>已下載並驗證 · %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Queued at %1 of %2: starts when another download ends</source>
        <translation>已排隊，目前 %1 / %2：其他下載結束後開始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queued: starts when another download ends</source>
        <translation>已排隊：其他下載結束後開始</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (part %2 of %3)</source>
        <translation>%1（第 %2 部分，共 %3 部分）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause the download of %1</source>
        <translation>暫停下載 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the download of %1</source>
        <translation>繼續下載 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel the download of %1 and delete its partial file</source>
        <translation>取消下載 %1 並刪除其未完成的檔案</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download progress of %1</source>
        <translation>%1 的下載進度</translation>
    </message>
</context>
<context>
    <name>DownloadState</name>
    <message>
        <location filename="../../app/downloads/download_state.cpp" line="+74"/>
        <source>nothing to download</source>
        <translation>沒有要下載的內容</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” is not an http or https address</source>
        <translation>「%1」不是 http 或 https 位址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no file name for %1</source>
        <translation>%1 沒有檔案名稱</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is not a SHA-256 (64 hex digits)</source>
        <translation>「%1」不是 SHA-256（64 個十六進位數字）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>two parts would be saved as %1</source>
        <translation>有兩個部分會被儲存為 %1</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>could not save %1: %2</source>
        <translation>無法儲存 %1：%2</translation>
    </message>
</context>
<context>
    <name>FileHash</name>
    <message>
        <location filename="../../app/downloads/file_hash.cpp" line="+26"/>
        <location line="+7"/>
        <source>could not read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is shorter than expected</source>
        <translation>%1 比預期的短</translation>
    </message>
</context>
<context>
    <name>FirstRunChoice</name>
    <message>
        <location filename="../../app/welcome/first_run_choice.cpp" line="+84"/>
        <source>with room for an %1 context</source>
        <translation>還能容納 %1 上下文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>with an %1 context, but little to spare</source>
        <translation>可容納 %1 上下文，但所剩無幾</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs on your CPU, in %1 of RAM, %2: it needs %3 of the %4 free.</source>
        <translation>可在你的 CPU 上執行（記憶體 %1），%2：需要 %3，可用 %4。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fits your %1 (%2) %3: it needs %4 of the %5 free.</source>
        <translation>適合你的 %1（%2），%3：需要 %4，可用 %5。</translation>
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
        <translation>勉強放得下</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>分割</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split, tight</source>
        <translation>分割，勉強</translation>
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
        <translation>熱圖</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The quant whose divergence tints the tokens</source>
        <translation>以其散度為 token 著色的量化版本</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The reference&apos;s answer, each token tinted by how far %1&apos;s prediction of it strays (KL divergence). Italic: reasoning. Hover a token for both models&apos; next tokens.</source>
        <translation>參考版本的回答，每個 token 依 %1 對它的預測偏離多少（KL 散度）著色。斜體：推理。將游標移到 token 上可查看兩個模型預測的下一個 token。</translation>
    </message>
</context>
<context>
    <name>HfListing</name>
    <message>
        <location filename="../../app/downloads/hf_listing.cpp" line="+104"/>
        <source>no file to look for in the file list</source>
        <translation>檔案清單中沒有要找的檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the file list is larger than %1 MB</source>
        <translation>檔案清單大於 %1 MB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list is not valid JSON (%1 at byte %2)</source>
        <translation>檔案清單不是有效的 JSON（%1，位於第 %2 位元組）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list is not a list of files</source>
        <translation>檔案清單不是檔案的清單</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file list names the file more than once</source>
        <translation>檔案清單多次列出這個檔案</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the file list does not call it a file</source>
        <translation>檔案清單沒有把它列為檔案</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file list gives no SHA-256 for it (it is not stored with Git LFS)</source>
        <translation>檔案清單沒有提供它的 SHA-256（它未以 Git LFS 儲存）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file list&apos;s SHA-256 for it is not a SHA-256</source>
        <translation>檔案清單中它的 SHA-256 不是 SHA-256</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the file list&apos;s size for it is not a size</source>
        <translation>檔案清單中它的大小不是有效的大小</translation>
    </message>
</context>
<context>
    <name>HttpRange</name>
    <message>
        <location filename="../../app/common/http_range.cpp" line="+111"/>
        <source>the server answered %1</source>
        <translation>伺服器回應 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered %1 %2</source>
        <translation>伺服器回應 %1 %2</translation>
    </message>
</context>
<context>
    <name>KeyFile</name>
    <message>
        <location filename="../../app/chat/key_file.cpp" line="+64"/>
        <source>could not delete the saved key in %1</source>
        <translation>無法刪除 %1 中儲存的金鑰</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not make the folder %1</source>
        <translation>無法建立資料夾 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not create %1: %2</source>
        <translation>無法建立 %1：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>other accounts could read it</source>
        <translation>其他帳戶可以讀取它</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not save the key in %1: %2</source>
        <translation>無法將金鑰儲存在 %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>could not save the key in %1: other accounts could read it</source>
        <translation>無法將金鑰儲存在 %1：其他帳戶可以讀取它</translation>
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
        <translation>與參考版本的 KL 散度（nats，對數刻度）</translation>
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
        <translation>開啟模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型（*.gguf）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>所有檔案（*）</translation>
    </message>
</context>
<context>
    <name>MathBlock</name>
    <message>
        <location filename="../../app/chat/math/MathBlock.qml" line="+93"/>
        <source>Copy LaTeX</source>
        <translation>複製 LaTeX</translation>
    </message>
</context>
<context>
    <name>MessageArea</name>
    <message>
        <location filename="../../app/chat/MessageArea.qml" line="+42"/>
        <source>Messages</source>
        <translation>訊息</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Think it through.</source>
        <translation>好好想一想。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ask %1 anything. Its reasoning appears above each answer.</source>
        <translation>問 %1 任何問題。它的推理會顯示在每個回答上方。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a DeepSeek-R1 model to start. Its reasoning appears above each answer.</source>
        <translation>開啟 DeepSeek-R1 模型即可開始。它的推理會顯示在每個回答上方。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opening the model…</source>
        <translation>正在開啟模型…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a model…</source>
        <translation>選擇模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a model</source>
        <translation>選擇模型</translation>
    </message>
</context>
<context>
    <name>ModelFit</name>
    <message>
        <location filename="../../app/models/model_fit.cpp" line="+65"/>
        <source>cannot run on the CPU: %1</source>
        <translation>無法在 CPU 上執行：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot run on this GPU: %1</source>
        <translation>無法在這個 GPU 上執行：%1</translation>
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
        <translation>比較</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the quants of %1: quality against memory</source>
        <translation>比較 %1 的量化版本：品質與記憶體</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare its quants: quality lost against memory</source>
        <translation>比較它的量化版本：損失的品質與記憶體</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 parameters · from %2</source>
        <translation>%1 參數 · 來自 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pass@1 in percent, from DeepSeek&apos;s evaluation of the distilled models</source>
        <translation>Pass@1 百分比，取自 DeepSeek 對蒸餾模型的評測</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../../app/models/ModelPicker.qml" line="+61"/>
        <source>Choose a model</source>
        <translation>選擇模型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Device</source>
        <translation>裝置</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No device found</source>
        <translation>找不到裝置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device to plan for</source>
        <translation>規劃所用的裝置</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quality overview</source>
        <translation>品質總覽</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare all models: score, memory and quality lost</source>
        <translation>比較所有模型：分數、記憶體與損失的品質</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import .gguf…</source>
        <translation>匯入 .gguf…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a GGUF model file</source>
        <translation>匯入 GGUF 模型檔案</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>RAM the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: leave room for them. ★ marks the best quality that fits.</source>
        <translation>模型在 %L1 個 token 的上下文下所需的記憶體。R1 會推理數千個 token：請為它們留下空間。★ 標示放得下的最佳品質。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GPU memory the model needs at %L1 tokens of context. R1 reasons for thousands of tokens: leave room for them. ★ marks the best quality that fits. Split: layers that do not fit the GPU run on the CPU, slower (the speed is an estimate).</source>
        <translation>模型在 %L1 個 token 的上下文下所需的 GPU 記憶體。R1 會推理數千個 token：請為它們留下空間。★ 標示放得下的最佳品質。分割：GPU 放不下的層在 CPU 上執行，速度較慢（速度為估計值）。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Models and quantizations</source>
        <translation>模型與量化版本</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Load a file that was not verified?</source>
        <translation>要載入未經驗證的檔案嗎？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Load anyway</source>
        <translation>仍要載入</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 was downloaded, but nothing could confirm it is the file its repository holds: %2

A damaged or altered model can give wrong answers. Download it again to verify it, or load it anyway.</source>
        <translation>%1 已下載，但無法確認它就是其儲存庫中的檔案：%2

損壞或被竄改的模型可能給出錯誤的回答。請重新下載以驗證，或仍要載入。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Import a model</source>
        <translation>匯入模型</translation>
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
        <translation>下載的模型儲存於</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Downloads · saved in %1</source>
        <translation>下載 · 儲存於 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No downloads. Models are saved in %1</source>
        <translation>沒有下載。模型儲存於 %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Downloads</source>
        <translation>下載</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Open a file…</source>
        <translation>開啟檔案…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a GGUF model file</source>
        <translation>開啟 GGUF 模型檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a server…</source>
        <translation>使用伺服器…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat with a model on an OpenAI-compatible server</source>
        <translation>與 OpenAI 相容伺服器上的模型聊天</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compare quants…</source>
        <translation>比較量化版本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare downloaded quants side by side</source>
        <translation>並排比較已下載的量化版本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change folder…</source>
        <translation>變更資料夾…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the folder downloads are saved in</source>
        <translation>變更下載的儲存資料夾</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Back to the chat</source>
        <translation>返回聊天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the models page</source>
        <translation>關閉模型頁面</translation>
    </message>
</context>
<context>
    <name>OpenAiProtocol</name>
    <message>
        <location filename="../../app/server/openai_protocol.cpp" line="+41"/>
        <source>the server redirected to %1, without encryption; Ponder does not follow that</source>
        <translation>伺服器重新導向到 %1，未加密；Ponder 不會跟隨</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server redirected to %1, another address; Ponder does not send the API key and the conversation there (use that address if it is the right one)</source>
        <translation>伺服器重新導向到另一個位址 %1；Ponder 不會把 API 金鑰與對話傳送到那裡（若那才是正確的位址，請直接使用它）</translation>
    </message>
</context>
<context>
    <name>OpenOfferDialog</name>
    <message>
        <location filename="../../app/shell/OpenOfferDialog.qml" line="+27"/>
        <source>Load %1?</source>
        <translation>要載入 %1 嗎？</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The current chat&apos;s model, %1, will be unloaded first.</source>
        <translation>目前聊天的模型 %1 會先被卸載。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another window asked Ponder to open this model.</source>
        <translation>另一個視窗要求 Ponder 開啟這個模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Load</source>
        <translation>載入</translation>
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
        <translation>「%1」不是份額：每個 GPU 請給一個至少為 0 的數字，例如 8,6,6,6</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>at least one GPU&apos;s share must be more than 0</source>
        <translation>至少要有一個 GPU 的份額大於 0</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../app/models/quality_point.cpp" line="+34"/>
        <source>%1 %2 · %3 download</source>
        <translation>%1 %2 · 下載 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RAM %1</source>
        <translation>記憶體 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at %2 tokens of context</source>
        <translation>%1，上下文 %2 個 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean KLD 0: the reference it was measured against</source>
        <translation>平均 KLD 0：它被測量時所對照的參考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean KLD 0: the reference the others are compared with</source>
        <translation>平均 KLD 0：其他版本所比較的參考</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean KLD %1 (measured on this machine against %2, %3 tokens)</source>
        <translation>平均 KLD %1（在這台電腦上對照 %2 測得，%3 個 token）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean KLD %1 (typical for %2: llama.cpp, %3)</source>
        <translation>平均 KLD %1（%2 的典型值：llama.cpp，%3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Same top token %1%</source>
        <translation>首選 token 相同 %1%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same top token: not published</source>
        <translation>首選 token 相同：未公布</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2% (published for the unquantized model)</source>
        <translation>%1 %2%（未量化模型的公布值）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>★ Recommended: the best quality that fits</source>
        <translation>★ 推薦：放得下的最佳品質</translation>
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
        <translation>勉強放得下</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split</source>
        <translation>分割</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split, tight</source>
        <translation>分割，勉強</translation>
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
        <translation>%1：損失的品質與記憶體</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lower is closer to F16: the mean KL divergence of each quant&apos;s next-token probabilities from F16&apos;s, over every token (log scale). Hover a point for its figures.</source>
        <translation>越低越接近 F16：每個量化版本的下一個 token 機率分布與 F16 的平均 KL 散度，涵蓋每一個 token（對數刻度）。將游標移到點上可查看數值。</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+117"/>
        <source>measured on this machine</source>
        <translation>在這台電腦上測得</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>measured on this machine (none yet)</source>
        <translation>在這台電腦上測得（尚無）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>★ recommended: %1</source>
        <translation>★ 推薦：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (beyond the right edge)</source>
        <translation>%1（超出右邊界）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Mean KL divergence from F16 (log)</source>
        <translation>與 F16 的平均 KL 散度（對數）</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>%1 (reference, KLD 0)</source>
        <translation>%1（參考，KLD 0）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Typical figures: llama.cpp&apos;s perplexity tool on Llama-3-8B against F16, not this model; the compare page measures yours. Source: %1</source>
        <translation>典型數值：llama.cpp 的 perplexity 工具在 Llama-3-8B 上對照 F16 測得，並非這個模型；比較頁面可以測量你的模型。來源：%1</translation>
    </message>
</context>
<context>
    <name>QualityOverview</name>
    <message>
        <location filename="../../app/models/QualityOverview.qml" line="+109"/>
        <source>All six distills: score against memory</source>
        <translation>全部六個蒸餾模型：分數與記憶體</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Score</source>
        <translation>分數</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Benchmark the rows are placed by</source>
        <translation>各列依據的評測基準</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Each row is one model at its published score; along it, its quants by the memory they need. Bigger, redder markers lose more against F16 (typical mean KL divergence). Hover a point for its figures.</source>
        <translation>每一列是一個模型，位於其公布的分數；沿著這一列，是它依所需記憶體排列的量化版本。標記越大、越紅，與 F16 相比損失越多（典型平均 KL 散度）。將游標移到點上可查看數值。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 · KLD %2</source>
        <translation>%1 · KLD %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · no published figure</source>
        <translation>%1 · 沒有公布的數值</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>filled: measured here</source>
        <translation>實心：在此測得</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>★ recommended</source>
        <translation>★ 推薦</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>, log scale</source>
        <translation>，對數刻度</translation>
    </message>
</context>
<context>
    <name>QualityPopup</name>
    <message>
        <location filename="../../app/models/QualityPopup.qml" line="+59"/>
        <source>This model&apos;s quants</source>
        <translation>這個模型的量化版本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All six distills</source>
        <translation>全部六個蒸餾模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the quality charts</source>
        <translation>關閉品質圖表</translation>
    </message>
</context>
<context>
    <name>QuantCell</name>
    <message>
        <location filename="../../app/models/QuantCell.qml" line="+60"/>
        <location line="+50"/>
        <source>%1 download</source>
        <translation>下載 %1</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>recommended</source>
        <translation>推薦</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>downloaded</source>
        <translation>已下載</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not verified: %1</source>
        <translation>未驗證：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>From the downloaded file</source>
        <translation>來自已下載的檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the file&apos;s header</source>
        <translation>來自檔案的標頭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the model&apos;s configuration</source>
        <translation>來自模型的設定</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Recommended: the best quality that fits</source>
        <translation>推薦：放得下的最佳品質</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>⚠ %1 on disk, not verified</source>
        <translation>⚠ %1 已在磁碟上，未驗證</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✓ %1 on disk</source>
        <translation>✓ %1 已在磁碟上</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Downloaded without a checksum to check it against: %1</source>
        <translation>下載時沒有可供核對的檢查碼：%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Load</source>
        <translation>載入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Download</source>
        <translation>下載</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Load %1 %2</source>
        <translation>載入 %1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download %1 %2</source>
        <translation>下載 %1 %2</translation>
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
        <translation>推理已顯示；按下以隱藏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning hidden; press to show it</source>
        <translation>推理已隱藏；按下以顯示</translation>
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
        <translation>在推理目前的位置結束推理；模型根據已想到的內容回答（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A model on a server cannot be told to stop thinking: it reasons until it is done. Stop ends the answer.</source>
        <translation>伺服器上的模型無法被要求停止思考：它會推理到完成為止。「停止」會結束回答。</translation>
    </message>
</context>
<context>
    <name>SavedComparisons</name>
    <message>
        <location filename="../../app/compare/SavedComparisons.qml" line="+17"/>
        <location line="+12"/>
        <source>Earlier comparisons</source>
        <translation>先前的比較</translation>
    </message>
</context>
<context>
    <name>SchemaMigrations</name>
    <message>
        <location filename="../../app/conversations/schema_migrations.cpp" line="+37"/>
        <source>it was written by a newer version of Ponder (schema %1, this one knows %2)</source>
        <translation>它是由較新版本的 Ponder 寫入的（結構描述 %1，這個版本只認得 %2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no schema version %1</source>
        <translation>沒有結構描述版本 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>migrating to schema %1 failed: %2</source>
        <translation>遷移到結構描述 %1 失敗：%2</translation>
    </message>
</context>
<context>
    <name>ServeSettings</name>
    <message>
        <location filename="../../app/chat/ServeSettings.qml" line="+20"/>
        <source>Serve the open model on localhost:%1</source>
        <translation>在 localhost:%1 上提供開啟的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Serve the open model over the OpenAI-compatible API</source>
        <translation>透過 OpenAI 相容 API 提供開啟的模型</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Port</source>
        <translation>連接埠</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Port to serve the model on</source>
        <translation>提供模型服務的連接埠</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>API key (optional)</source>
        <translation>API 金鑰（選填）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The saved key (type another to replace it)</source>
        <translation>已儲存的金鑰（輸入另一個即可取代）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None: any program on this computer may ask</source>
        <translation>無：這台電腦上的任何程式都可以存取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key clients of this server must send</source>
        <translation>這個伺服器的用戶端必須傳送的 API 金鑰</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Remove the key</source>
        <translation>移除金鑰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the key of this server</source>
        <translation>移除這個伺服器的金鑰</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only on 127.0.0.1: programs on this computer can use the model, nothing else can reach it. The chat and the server take turns on the one model; a model on a server is not served. For other machines, run ponder-server.</source>
        <translation>只在 127.0.0.1 上：這台電腦上的程式可以使用模型，其他任何東西都無法連上。聊天與伺服器輪流使用同一個模型；伺服器上的模型不會被提供。若要給其他電腦使用，請執行 ponder-server。</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../app/chat/ServerDialog.qml" line="+26"/>
        <source>Use a server</source>
        <translation>使用伺服器</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>For models beyond this GPU: any OpenAI-compatible server, such as vLLM, SGLang, llama.cpp&apos;s server, or the DeepSeek API (https://api.deepseek.com). Reasoning shows as it does for local models.</source>
        <translation>適用於這個 GPU 跑不動的模型：任何 OpenAI 相容伺服器，例如 vLLM、SGLang、llama.cpp 的伺服器，或 DeepSeek API（https://api.deepseek.com）。推理的顯示方式與本機模型相同。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Address</source>
        <translation>位址</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>http://gpu-server:8000</source>
        <translation>http://gpu-server:8000</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server address</source>
        <translation>伺服器位址</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+8"/>
        <source>API key</source>
        <translation>API 金鑰</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The saved key (type another to replace it)</source>
        <translation>已儲存的金鑰（輸入另一個即可取代）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only if the server asks for one</source>
        <translation>只在伺服器要求時才需要</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not saved (%1); it is used until Ponder quits.</source>
        <translation>未儲存（%1）；在 Ponder 結束前都會使用它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stored in the system keyring, for this address only.</source>
        <translation>儲存在系統金鑰圈中，只用於這個位址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, readable by your account only, for this address only.</source>
        <translation>%1，只有你的帳戶可以讀取，且只用於這個位址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key and the address&apos;s user name and password are saved in files of their own, readable by your account only, for this address only.</source>
        <translation>金鑰以及位址中的使用者名稱與密碼各自儲存在專屬檔案中，只有你的帳戶可以讀取，且只用於這個位址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key is saved in a file of its own, readable by your account only, for this address only.</source>
        <translation>金鑰儲存在專屬檔案中，只有你的帳戶可以讀取，且只用於這個位址。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forget the saved key and password</source>
        <translation>忘記已儲存的金鑰與密碼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget the saved API key and password</source>
        <translation>忘記已儲存的 API 金鑰與密碼</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model name on the server</source>
        <translation>伺服器上的模型名稱</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>%n model(s) on this server</source>
        <translation>
            <numerusform>這個伺服器上有 %n 個模型</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the server&apos;s first model</source>
        <translation>留空：使用伺服器的第一個模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel, keeping the model in use</source>
        <translation>取消，繼續使用目前的模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connect</source>
        <translation>連線</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect to the server</source>
        <translation>連線到伺服器</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/chat/SettingsDialog.qml" line="+21"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The defaults follow DeepSeek&apos;s advice for R1 and its distills: a temperature of 0.5 to 0.7 (0.6 here), so that the model neither repeats itself without end nor loses its thread; top-p 0.95; no system prompt, every instruction in your message instead; for math, the Math switch asks it to reason step by step and put the final answer in %1. Every answer starts with “&lt;think&gt;” and a new line, so the model always reasons first.</source>
        <translation>預設值遵循 DeepSeek 對 R1 及其蒸餾模型的建議：溫度 0.5 到 0.7（這裡為 0.6），讓模型既不會無止盡地重複，也不會失去思路；top-p 0.95；不使用系統提示詞，所有指示都寫在你的訊息中；數學題可開啟「數學」開關，要求模型逐步推理，並把最終答案放在 %1 中。每個回答都以「&lt;think&gt;」和換行開頭，因此模型總是先推理。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Temperature</source>
        <translation>溫度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DeepSeek recommends 0.5–0.7 for R1; 0 always picks the likeliest token</source>
        <translation>DeepSeek 建議 R1 使用 0.5–0.7；0 一律選擇最可能的 token</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Outside DeepSeek&apos;s 0.5–0.7: R1 may repeat itself without end or lose its thread.</source>
        <translation>超出 DeepSeek 建議的 0.5–0.7：R1 可能無止盡地重複，或失去思路。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DeepSeek uses 0.95 for R1</source>
        <translation>DeepSeek 對 R1 使用 0.95</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 turns it off</source>
        <translation>0 表示關閉</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Repetition penalty</source>
        <translation>重複懲罰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 turns it off</source>
        <translation>1 表示關閉</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Top-k (0: off)</source>
        <translation>Top-k（0：關閉）</translation>
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
        <translation>每個回答的最多 token 數</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thinking budget (reasoning tokens)</source>
        <translation>思考預算（推理 token）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Off</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thinking budget in reasoning tokens, off for no limit</source>
        <translation>以推理 token 計的思考預算，關閉表示不限制</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>After this many reasoning tokens (%1 to %2) the model stops thinking and answers from what it has thought, as “Answer now” does. Models on this machine only: a server cannot be told.</source>
        <translation>推理 token 達到這個數量（%1 到 %2）後，模型會停止思考，根據已想到的內容回答，就像「立即回答」一樣。僅限這台電腦上的模型：無法告知伺服器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Context length (next model opened)</source>
        <translation>上下文長度（下次開啟模型時）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Context length in tokens</source>
        <translation>以 token 計的上下文長度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Device (next model opened)</source>
        <translation>裝置（下次開啟模型時）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Looking for devices…</source>
        <translation>正在尋找裝置…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device the model runs on</source>
        <translation>模型執行所在的裝置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CPU threads (0: one per core)</source>
        <translation>CPU 執行緒（0：每個核心一個）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Threads of the CPU engine, 0 for one per physical core</source>
        <translation>CPU 引擎的執行緒數，0 表示每個實體核心一個</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers on the GPU (next model opened)</source>
        <translation>GPU 上的層數（下次開啟模型時）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Layers on the GPU, automatic for as many as fit</source>
        <translation>GPU 上的層數，自動表示放得下多少就放多少</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Automatic runs the whole model on the GPU when it fits there, else as many layers as fit, and the rest on the CPU. The output counts as one layer.</source>
        <translation>「自動」會在 GPU 放得下時把整個模型放在 GPU 上執行，否則盡量多放幾層，其餘在 CPU 上執行。輸出算作一層。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GPUs that take part</source>
        <translation>參與的 GPU</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 takes part</source>
        <translation>%1 參與</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Split shares</source>
        <translation>分割份額</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>By free memory, or e.g. 8,6,6,6</source>
        <translation>依可用記憶體，或例如 8,6,6,6</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shares of the layers per GPU, in device order</source>
        <translation>每個 GPU 分到的層數份額，依裝置順序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>KV cache (next model opened)</source>
        <translation>KV 快取（下次開啟模型時）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>f16</source>
        <translation>f16</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>q8_0: about half the memory</source>
        <translation>q8_0：記憶體約減半</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type of the KV cache</source>
        <translation>KV 快取的類型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seed (0: random)</source>
        <translation>種子（0：隨機）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seed, 0 for a random one each answer</source>
        <translation>種子，0 表示每個回答隨機產生一個</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Theme</source>
        <translation>主題</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+10"/>
        <source>System</source>
        <translation>系統</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Light</source>
        <translation>淺色</translation>
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
        <translation>語言</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Changes at once; a few texts made earlier (the times under answers, the device names) follow at the next start.</source>
        <translation>立即生效；少數先前產生的文字（回答下方的時間、裝置名稱）會在下次啟動時更新。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Math: ask for step-by-step reasoning and a %1 answer</source>
        <translation>數學：要求逐步推理，並把答案放在 %1 中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Math instruction</source>
        <translation>數學指示</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>System prompt (DeepSeek advises none for R1)</source>
        <translation>系統提示詞（DeepSeek 建議 R1 不使用）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>None</source>
        <translation>無</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>系統提示詞</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reset to defaults</source>
        <translation>恢復預設值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset the settings to their defaults</source>
        <translation>將設定恢復為預設值</translation>
    </message>
</context>
<context>
    <name>SideBySide</name>
    <message>
        <location filename="../../app/compare/SideBySide.qml" line="+18"/>
        <source>Side by side</source>
        <translation>並排</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>%1 (reference)</source>
        <translation>%1（參考）</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../app/shell/single_instance.cpp" line="+69"/>
        <location line="+100"/>
        <source>the message is too long</source>
        <translation>訊息太長</translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+4"/>
        <source>the message is not understood</source>
        <translation>無法理解訊息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the message names no file</source>
        <translation>訊息中沒有指定檔案</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the path is not absolute</source>
        <translation>路徑不是絕對路徑</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a regular file</source>
        <translation>%1 不是一般檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a .gguf file</source>
        <translation>%1 不是 .gguf 檔案</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cannot be read</source>
        <translation>無法讀取 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a GGUF model</source>
        <translation>%1 不是 GGUF 模型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the running Ponder did not take the message</source>
        <translation>執行中的 Ponder 沒有接受訊息</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the running Ponder did not answer</source>
        <translation>執行中的 Ponder 沒有回應</translation>
    </message>
</context>
<context>
    <name>SplitFit</name>
    <message>
        <location filename="../../app/models/split_fit.cpp" line="+76"/>
        <source>all %1 layers on the CPU</source>
        <translation>全部 %1 層都在 CPU 上</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 layers on the GPU</source>
        <translation>%2 層中的 %1 層在 GPU 上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 layers on %3 GPUs</source>
        <translation>%2 層中的 %1 層在 %3 個 GPU 上</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 layers on %3</source>
        <translation>%2 層中的 %1 層在 %3 上</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 on %2</source>
        <translation>%1 層在 %2 上</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 on the CPU</source>
        <translation>%1 層在 CPU 上</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>about %1 tok/s (estimate)</source>
        <translation>約 %1 tok/s（估計）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GPUs: %1 of %2 layers</source>
        <translation>GPU：%2 層中的 %1 層</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: %1 of %2 layers</source>
        <translation>GPU：%2 層中的 %1 層</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CPU: %1 · %2</source>
        <translation>CPU：%1 層 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU: all %1 layers</source>
        <translation>CPU：全部 %1 層</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>estimated %1 tok/s</source>
        <translation>估計 %1 tok/s</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>RAM %1</source>
        <translation>記憶體 %1</translation>
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
        <translation>%1 + 記憶體 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2 of RAM, %3 available</source>
        <translation>%1：%2 記憶體，可用 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3 free</source>
        <translation>%1：使用 %2，可用 %3</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the split settings do not suit these GPUs: %1</source>
        <translation>分割設定不適用於這些 GPU：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Split: %1</source>
        <translation>分割：%1</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../app/chat/StatusLine.qml" line="+44"/>
        <source>Opening the model…</source>
        <translation>正在開啟模型…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model open (Ctrl+M to choose one)</source>
        <translation>尚未開啟模型（按 Ctrl+M 選擇）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Waiting: the server is answering a request</source>
        <translation>等待中：伺服器正在處理一個請求</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Loading the model</source>
        <translation>正在載入模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel loading the model</source>
        <translation>取消載入模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Looking for devices…</source>
        <translation>正在尋找裝置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%2: %1 · %3 RAM free of %4</source>
        <translation>%2：%1 · 可用記憶體 %3 / %4</translation>
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
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>it was downloaded without a checksum to verify it against</source>
        <translation>下載時沒有可供驗證的檢查碼</translation>
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
        <translation>編輯訊息</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Send</source>
        <translation>傳送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send the edited message</source>
        <translation>傳送編輯後的訊息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel editing</source>
        <translation>取消編輯</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Edit</source>
        <translation>編輯</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit and resend this message</source>
        <translation>編輯並重新傳送這則訊息</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy this message</source>
        <translation>複製這則訊息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this message and the answers after it</source>
        <translation>刪除這則訊息及其後的回答</translation>
    </message>
</context>
<context>
    <name>VersionSwitcher</name>
    <message>
        <location filename="../../app/chat/VersionSwitcher.qml" line="+21"/>
        <source>Previous version</source>
        <translation>上一個版本</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Version %1 of %2</source>
        <translation>第 %1 個版本，共 %2 個</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Next version</source>
        <translation>下一個版本</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../app/welcome/WelcomePage.qml" line="+41"/>
        <source>Welcome to Ponder</source>
        <translation>歡迎使用 Ponder</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ponder runs DeepSeek-R1&apos;s distilled reasoning models on this computer. Nothing is downloaded until you ask.</source>
        <translation>Ponder 在這台電腦上執行 DeepSeek-R1 的蒸餾推理模型。在你要求之前，不會下載任何東西。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Found on this computer</source>
        <translation>在這台電腦上找到</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Looking for GPUs…</source>
        <translation>正在尋找 GPU…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 · %2 of RAM</source>
        <translation>%1 · %2 記憶體</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Recommended for you</source>
        <translation>為你推薦</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No model fits</source>
        <translation>沒有放得下的模型</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Published scores: %1</source>
        <translation>公布的分數：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Download (%1)</source>
        <translation>下載（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download %1 %2</source>
        <translation>下載 %1 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+57"/>
        <source>Use a server…</source>
        <translation>使用伺服器…</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Try again</source>
        <translation>再試一次</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open a file…</source>
        <translation>開啟檔案…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose another model</source>
        <translation>選擇其他模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not now</source>
        <translation>暫時不要</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the welcome and show the empty chat</source>
        <translation>關閉歡迎畫面並顯示空白聊天</translation>
    </message>
</context>
<context>
    <name>ponder::app::AnswerListModel</name>
    <message>
        <location filename="../../app/compare/answer_list_model.cpp" line="+71"/>
        <source>Departs from the reference at token %1 (in the %2): “%3” where the reference has “%4”</source>
        <translation>從第 %1 個 token 起與參考不同（在%2中）：「%3」，參考為「%4」</translation>
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
        <translation>從頭到尾都與參考的 token 相同</translation>
    </message>
</context>
<context>
    <name>ponder::app::CandidateListModel</name>
    <message>
        <location filename="../../app/compare/candidate_list_model.cpp" line="+84"/>
        <source>Choose two to five files of one model (%1 chosen).</source>
        <translation>請選擇同一個模型的二到五個檔案（已選 %1 個）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 cannot be read as a model.</source>
        <translation>無法把 %1 當作模型讀取。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>These files do not share a tokenizer (%1 and %2): choose quants of one model.</source>
        <translation>這些檔案的分詞器不同（%1 與 %2）：請選擇同一個模型的量化版本。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ChatEngine</name>
    <message>
        <location filename="../../app/chat/engine_guard.cpp" line="+32"/>
        <source>The engine failed: %1</source>
        <translation>引擎發生錯誤：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The engine failed with an unknown error.</source>
        <translation>引擎發生不明錯誤。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not enough memory (RAM): the engine could not allocate what it needs. Try a smaller model or quantization, or a shorter context length.</source>
        <translation>記憶體（RAM）不足：引擎無法配置所需的記憶體。請改用較小的模型或量化版本，或縮短上下文長度。</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine_load.cpp" line="+63"/>
        <source>Opening the model was cancelled.</source>
        <translation>已取消開啟模型。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>No usable GPU: %1</source>
        <translation>沒有可用的 GPU：%1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>%1 (%2) on %3</source>
        <translation>%1（%2）在 %3 上</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> · %1 on the GPU (measured: %2)</source>
        <translation> · GPU 上 %1（實測：%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · %1 on the GPU</source>
        <translation> · GPU 上 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> · %1 of RAM, 1 thread</source>
        <translation> · 記憶體 %1，1 個執行緒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> · %1 of RAM, %2 threads</source>
        <translation> · 記憶體 %1，%2 個執行緒</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine.cpp" line="+76"/>
        <source>%1 The model was closed; open it again to go on.</source>
        <translation>%1 模型已關閉；請重新開啟以繼續。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No model is loaded. Open a model first.</source>
        <translation>尚未載入模型。請先開啟模型。</translation>
    </message>
    <message>
        <location filename="../../app/chat/chat_engine_split.cpp" line="+36"/>
        <source>Not enough memory for the model, even split across the GPU and the CPU. Try a smaller model or quantization, a shorter context length, or fewer layers on the GPU. (%1)</source>
        <translation>即使分割到 GPU 與 CPU，記憶體仍不足以容納模型。請改用較小的模型或量化版本、縮短上下文長度，或減少 GPU 上的層數。（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The split settings do not suit this model or these GPUs: %1. Change the layers on the GPU, the GPUs that take part or the split shares in the settings.</source>
        <translation>分割設定不適用於這個模型或這些 GPU：%1。請在設定中變更 GPU 上的層數、參與的 GPU 或分割份額。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot open GPU %1, which the settings have take part in the split: %2</source>
        <translation>無法開啟設定中指定參與分割的 GPU %1：%2</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>%1 (%2) · Split: %3 · %4</source>
        <translation>%1（%2）· 分割：%3 · %4</translation>
    </message>
    <message>
        <location filename="../../app/chat/engine_helpers.cpp" line="+21"/>
        <source>Not enough memory (RAM). Try a smaller model or quantization, or a shorter context length. (%1)</source>
        <translation>記憶體（RAM）不足。請改用較小的模型或量化版本，或縮短上下文長度。（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not enough GPU memory. Try a smaller model or quantization, or a shorter context length. (%1)</source>
        <translation>GPU 記憶體不足。請改用較小的模型或量化版本，或縮短上下文長度。（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The GPU stopped responding (device lost). Open the model again to go on. (%1)</source>
        <translation>GPU 停止回應（裝置遺失）。請重新開啟模型以繼續。（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot read the model: %1</source>
        <translation>無法讀取模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model file is damaged or not a GGUF model: %1</source>
        <translation>模型檔案已損壞或不是 GGUF 模型：%1</translation>
    </message>
</context>
<context>
    <name>ponder::app::CompareController</name>
    <message>
        <location filename="../../app/compare/compare_controller.cpp" line="+27"/>
        <source>The evaluation set is not built into this Ponder.</source>
        <translation>這個 Ponder 沒有內建評測集。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The evaluation set cannot be read: %1</source>
        <translation>無法讀取評測集：%1</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>%1 (the chat&apos;s %2 was closed to make room)</source>
        <translation>%1（為騰出空間，已關閉聊天中的 %2）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>about %1 s left</source>
        <translation>約剩 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>about %1 min left</source>
        <translation>約剩 %1 分鐘</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Type a prompt, or choose the evaluation set.</source>
        <translation>請輸入提示詞，或選擇評測集。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The chat is opening a model or answering; stop it, then compare.</source>
        <translation>聊天正在開啟模型或回答中；請先停止，再進行比較。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The chat&apos;s model could not be closed to make room for the comparison.</source>
        <translation>無法關閉聊天中的模型，以騰出空間進行比較。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Evaluation set (%1 prompts)</source>
        <translation>評測集（%1 個提示詞）</translation>
    </message>
    <message>
        <location filename="../../app/compare/compare_shown.cpp" line="+72"/>
        <source>Prompt</source>
        <translation>提示詞</translation>
    </message>
    <message>
        <location filename="../../app/compare/compare_saving.cpp" line="+79"/>
        <location line="+24"/>
        <source>No comparison to export.</source>
        <translation>沒有可匯出的比較。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ComparisonRunner</name>
    <message>
        <location filename="../../app/compare/comparison_runner.cpp" line="+39"/>
        <source>The engine failed: %1</source>
        <translation>引擎發生錯誤：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The engine failed with an unknown error.</source>
        <translation>引擎發生不明錯誤。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not enough memory (RAM) for the comparison. Try smaller quants or fewer tokens.</source>
        <translation>記憶體（RAM）不足，無法進行比較。請改用較小的量化版本或減少 token 數。</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>A comparison is running already.</source>
        <translation>已經有比較正在執行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose two to five model files to compare.</source>
        <translation>請選擇二到五個模型檔案進行比較。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type a prompt, or choose the evaluation set.</source>
        <translation>請輸入提示詞，或選擇評測集。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting</source>
        <translation>正在開始</translation>
    </message>
    <message>
        <location line="+27"/>
        <source> (the previous model was closed: one model in memory at a time)</source>
        <translation>（已關閉前一個模型：記憶體中一次只放一個模型）</translation>
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
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The comparison failed.</source>
        <translation>比較失敗。</translation>
    </message>
</context>
<context>
    <name>ponder::app::ComparisonStore</name>
    <message>
        <location filename="../../app/compare/comparison_store.cpp" line="+79"/>
        <source>Cannot open the comparisons database %1: %2</source>
        <translation>無法開啟比較資料庫 %1：%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot use the comparisons database %1: %2</source>
        <translation>無法使用比較資料庫 %1：%2</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+63"/>
        <location line="+107"/>
        <source>The comparisons database is not open.</source>
        <translation>比較資料庫未開啟。</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>The comparison is incomplete; it was not saved.</source>
        <translation>比較不完整；未儲存。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+11"/>
        <location line="+19"/>
        <location line="+9"/>
        <location line="+3"/>
        <source>Cannot save the comparison: %1</source>
        <translation>無法儲存比較：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Comparison %1 cannot be opened: %2</source>
        <translation>無法開啟比較 %1：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>it is not in the database</source>
        <translation>它不在資料庫中</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+3"/>
        <source>its prompts are damaged (%1)</source>
        <translation>它的提示詞已損壞（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its token texts are damaged (%1)</source>
        <translation>它的 token 文字已損壞（%1）</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+2"/>
        <source>the details of %1 are damaged (%2)</source>
        <translation>%1 的詳細資料已損壞（%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its list of models is damaged</source>
        <translation>它的模型清單已損壞</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the reference&apos;s answers are out of order</source>
        <translation>參考的回答順序錯亂</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the reference&apos;s tokens of prompt %1 are damaged</source>
        <translation>參考在提示詞 %1 的 token 已損壞</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the reference&apos;s logits of prompt %1 are damaged (%2)</source>
        <translation>參考在提示詞 %1 的 logits 已損壞（%2）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the reference&apos;s answers to %1 of %2 prompts are missing</source>
        <translation>缺少參考對 %2 個提示詞中 %1 個的回答</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot delete the comparison: %1</source>
        <translation>無法刪除比較：%1</translation>
    </message>
</context>
<context>
    <name>ponder::app::ConversationExporter</name>
    <message>
        <location filename="../../app/chat/conversation_exporter.cpp" line="+60"/>
        <source>There is no such conversation to export.</source>
        <translation>沒有這個可匯出的對話。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
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
        <translation>沒有對話 %1。</translation>
    </message>
    <message>
        <location line="+37"/>
        <location filename="../../app/conversations/text_writer.cpp" line="+71"/>
        <source>Cannot save the message: %1</source>
        <translation>無法儲存訊息：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+61"/>
        <source>There is no message %1.</source>
        <translation>沒有訊息 %1。</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Cannot delete the message: %1</source>
        <translation>無法刪除訊息：%1</translation>
    </message>
    <message>
        <location filename="../../app/conversations/conversation_store.cpp" line="-172"/>
        <source>There is no data folder to keep conversations in.</source>
        <translation>沒有可存放對話的資料資料夾。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot create the folder %1 for the conversations.</source>
        <translation>無法建立存放對話的資料夾 %1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Qt&apos;s SQLite driver is missing</source>
        <translation>缺少 Qt 的 SQLite 驅動程式</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cannot open the conversation database %1: %2</source>
        <translation>無法開啟對話資料庫 %1：%2</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Cannot lock the conversation database %1 (is its folder writable?).</source>
        <translation>無法鎖定對話資料庫 %1（它的資料夾可寫入嗎？）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The conversations in %1 are in use by another Ponder (process %2). Close it, then open Ponder again.</source>
        <translation>%1 中的對話正被另一個 Ponder 使用（處理程序 %2）。請關閉它，再重新開啟 Ponder。</translation>
    </message>
    <message>
        <location line="+211"/>
        <source>No conversation database is open.</source>
        <translation>沒有開啟的對話資料庫。</translation>
    </message>
</context>
<context>
    <name>ponder::app::DownloadManager</name>
    <message>
        <location filename="../../app/downloads/download_manager.cpp" line="+148"/>
        <source>Cannot download: %1</source>
        <translation>無法下載：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot download %1: a download with that name is running</source>
        <translation>無法下載 %1：已有同名的下載正在進行</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot download %1: %2 is already being downloaded for %3</source>
        <translation>無法下載 %1：%2 已在為 %3 下載中</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_queue.cpp" line="+96"/>
        <source>Download of %1 failed: %2</source>
        <translation>%1 下載失敗：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::DownloadTask</name>
    <message>
        <location filename="../../app/downloads/download_part_file.cpp" line="+58"/>
        <source>it is a link</source>
        <translation>它是一個連結</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+3"/>
        <source>it is not a regular file</source>
        <translation>它不是一般檔案</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_task.cpp" line="+24"/>
        <source>no data arrived for %1 s</source>
        <translation>%1 秒內沒有收到資料</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its repository&apos;s file list did not arrive within %1 s</source>
        <translation>儲存庫的檔案清單沒有在 %1 秒內送達</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>its partial file is in use by another Ponder</source>
        <translation>它的未完成檔案正被另一個 Ponder 使用</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_part_file.cpp" line="+19"/>
        <source>%1 is not a regular file (a link?); it was left as it is</source>
        <translation>%1 不是一般檔案（是連結嗎？）；已保持原樣</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>could not rename %1 to %2: %3</source>
        <translation>無法將 %1 重新命名為 %2：%3</translation>
    </message>
    <message>
        <location line="+116"/>
        <location line="+5"/>
        <source>could not write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>not enough disk space: it needs %1 more, and %2 has %3 free</source>
        <translation>磁碟空間不足：還需要 %1，而 %2 只有 %3 可用</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_verify.cpp" line="+28"/>
        <source>the file&apos;s SHA-256 is %1, but it should be %2</source>
        <translation>檔案的 SHA-256 是 %1，但應該是 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>; the damaged file was deleted</source>
        <translation>；已刪除損壞的檔案</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_transfer.cpp" line="+64"/>
        <source>the server sent a part of the file without saying which</source>
        <translation>伺服器傳來檔案的一部分，卻沒有說明是哪一部分</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the server&apos;s file has %1 bytes, but %2 were expected</source>
        <translation>伺服器上的檔案有 %1 位元組，但預期為 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server offers a file with SHA-256 %1, but %2 was expected</source>
        <translation>伺服器提供的檔案 SHA-256 為 %1，但預期為 %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the server sent bytes from %1 on, not from %2</source>
        <translation>伺服器傳來的位元組從 %1 開始，而不是從 %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the server sent more than the file&apos;s %1 bytes</source>
        <translation>伺服器傳來的資料超過檔案的 %1 位元組</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server sent more than %1 bytes without saying how long the file is</source>
        <translation>伺服器傳來超過 %1 位元組，卻沒有說明檔案有多長</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>could not write to %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>the connection ended after %1 of %2 bytes</source>
        <translation>連線在 %2 位元組中的第 %1 位元組後中斷</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the server answered %1 without the file</source>
        <translation>伺服器回應 %1，沒有提供檔案</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (gave up after %2 tries)</source>
        <translation>%1（嘗試 %2 次後放棄）</translation>
    </message>
    <message>
        <location filename="../../app/downloads/download_verify.cpp" line="+7"/>
        <source>neither the catalog nor its server gave a SHA-256, and it is not from a Hugging Face repository whose file list could give one</source>
        <translation>目錄和它的伺服器都沒有提供 SHA-256，而且它不是來自能提供 SHA-256 檔案清單的 Hugging Face 儲存庫</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>its repository&apos;s file list is not at a secure address on its own server</source>
        <translation>它的儲存庫檔案清單不在其伺服器的安全位址上</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>its repository&apos;s file list is larger than %1 MB</source>
        <translation>它的儲存庫檔案清單大於 %1 MB</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>its repository&apos;s file list could not be fetched: %1</source>
        <translation>無法取得它的儲存庫檔案清單：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list could not be fetched: the server answered %1</source>
        <translation>無法取得它的儲存庫檔案清單：伺服器回應 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>its repository&apos;s file list cannot be used: %1</source>
        <translation>無法使用它的儲存庫檔案清單：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>its repository&apos;s file list does not name it</source>
        <translation>它的儲存庫檔案清單沒有列出它</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list goes on at another address</source>
        <translation>它的儲存庫檔案清單在另一個位址上繼續</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its repository&apos;s file list has more than %1 pages</source>
        <translation>它的儲存庫檔案清單超過 %1 頁</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the file&apos;s SHA-256 is %1 (%2 bytes), but its repository&apos;s file list says %3 (%4 bytes)</source>
        <translation>檔案的 SHA-256 是 %1（%2 位元組），但它的儲存庫檔案清單記載為 %3（%4 位元組）</translation>
    </message>
</context>
<context>
    <name>ponder::app::GpuSelector</name>
    <message>
        <location filename="../../app/models/gpu_selector.cpp" line="+31"/>
        <source>%1, %2 of RAM</source>
        <translation>%1，%2 記憶體</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CPU engine</source>
        <translation>CPU 引擎</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>the CPU engine is not in the device list</source>
        <translation>CPU 引擎不在裝置清單中</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Vulkan device %1 is not in the device list</source>
        <translation>Vulkan 裝置 %1 不在裝置清單中</translation>
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
        <translation>參考（%1）的下一個：</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>%1 next:</source>
        <translation>%1 的下一個：</translation>
    </message>
</context>
<context>
    <name>ponder::app::LocalModels</name>
    <message>
        <location filename="../../app/models/local_models.cpp" line="+170"/>
        <source>%1 is not a model Ponder can run: %2</source>
        <translation>%1 不是 Ponder 能執行的模型：%2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>There is not enough memory to read %1&apos;s header; it may be damaged.</source>
        <translation>記憶體不足，無法讀取 %1 的標頭；檔案可能已損壞。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 is not a file</source>
        <translation>%1 不是檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not a GGUF model file (.gguf)</source>
        <translation>%1 不是 GGUF 模型檔案（.gguf）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is part of a split model whose first part is missing</source>
        <translation>%1 是分割模型的一部分，但缺少第一部分</translation>
    </message>
</context>
<context>
    <name>ponder::app::MessageListModel</name>
    <message>
        <location filename="../../app/chat/message_list_model.cpp" line="+17"/>
        <source>1 token</source>
        <translation>1 個 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 tokens</source>
        <translation>%1 個 token</translation>
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
        <translation>推理提前結束：你要求立即回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reasoning ended early: the thinking budget of %1 was reached</source>
        <translation>推理提前結束：已達 %1 的思考預算</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 s to first token</source>
        <translation>首個 token 耗時 %1 秒</translation>
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
        <translation>記憶體</translation>
    </message>
    <message>
        <location filename="../../app/models/model_picker_roles.cpp" line="+35"/>
        <source>RAM %1</source>
        <translation>記憶體 %1</translation>
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
        <translation>未提供服務：沒有開啟的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not serving: the model runs on a server; Ponder serves only a model on this machine</source>
        <translation>未提供服務：模型在伺服器上執行；Ponder 只提供這台電腦上的模型</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not serving: port %1 is in use by another program (choose another port in the settings)</source>
        <translation>未提供服務：連接埠 %1 正被其他程式使用（請在設定中選擇其他連接埠）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not serving on port %1: %2</source>
        <translation>無法在連接埠 %1 上提供服務：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Serving on %1</source>
        <translation>正在 %1 上提供服務</translation>
    </message>
</context>
<context>
    <name>ponder::app::OpenAiClient</name>
    <message>
        <location filename="../../app/server/openai_client.cpp" line="+41"/>
        <source>Could not use the server: %1</source>
        <translation>無法使用伺服器：%1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>“%1” is not a server address (http://host:port)</source>
        <translation>「%1」不是伺服器位址（http://host:port）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the server&apos;s model list is larger than %1 MB</source>
        <translation>伺服器的模型清單超過 %1 MB</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 lists no models</source>
        <translation>%1 沒有列出任何模型</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Could not use the server: it serves %1, not “%2”</source>
        <translation>無法使用伺服器：它提供的是 %1，而不是「%2」</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 on the server %2</source>
        <translation>%1，位於伺服器 %2</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>the server closed the connection before any text</source>
        <translation>伺服器在傳來任何文字前就關閉了連線</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection in the middle of the answer</source>
        <translation>伺服器在回答途中關閉了連線</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> (its error response is larger than %1 MB and was not read)</source>
        <translation>（其錯誤回應超過 %1 MB，未讀取）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server sent an event of more than %1 MB without its end</source>
        <translation>伺服器傳送了一個超過 %1 MB 仍未結束的事件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the server sent something that is not JSON: %1</source>
        <translation>伺服器傳來的內容不是 JSON：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server reported an error: %1</source>
        <translation>伺服器回報錯誤：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Connecting to the server was cancelled</source>
        <translation>已取消連線到伺服器</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>the server answered %1</source>
        <translation>伺服器回應 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> (check the API key)</source>
        <translation>（請檢查 API 金鑰）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (is it an OpenAI-compatible server, and the model&apos;s name right?)</source>
        <translation>（它是 OpenAI 相容伺服器嗎？模型名稱正確嗎？）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server sent nothing for %1 s</source>
        <translation>伺服器 %1 秒內沒有傳來任何東西</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not reach %1: %2</source>
        <translation>無法連上 %1：%2</translation>
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
        <translation>0（參考）</translation>
    </message>
</context>
<context>
    <name>ponder::app::QualityPointList</name>
    <message>
        <location filename="../../app/models/quality_point.cpp" line="+145"/>
        <source>%1 of RAM available</source>
        <translation>可用記憶體 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 free</source>
        <translation>可用 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>RAM at %1 tokens of context (GB)</source>
        <translation>%1 個 token 上下文所需的記憶體（GB）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU memory at %1 tokens of context (GB)</source>
        <translation>%1 個 token 上下文所需的 GPU 記憶體（GB）</translation>
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
        <translation>伺服器傳來的不是所要求的那部分檔案</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the server did not tell the file&apos;s size</source>
        <translation>伺服器沒有告知檔案大小</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>no GGUF header ends within its first %1</source>
        <translation>在前 %1 內找不到 GGUF 標頭的結尾</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the server sent nothing for %1 s</source>
        <translation>伺服器 %1 秒內沒有傳來任何東西</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the server answered %1 without the file</source>
        <translation>伺服器回應 %1，沒有提供檔案</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the file ends inside its header</source>
        <translation>檔案在標頭內就結束了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server sent none of the bytes asked for</source>
        <translation>伺服器沒有傳來任何所要求的位元組</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>its header could not be read (%1)</source>
        <translation>無法讀取它的標頭（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there is not enough memory to read its header</source>
        <translation>記憶體不足，無法讀取它的標頭</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>its header claims more than %1</source>
        <translation>它的標頭聲稱超過 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is not a valid GGUF file (%1)</source>
        <translation>它不是有效的 GGUF 檔案（%1）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Reading the header of %1 failed: %2</source>
        <translation>讀取 %1 的標頭失敗：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::RemoteModelInfo</name>
    <message>
        <location filename="../../app/models/remote_model_info.cpp" line="+35"/>
        <source>The model has no files to read.</source>
        <translation>模型沒有可讀取的檔案。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Reading the header of %1 failed: %2</source>
        <translation>讀取 %1 的標頭失敗：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is not a model Ponder can run: %2</source>
        <translation>%1 不是 Ponder 能執行的模型：%2</translation>
    </message>
</context>
<context>
    <name>ponder::app::SecretStore</name>
    <message>
        <location filename="../../app/chat/secret_store.cpp" line="+57"/>
        <source>Stored in the system keyring</source>
        <translation>儲存在系統金鑰圈中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored in %1 (no keyring found)</source>
        <translation>儲存在 %1（找不到金鑰圈）</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>saved in the keyring, but the old file %1 could not be deleted</source>
        <translation>已儲存在金鑰圈中，但無法刪除舊檔案 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the keyring refused it: %1</source>
        <translation>金鑰圈拒絕了它：%1</translation>
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
        <translation>檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Memory</source>
        <translation>記憶體</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> (reference)</source>
        <translation>（參考）</translation>
    </message>
</context>
<context>
    <name>ponder::app::WelcomeController</name>
    <message>
        <location filename="../../app/welcome/welcome_controller.cpp" line="+137"/>
        <source>No model in the catalog fits your %1 with an 8k context (%2 free). A model on a server needs no memory here; a smaller model file may still open.</source>
        <translation>目錄中沒有任何模型能以 8k 上下文放進你的 %1（可用 %2）。伺服器上的模型不需要這裡的記憶體；較小的模型檔案或許仍能開啟。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RAM</source>
        <translation>記憶體</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No GPU and no CPU engine were found to run a model on. A model on a server still works.</source>
        <translation>找不到可執行模型的 GPU 或 CPU 引擎。伺服器上的模型仍然可以使用。</translation>
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
        <translation>沒有可下載的模型。</translation>
    </message>
</context>
</TS>
