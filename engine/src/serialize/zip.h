// Internal: a minimal zip reader and writer for PyTorch's checkpoint archives.
// Only STORED (uncompressed) entries, which is all torch.save writes; ZIP64
// end-of-central-directory records and extra fields are understood (torch
// always writes the ZIP64 EOCD). Multi-disk archives and encryption are refused.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "serialize/io.h"

namespace ft::serialize::detail {

struct ZipEntry {
  std::string name;
  int64_t data_offset = 0;  // of the entry's bytes in the file
  int64_t size = 0;
  uint32_t crc32 = 0;
};

class ZipReader {
 public:
  // Parses and validates the central directory and every local header:
  // afterwards each entry's byte range is known to lie inside the file.
  explicit ZipReader(const std::string& path);
  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;
  // Reads the entry into dst (entry.size bytes) and verifies its CRC-32.
  void read(const ZipEntry& e, void* dst) const;
  std::string read_string(const ZipEntry& e) const;
  const std::string& path() const { return reader_.path(); }

 private:
  FileReader reader_;
  std::vector<ZipEntry> entries_;
};

// Writes STORED entries with each entry's data aligned to 64 bytes (as
// PyTorch's writer does, so loaders may map storages directly).
class ZipWriter {
 public:
  explicit ZipWriter(const std::string& path) : w_(path) {}
  void add(const std::string& name, const void* data, int64_t size);
  // Writes the central directory (with ZIP64 end records, as torch does) and closes.
  void finish();

 private:
  struct Written {
    std::string name;
    int64_t header_offset;
    int64_t size;
    uint32_t crc;
  };
  FileWriter w_;
  std::vector<Written> written_;
};

}  // namespace ft::serialize::detail
