// Internal: a small, strict JSON reader/writer for the safetensors header.
// Depth-limited and iterative enough that a hostile header cannot blow the
// stack; objects keep their key order and duplicate keys are refused.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ft::serialize::detail {

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool b = false;
  std::string text;  // String: the decoded string; Number: the literal
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  // Number that is a non-negative integer literal fitting in int64; else false.
  bool as_nonneg_int(int64_t* out) const;
};
const char* json_kind_name(JsonValue::Kind k);

// Throws ft::Error "<what>: invalid JSON header: ... at byte N".
JsonValue parse_json(const std::string& text, const char* what, int max_depth = 8);

// Appends s as a JSON string literal (quotes and escapes).
void json_escape(std::string& out, const std::string& s);

}  // namespace ft::serialize::detail
