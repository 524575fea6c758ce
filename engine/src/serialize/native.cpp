// The native FrankenTorch checkpoint format: writer and verifying reader.
//
// NOTE [ Native checkpoint layout ]
// All integers little-endian.
//   file   := magic "FTORCHCK" (8 bytes) | u32 version (=1) | u32 flags (=0) | u64 count | record*count
//   record := u32 name_len | name (UTF-8, 1..65536 bytes)
//             | u8 dtype code | u8 ndim (<= 64) | u16 reserved (=0)
//             | i64 sizes[ndim] | i64 strides[ndim] | i64 storage_offset
//             | u64 nbytes | u32 crc32 | data[nbytes]
// dtype codes are fixed (not the enum value, so reordering DType cannot
// silently change old files): 0 F32, 1 F64, 2 F16, 3 BF16, 4 I64, 5 I32,
// 6 I16, 7 I8, 8 U8, 9 BOOL.
// Version 1 stores data row-major contiguous, so strides are the contiguous
// strides of sizes and storage_offset is 0 (the fields exist so that a later
// version can store a strided layout without a new record shape); a reader
// refuses anything else. The CRC-32 (IEEE, as zip) covers the whole record
// from name_len up to the checksum field, then the data: a flipped bit in the
// name, shape or data is caught. Trailing bytes after the last record are refused.
#include "ft/serialize/native.h"

#include <limits>

#include "ft/ops.h"
#include "serialize/io.h"

