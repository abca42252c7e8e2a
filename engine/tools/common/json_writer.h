// A small streaming JSON writer for the command-line tools' output (the
// engine has no JSON library and needs none elsewhere).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::tools {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(int64_t number);
    JsonWriter& value(uint64_t number);
    JsonWriter& value(int number) { return value(int64_t(number)); }
    JsonWriter& value(uint32_t number) { return value(uint64_t(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& null();

    template <typename T>
    JsonWriter& field(std::string_view name, const T& v)
    {
        key(name);
        return value(v);
    }

    const std::string& text() const { return m_text; }

private:
    void separate();
    void indent();

    std::string m_text;
    std::vector<bool> m_hasItems;  // per open container: something written already
    bool m_afterKey = false;
};

std::string jsonEscape(std::string_view text);

} // namespace ponder::tools
