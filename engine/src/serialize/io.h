// Internal: bounds-checked file access for the checkpoint readers/writers,
// little-endian integer helpers and the CRC-32 used by zip and the native format.
//
// NOTE [ Reading untrusted checkpoints ]
// Readers never trust a size from the file: every read goes through
// FileReader::read_at, which checks the range against the real file size, so
// a hostile length field raises "truncated" instead of allocating gigabytes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "ft/error.h"
#include "ft/hardened.h"

namespace ft::serialize::detail {

class FileReader {
 public:
  // `what` names the format in error messages ("safetensors", "zip", ...).
  FileReader(const std::string& path, const char* what);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  int64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Reads exactly n bytes at offset; raises a "truncated" error if the range
  // is not inside the file.
  void read_at(int64_t offset, void* dst, int64_t n) const;
  std::string read_string(int64_t offset, int64_t n) const;
  bool in_range(int64_t offset, int64_t n) const {
    return offset >= 0 && n >= 0 && offset <= size_ && n <= size_ - offset;
  }

 private:
  std::string path_;
  const char* what_;
  std::FILE* f_ = nullptr;
  int64_t size_ = 0;
};

class FileWriter {
 public:
  explicit FileWriter(const std::string& path);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;
  void write(const void* p, int64_t n);
  void write(const std::string& s) { write(s.data(), int64_t(s.size())); }
  void u8(uint8_t v) { write(&v, 1); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  int64_t pos() const { return pos_; }
  // Flushes and closes; raises on a write error (disk full).
  void close();

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  int64_t pos_ = 0;
};

inline uint16_t load_le16(const void* p) {
  const uint8_t* b = static_cast<const uint8_t*>(p);
  return uint16_t(b[0] | (b[1] << 8));
}
inline uint32_t load_le32(const void* p) {
  const uint8_t* b = static_cast<const uint8_t*>(p);
  return uint32_t(b[0]) | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
}
inline uint64_t load_le64(const void* p) {
  return uint64_t(load_le32(p)) | (uint64_t(load_le32(static_cast<const uint8_t*>(p) + 4)) << 32);
}
inline void store_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}
inline void store_le64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip uses.
// crc32_update(0, ...) starts a new checksum; feed chunks in order.
uint32_t crc32_update(uint32_t crc, const void* data, int64_t n);

// The engine's storage is little-endian in memory; the formats are too.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "checkpoint I/O assumes a little-endian host");

// Runs a checkpoint reader. A refusal stays the reader's ft::Error and is also
// a checkpoint_verification_failed event while a hardened sink is installed
// (NOTE [ Engine interventions ] in ft/hardened.h).
template <typename F>
auto verified_load(const char* format, const std::string& path, F read) -> decltype(read()) {
  try {
    return read();
  } catch (const Error& e) {
    hardened::report("checkpoint_verification_failed",
                     ft::detail::str_cat(format, " file '", path, "' refused: ", e.what()));
    throw;
  }
}

}  // namespace ft::serialize::detail