namespace ft::serialize {

namespace {

constexpr DType kNativeCodes[] = {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int64,
                                  DType::Int32,   DType::Int16,   DType::Int8,    DType::UInt8,    DType::Bool};
constexpr int64_t kNativeMaxName = 65536;
constexpr int64_t kNativeMaxDim = 64;

uint8_t native_code(DType d) {
  for (uint8_t i = 0; i < 10; ++i)
    if (kNativeCodes[i] == d) return i;
  FT_ERROR("save_native: dtype ", dtype_name(d), " has no native code");
}

}  // namespace

void save_native(const std::string& path, const TensorEntries& tensors) {
  detail::FileWriter w(path);
  w.write(kNativeMagic, 8);
  w.u32(kNativeVersion);
  w.u32(0);
  w.u64(tensors.size());
  for (const auto& e : tensors) {
    FT_CHECK_VALUE(e.tensor.defined(), "save_native: tensor '", e.name, "' is undefined");
    FT_CHECK_VALUE(!e.name.empty() && int64_t(e.name.size()) <= kNativeMaxName, "save_native: tensor name '", e.name,
                   "' must have 1..", kNativeMaxName, " bytes");
    FT_CHECK_VALUE(e.tensor.dim() <= kNativeMaxDim, "save_native: tensor '", e.name, "' has more than ",
                   kNativeMaxDim, " dims");
    Tensor c = e.tensor.detach().contiguous();
    std::string rec;
    detail::store_le32(rec, uint32_t(e.name.size()));
    rec += e.name;
    rec.push_back(char(native_code(c.dtype())));
    rec.push_back(char(c.dim()));
    rec.append(2, '\0');
    DimVector strides = contiguous_strides(c.sizes());
    for (int64_t d = 0; d < c.dim(); ++d) detail::store_le64(rec, uint64_t(c.size(d)));
    for (int64_t d = 0; d < c.dim(); ++d) detail::store_le64(rec, uint64_t(strides[size_t(d)]));
    detail::store_le64(rec, 0);
    int64_t nbytes = c.numel() * c.element_size();
    detail::store_le64(rec, uint64_t(nbytes));
    uint32_t crc = detail::crc32_update(0, rec.data(), int64_t(rec.size()));
    crc = detail::crc32_update(crc, c.data_ptr(), nbytes);
    detail::store_le32(rec, crc);
    w.write(rec);
    w.write(c.data_ptr(), nbytes);
  }
  w.close();
}

static TensorEntries read_native(const std::string& path) {
  detail::FileReader r(path, "native checkpoint");
  auto corrupt = [&](const std::string& msg) {
    FT_ERROR("native checkpoint: '", path, "': ", msg, "; the file is corrupt or truncated: re-save it");
  };
  if (r.size() < 24) {
    char m[8] = {};
    if (r.size() >= 8) r.read_at(0, m, 8);
    if (r.size() >= 8 && std::memcmp(m, kNativeMagic, 8) == 0) corrupt("file ends inside the file header");
    FT_ERROR("native checkpoint: '", path, "' is not a FrankenTorch checkpoint (too short, bad magic)");
  }
  uint8_t hdr[24];
  r.read_at(0, hdr, 24);
  FT_CHECK(std::memcmp(hdr, kNativeMagic, 8) == 0, "native checkpoint: '", path,
           "' is not a FrankenTorch checkpoint (bad magic); for safetensors or PyTorch .pt files use "
           "load_checkpoint() or `ftorch checkpoint inspect`");
  uint32_t version = detail::load_le32(hdr + 8);
  FT_CHECK(version != 0 && version <= kNativeVersion, "native checkpoint: '", path, "' has format version ", version,
           " but this build reads versions 1..", kNativeVersion, ": it was written by a newer FrankenTorch, upgrade to read it");
  uint32_t flags = detail::load_le32(hdr + 12);
  if (flags != 0) corrupt("unknown flags " + std::to_string(flags));
  uint64_t count = detail::load_le64(hdr + 16);
  // Each record takes at least 32 bytes: a count beyond that is corrupt (and
  // must not drive a reservation).
  if (count > uint64_t(r.size() / 32)) corrupt("tensor count " + std::to_string(count) + " does not fit the file");

  TensorEntries out;
  int64_t pos = 24;
  for (uint64_t k = 0; k < count; ++k) {
    std::string where = "record " + std::to_string(k);
    if (!r.in_range(pos, 4)) corrupt(where + ": file ends before the record");
    uint8_t b4[8];
    r.read_at(pos, b4, 4);
    int64_t name_len = detail::load_le32(b4);
    if (name_len < 1 || name_len > kNativeMaxName) corrupt(where + ": bad name length " + std::to_string(name_len));
    if (!r.in_range(pos, 4 + name_len + 4)) corrupt(where + ": file ends inside the record header");
    std::string name = r.read_string(pos + 4, name_len);
    where = "tensor '" + name + "'";
    uint8_t meta[4];
    r.read_at(pos + 4 + name_len, meta, 4);
    if (meta[0] >= 10) corrupt(where + ": unknown dtype code " + std::to_string(meta[0]));
    if (meta[1] > kNativeMaxDim) corrupt(where + ": " + std::to_string(meta[1]) + " dims");
    if (meta[2] != 0 || meta[3] != 0) corrupt(where + ": reserved bytes are not zero");
    DType dt = kNativeCodes[meta[0]];
    int64_t ndim = meta[1];
    int64_t fixed = 4 + name_len + 4 + 16 * ndim + 8 + 8;
    if (!r.in_range(pos, fixed + 4)) corrupt(where + ": file ends inside the record header");
    std::string rec = r.read_string(pos, fixed);
    const char* g = rec.data() + 4 + name_len + 4;
    std::vector<int64_t> sizes(static_cast<size_t>(ndim)), strides(static_cast<size_t>(ndim));
    int64_t numel = 1;
    for (int64_t d = 0; d < ndim; ++d) {
      uint64_t s = detail::load_le64(g + 8 * d);
      if (s > uint64_t(r.size())) corrupt(where + ": size " + std::to_string(s) + " does not fit the file");
      sizes[size_t(d)] = int64_t(s);
      if (s != 0 && numel > std::numeric_limits<int64_t>::max() / 8 / int64_t(s)) corrupt(where + ": too many elements");
      numel *= int64_t(s);
    }
    for (int64_t d = 0; d < ndim; ++d) strides[size_t(d)] = int64_t(detail::load_le64(g + 8 * (ndim + d)));
    int64_t offset = int64_t(detail::load_le64(g + 16 * ndim));
    uint64_t nbytes = detail::load_le64(g + 16 * ndim + 8);
    uint8_t crcb[4];
    r.read_at(pos + fixed, crcb, 4);
    uint32_t stored = detail::load_le32(crcb);
    if (!IntArrayRef(strides).equals(IntArrayRef(contiguous_strides(sizes))) || offset != 0)
      corrupt(where + ": version 1 stores contiguous data, but the record has strides or a storage offset");
    if (nbytes != uint64_t(numel * itemsize(dt)))
      corrupt(where + ": data size " + std::to_string(nbytes) + " does not match dtype and shape");
    int64_t data_pos = pos + fixed + 4;
    if (!r.in_range(data_pos, int64_t(nbytes)))
      corrupt(where + ": truncated (needs " + std::to_string(nbytes) + " data bytes at offset " +
              std::to_string(data_pos) + ", file has " + std::to_string(r.size()) + ")");
    Tensor t = empty(sizes, dt);
    r.read_at(data_pos, t.data_ptr(), int64_t(nbytes));
    uint32_t crc = detail::crc32_update(0, rec.data(), fixed);
    crc = detail::crc32_update(crc, t.data_ptr(), int64_t(nbytes));
    if (crc != stored) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "stored 0x%08x, computed 0x%08x", stored, crc);
      corrupt(where + ": checksum mismatch (" + buf + ")");
    }
    if (dt == DType::Bool) {
      const uint8_t* b = static_cast<const uint8_t*>(t.data_ptr());
      for (int64_t i = 0; i < t.numel(); ++i)
        if (b[i] > 1) corrupt(where + ": bool byte " + std::to_string(b[i]) + " is neither 0 nor 1");
    }
    for (auto& e : out)
      if (e.name == name) corrupt("duplicate tensor name '" + name + "'");
    out.push_back({name, t});
    pos = data_pos + int64_t(nbytes);
  }
  if (pos != r.size()) corrupt(std::to_string(r.size() - pos) + " trailing bytes after the last tensor");
  return out;
}

TensorEntries load_native(const std::string& path) {
  return detail::verified_load("native checkpoint", path, [&] { return read_native(path); });
}

}  // namespace ft::serialize
