// safetensors reader and writer (format summary in ft/serialize/safetensors.h).
#include "ft/serialize/safetensors.h"

#include <algorithm>
#include <limits>

#include "ft/ops.h"
#include "serialize/io.h"
#include "serialize/json_lite.h"

namespace ft::serialize {

namespace {

using detail::JsonValue;

// The reference implementation refuses headers over 100 MB; so do we, which
// also bounds the one allocation made from an untrusted length.
constexpr int64_t kMaxSafetensorsHeader = 100'000'000;

struct StDtypeName {
  const char* name;
  DType dtype;
};
constexpr StDtypeName kStDtypes[] = {
    {"F32", DType::Float32}, {"F64", DType::Float64}, {"F16", DType::Float16}, {"BF16", DType::BFloat16},
    {"I64", DType::Int64},   {"I32", DType::Int32},   {"I16", DType::Int16},   {"I8", DType::Int8},
    {"U8", DType::UInt8},    {"BOOL", DType::Bool},
};

const char* st_dtype_name(DType d) {
  for (auto& e : kStDtypes)
    if (e.dtype == d) return e.name;
  FT_ERROR("safetensors: dtype ", dtype_name(d), " has no safetensors name");
}

struct StPending {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  int64_t begin, end;
};

StPending st_parse_entry(const std::string& path, const std::string& name, const JsonValue& v) {
  auto bad = [&](const std::string& msg) {
    FT_ERROR("safetensors: '", path, "': tensor '", name, "': ", msg,
             " (the file is corrupt or not a safetensors file)");
  };
  if (v.kind != JsonValue::Kind::Object) bad("header entry is a JSON " + std::string(json_kind_name(v.kind)) +
                                             ", expected an object");
  const JsonValue *dtype = nullptr, *shape = nullptr, *offsets = nullptr;
  for (auto& kv : v.object) {
    if (kv.first == "dtype") dtype = &kv.second;
    else if (kv.first == "shape") shape = &kv.second;
    else if (kv.first == "data_offsets") offsets = &kv.second;
    else bad("unknown field '" + kv.first + "' (expected dtype, shape, data_offsets)");
  }
  if (!dtype || !shape || !offsets) bad("missing one of the fields dtype, shape, data_offsets");
  StPending p;
  p.name = name;
  if (dtype->kind != JsonValue::Kind::String) bad("dtype is not a string");
  bool found = false;
  for (auto& e : kStDtypes)
    if (dtype->text == e.name) { p.dtype = e.dtype; found = true; }
  if (!found)
    bad("dtype '" + dtype->text + "' is not supported (supported: F32 F64 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
  if (shape->kind != JsonValue::Kind::Array) bad("shape is not an array");
  if (shape->array.size() > 64) bad("shape has more than 64 dimensions");
  int64_t numel = 1;
  for (auto& d : shape->array) {
    int64_t s;
    if (!d.as_nonneg_int(&s)) bad("shape holds '" + d.text + "', expected non-negative integers");
    if (s != 0 && numel > std::numeric_limits<int64_t>::max() / 8 / s) bad("shape has too many elements");
    numel *= s;
    p.shape.push_back(s);
  }
  if (offsets->kind != JsonValue::Kind::Array || offsets->array.size() != 2 ||
      !offsets->array[0].as_nonneg_int(&p.begin) || !offsets->array[1].as_nonneg_int(&p.end))
    bad("data_offsets must be two non-negative integers [begin, end]");
  if (p.end < p.begin) bad("data_offsets end < begin");
  int64_t nbytes = numel * itemsize(p.dtype);
  if (p.end - p.begin != nbytes)
    bad("data_offsets span " + std::to_string(p.end - p.begin) + " bytes but dtype " + dtype->text +
        " and the shape need " + std::to_string(nbytes));
  return p;
}

}  // namespace

static SafetensorsFile read_safetensors(const std::string& path) {
  detail::FileReader r(path, "safetensors");
  FT_CHECK(r.size() >= 8, "safetensors: '", path, "' is too short (", r.size(),
           " bytes) to be a safetensors file");
  uint8_t lenb[8];
  r.read_at(0, lenb, 8);
  uint64_t hlen = detail::load_le64(lenb);
  FT_CHECK(hlen <= uint64_t(kMaxSafetensorsHeader), "safetensors: '", path, "': header length ", hlen,
           " is larger than the 100 MB limit (corrupt file or not safetensors)");
  FT_CHECK(int64_t(hlen) <= r.size() - 8, "safetensors: '", path, "' is truncated: header length ", hlen,
           " but only ", r.size() - 8, " bytes follow");
  std::string header = r.read_string(8, int64_t(hlen));
  JsonValue root = detail::parse_json(header, "safetensors", 4);
  FT_CHECK(root.kind == JsonValue::Kind::Object, "safetensors: '", path, "': header is not a JSON object");

  SafetensorsFile out;
  std::vector<StPending> pending;
  for (auto& kv : root.object) {
    if (kv.first == "__metadata__") {
      FT_CHECK(kv.second.kind == JsonValue::Kind::Object, "safetensors: '", path,
               "': __metadata__ must be an object of strings");
      for (auto& m : kv.second.object) {
        FT_CHECK(m.second.kind == JsonValue::Kind::String, "safetensors: '", path, "': __metadata__ value '",
                 m.first, "' is not a string");
        out.metadata.emplace_back(m.first, m.second.text);
      }
      continue;
    }
    pending.push_back(st_parse_entry(path, kv.first, kv.second));
  }

  // The data must be covered exactly, without gaps or overlaps (as the
  // reference implementation requires): sort by offset and walk.
  int64_t data_start = 8 + int64_t(hlen);
  int64_t data_len = r.size() - data_start;
  std::vector<const StPending*> by_off;
  for (auto& p : pending) by_off.push_back(&p);
  std::stable_sort(by_off.begin(), by_off.end(),
                   [](const StPending* a, const StPending* b) { return a->begin < b->begin || (a->begin == b->begin && a->end < b->end); });
  int64_t cursor = 0;
  for (const StPending* p : by_off) {
    FT_CHECK(p->begin >= cursor, "safetensors: '", path, "': tensor '", p->name, "' data [", p->begin, ", ", p->end,
             ") overlaps the previous tensor (ends at ", cursor, ")");
    FT_CHECK(p->begin == cursor, "safetensors: '", path, "': gap in the data before tensor '", p->name, "' (bytes [",
             cursor, ", ", p->begin, ") belong to no tensor)");
    FT_CHECK(p->end <= data_len, "safetensors: '", path, "' is truncated: tensor '", p->name, "' needs data up to byte ",
             p->end, " but the data section has ", data_len, " bytes");
    cursor = p->end;
  }
  FT_CHECK(cursor == data_len, "safetensors: '", path, "': ", data_len - cursor,
           " trailing bytes after the last tensor (corrupt file)");

  for (auto& p : pending) {
    Tensor t = empty(p.shape, p.dtype);
    r.read_at(data_start + p.begin, t.data_ptr(), p.end - p.begin);
    if (p.dtype == DType::Bool) {
      // A bool byte other than 0/1 would be undefined behaviour when read as bool.
      const uint8_t* b = static_cast<const uint8_t*>(t.data_ptr());
      for (int64_t k = 0; k < t.numel(); ++k)
        FT_CHECK(b[k] <= 1, "safetensors: '", path, "': tensor '", p.name, "' (BOOL) holds byte ", int(b[k]),
                 " at element ", k, "; booleans must be 0 or 1");
    }
    out.tensors.push_back({p.name, t});
  }
  return out;
}

SafetensorsFile load_safetensors(const std::string& path) {
  return detail::verified_load("safetensors", path, [&] { return read_safetensors(path); });
}

void save_safetensors(const std::string& path, const TensorEntries& tensors, const Metadata& metadata) {
  std::string header = "{";
  bool first = true;
  if (!metadata.empty()) {
    header += "\"__metadata__\":{";
    for (size_t i = 0; i < metadata.size(); ++i) {
      if (i) header += ",";
      detail::json_escape(header, metadata[i].first);
      header += ":";
      detail::json_escape(header, metadata[i].second);
    }
    header += "}";
    first = false;
  }
  std::vector<Tensor> data;
  int64_t off = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& e = tensors[i];
    FT_CHECK_VALUE(e.tensor.defined(), "save_safetensors: tensor '", e.name, "' is undefined");
    FT_CHECK_VALUE(!e.name.empty() && e.name != "__metadata__", "save_safetensors: invalid tensor name '", e.name, "'");
    for (size_t j = 0; j < i; ++j)
      FT_CHECK_VALUE(tensors[j].name != e.name, "save_safetensors: duplicate tensor name '", e.name, "'");
    Tensor c = e.tensor.detach().contiguous();
    int64_t nbytes = c.numel() * c.element_size();
    if (!first) header += ",";
    first = false;
    detail::json_escape(header, e.name);
    header += ":{\"dtype\":\"";
    header += st_dtype_name(c.dtype());
    header += "\",\"shape\":[";
    for (int64_t d = 0; d < c.dim(); ++d) header += (d ? "," : "") + std::to_string(c.size(d));
    header += "],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + nbytes) + "]}";
    off += nbytes;
    data.push_back(c);
  }
  header += "}";
  // Pad with spaces so the data starts 8-byte aligned (what the reference writer does).
  while (header.size() % 8 != 0) header.push_back(' ');
  detail::FileWriter w(path);
  w.u64(header.size());
  w.write(header);
  for (auto& c : data) w.write(c.data_ptr(), c.numel() * c.element_size());
  w.close();
}

}  // namespace ft::serialize
