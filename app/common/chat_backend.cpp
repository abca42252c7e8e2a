#include "chat_backend.h"

namespace ponder::app {

QString roleName(MessageRole role)
{
    switch (role) {
    case MessageRole::System: return QStringLiteral("system");
    case MessageRole::User: return QStringLiteral("user");
    case MessageRole::Assistant: return QStringLiteral("assistant");
    }
    return QStringLiteral("user");
}

std::optional<MessageRole> roleNamed(QStringView name)
{
    for (MessageRole role : {MessageRole::System, MessageRole::User, MessageRole::Assistant})
        if (name == roleName(role))
            return role;
    return std::nullopt;
}

} // namespace ponder::app
