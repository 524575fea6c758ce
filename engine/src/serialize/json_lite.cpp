// Internal: the strict JSON reader/writer used for safetensors headers.
#include "serialize/json_lite.h"

#include <limits>

#include "ft/error.h"

namespace ft::serialize::detail {

const char* json_kind_name(JsonValue::Kind k) {
  switch (k) {
    case JsonValue::Kind::Null: return "null";
    case JsonValue::Kind::Bool: return "bool";
    case JsonValue::Kind::Number: return "number";
    case JsonValue::Kind::String: return "string";
    case JsonValue::Kind::Array: return "array";
    case JsonValue::Kind::Object: return "object";
  }
  return "?";
}

bool JsonValue::as_nonneg_int(int64_t* out) const {
  if (kind != Kind::Number || text.empty() || text.size() > 19) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (v > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

namespace {

struct JsonParser {
  const std::string& s;
  const char* what;
  int max_depth;
  size_t i = 0;

  [[noreturn]] void fail(const std::string& msg) {
    FT_ERROR(what, ": invalid JSON header: ", msg, " at byte ", i);
  }
  void skip_ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  void expect_word(const char* w) {
    for (const char* p = w; *p; ++p, ++i)
      if (i >= s.size() || s[i] != *p) fail(std::string("expected '") + w + "'");
  }
  static void put_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(char(cp));
    } else if (cp < 0x800) {
      out.push_back(char(0xC0 | (cp >> 6)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(char(0xE0 | (cp >> 12)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(char(0xF0 | (cp >> 18)));
      out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(char(0x80 | (cp & 0x3F)));
    }
  }
  uint32_t hex4() {
    if (i + 4 > s.size()) fail("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k, ++i) {
      char c = s[i];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= uint32_t(c - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }
  std::string string_lit() {
    if (i >= s.size() || s[i] != '"') fail("expected a string");
    ++i;
    std::string out;
    while (true) {
      if (i >= s.size()) fail("unterminated string");
      char c = s[i++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i >= s.size()) fail("unterminated escape");
      char e = s[i++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair encodes one code point
            if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u') fail("lone surrogate");
            i += 2;
            uint32_t lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("lone surrogate");
          }
          put_utf8(out, cp);
          break;
        }
        default: fail("bad escape");
      }
    }
  }
  std::string number_lit() {
    size_t start = i;
    if (i < s.size() && s[i] == '-') ++i;
    size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) fail("bad number");
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t f = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == f) fail("bad number");
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      size_t f = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == f) fail("bad number");
    }
    return s.substr(start, i - start);
  }
  JsonValue value(int depth) {
    if (depth > max_depth) fail("nesting deeper than " + std::to_string(max_depth));
    skip_ws();
    if (i >= s.size()) fail("unexpected end");
    JsonValue v;
    char c = s[i];
    if (c == '{') {
      v.kind = JsonValue::Kind::Object;
      ++i;
      skip_ws();
      if (i < s.size() && s[i] == '}') { ++i; return v; }
      while (true) {
        skip_ws();
        std::string key = string_lit();
        for (auto& kv : v.object)
          if (kv.first == key) fail("duplicate key '" + key + "'");
        skip_ws();
        if (i >= s.size() || s[i] != ':') fail("expected ':'");
        ++i;
        v.object.emplace_back(std::move(key), value(depth + 1));
        skip_ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == '}') { ++i; return v; }
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = JsonValue::Kind::Array;
      ++i;
      skip_ws();
      if (i < s.size() && s[i] == ']') { ++i; return v; }
      while (true) {
        v.array.push_back(value(depth + 1));
        skip_ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == ']') { ++i; return v; }
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind = JsonValue::Kind::String;
      v.text = string_lit();
      return v;
    }
    if (c == 't') { expect_word("true"); v.kind = JsonValue::Kind::Bool; v.b = true; return v; }
    if (c == 'f') { expect_word("false"); v.kind = JsonValue::Kind::Bool; return v; }
    if (c == 'n') { expect_word("null"); return v; }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = JsonValue::Kind::Number;
      v.text = number_lit();
      return v;
    }
    fail(std::string("unexpected character '") + c + "'");
  }
};

}  // namespace

JsonValue parse_json(const std::string& text, const char* what, int max_depth) {
  JsonParser p{text, what, max_depth};
  JsonValue v = p.value(0);
  p.skip_ws();
  if (p.i != text.size()) p.fail("trailing characters");
  return v;
}

void json_escape(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (u < 0x20) {
      out += "\\u00";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace ft::serialize::detail
