// Internal: FileReader / FileWriter (bounds-checked stdio) and CRC-32.
#include "serialize/io.h"

#include <array>
#include <sys/stat.h>

#include <cerrno>

namespace ft::serialize::detail {

FileReader::FileReader(const std::string& path, const char* what) : path_(path), what_(what) {
  struct stat st;
  FT_CHECK(::stat(path.c_str(), &st) == 0, "cannot open '", path, "': ", std::strerror(errno));
  FT_CHECK(S_ISREG(st.st_mode), "cannot read '", path, "': not a regular file");
  f_ = std::fopen(path.c_str(), "rb");
  FT_CHECK(f_ != nullptr, "cannot open '", path, "': ", std::strerror(errno));
  if (std::fseek(f_, 0, SEEK_END) != 0 || (size_ = int64_t(std::ftell(f_))) < 0) {
    std::fclose(f_);
    f_ = nullptr;
    FT_ERROR("cannot read '", path, "': not a regular file");
  }
}

FileReader::~FileReader() {
  if (f_) std::fclose(f_);
}

void FileReader::read_at(int64_t offset, void* dst, int64_t n) const {
  FT_CHECK(in_range(offset, n), what_, ": '", path_, "' is truncated or corrupt: needs bytes [", offset, ", ",
           offset + n, ") but the file has ", size_, " bytes");
  if (n == 0) return;
  FT_CHECK(std::fseek(f_, long(offset), SEEK_SET) == 0 && std::fread(dst, 1, size_t(n), f_) == size_t(n),
           what_, ": read error on '", path_, "' at offset ", offset);
}

std::string FileReader::read_string(int64_t offset, int64_t n) const {
  FT_CHECK(in_range(offset, n), what_, ": '", path_, "' is truncated or corrupt: needs bytes [", offset, ", ",
           offset + n, ") but the file has ", size_, " bytes");
  std::string s(size_t(n), '\0');
  read_at(offset, s.data(), n);
  return s;
}

FileWriter::FileWriter(const std::string& path) : path_(path) {
  f_ = std::fopen(path.c_str(), "wb");
  FT_CHECK(f_ != nullptr, "cannot create '", path, "': ", std::strerror(errno));
}

FileWriter::~FileWriter() {
  if (f_) std::fclose(f_);  // an exception is in flight; close() reports errors otherwise
}

void FileWriter::write(const void* p, int64_t n) {
  if (n == 0) return;
  FT_CHECK(std::fwrite(p, 1, size_t(n), f_) == size_t(n), "write error on '", path_, "': ", std::strerror(errno));
  pos_ += n;
}
void FileWriter::u16(uint16_t v) {
  uint8_t b[2] = {uint8_t(v), uint8_t(v >> 8)};
  write(b, 2);
}
void FileWriter::u32(uint32_t v) {
  std::string s;
  store_le32(s, v);
  write(s);
}
void FileWriter::u64(uint64_t v) {
  std::string s;
  store_le64(s, v);
  write(s);
}
void FileWriter::close() {
  std::FILE* f = f_;
  f_ = nullptr;
  bool ok = std::fflush(f) == 0;
  ok = (std::fclose(f) == 0) && ok;
  FT_CHECK(ok, "write error on '", path_, "': ", std::strerror(errno));
}

namespace {
std::array<uint32_t, 256> make_crc32_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, int64_t n) {
  static const std::array<uint32_t, 256> table = make_crc32_table();
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
  for (int64_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}

}  // namespace ft::serialize::detail
