// Internal: storage class names and legacy-format detection for .pt files.
#include "serialize/pt_common.h"

#include "serialize/io.h"

namespace ft::serialize {

namespace {
struct PtStorageName {
  const char* name;
  DType dtype;
};
constexpr PtStorageName kPtStorages[] = {
    {"FloatStorage", DType::Float32}, {"DoubleStorage", DType::Float64}, {"HalfStorage", DType::Float16},
    {"BFloat16Storage", DType::BFloat16}, {"LongStorage", DType::Int64}, {"IntStorage", DType::Int32},
    {"ShortStorage", DType::Int16},   {"CharStorage", DType::Int8},     {"ByteStorage", DType::UInt8},
    {"BoolStorage", DType::Bool},
};
}  // namespace

std::optional<DType> pt_storage_dtype(const std::string& class_name) {
  for (auto& s : kPtStorages)
    if (class_name == s.name) return s.dtype;
  return std::nullopt;
}

const char* pt_storage_name(DType dt) {
  for (auto& s : kPtStorages)
    if (s.dtype == dt) return s.name;
  FT_ERROR("save_pt: dtype ", dtype_name(dt), " has no PyTorch storage class");
}

void pt_check_not_legacy(const std::string& path) {
  detail::FileReader r(path, "pt");
  uint8_t head[2] = {0, 0};
  if (r.size() >= 2) r.read_at(0, head, 2);
  bool pickle_start = head[0] == 0x80 && head[1] >= 2 && head[1] <= 5;
  bool tar = false;
  if (r.size() >= 262) tar = r.read_string(257, 5) == "ustar";
  FT_CHECK(!pickle_start && !tar, "pt: '", path,
           "' uses the legacy (non-zip) torch.save format, which FrankenTorch does not read. Re-save it with "
           "PyTorch >= 1.6: torch.save(torch.load(path), new_path) (the zip format is the default; do not pass "
           "_use_new_zipfile_serialization=False)");
}

}  // namespace ft::serialize
