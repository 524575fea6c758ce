// Internal: the zip reader/writer behind .pt loading and saving (see zip.h).
#include "serialize/zip.h"

#include <algorithm>
#include <unordered_set>

namespace ft::serialize::detail {

namespace {

constexpr uint32_t kZipLocalSig = 0x04034b50, kZipCentralSig = 0x02014b50, kZipEocdSig = 0x06054b50,
                   kZip64EocdSig = 0x06064b50, kZip64LocatorSig = 0x07064b50;
constexpr int64_t kZipMaxComment = 65535;

[[noreturn]] void zip_corrupt(const std::string& path, const std::string& msg) {
  FT_ERROR("zip: '", path, "' is not a valid zip archive (", msg, "); if it is a torch.save file it is corrupt or truncated");
}

}  // namespace

ZipReader::ZipReader(const std::string& path) : reader_(path, "zip") {
  const FileReader& r = reader_;
  int64_t n = r.size();
  if (n < 22) zip_corrupt(path, "too short");
  // The end-of-central-directory record sits in the last 22 + comment bytes.
  int64_t tail_len = std::min<int64_t>(n, 22 + kZipMaxComment);
  std::string tail = r.read_string(n - tail_len, tail_len);
  int64_t eocd = -1;
  for (int64_t i = tail_len - 22; i >= 0; --i) {
    if (load_le32(tail.data() + i) == kZipEocdSig &&
        i + 22 + int64_t(load_le16(tail.data() + i + 20)) == tail_len) {
      eocd = n - tail_len + i;
      break;
    }
  }
  if (eocd < 0) zip_corrupt(path, "no end-of-central-directory record");
  const char* e = tail.data() + (eocd - (n - tail_len));
  uint16_t disk = load_le16(e + 4), cd_disk = load_le16(e + 6);
  int64_t count = load_le16(e + 10);
  int64_t cd_size = load_le32(e + 12);
  int64_t cd_off = load_le32(e + 16);
  bool zip64 = count == 0xFFFF || cd_size == 0xFFFFFFFFll || cd_off == 0xFFFFFFFFll;
  if (eocd >= 20) {
    uint8_t loc[20];
    r.read_at(eocd - 20, loc, 20);
    if (load_le32(loc) == kZip64LocatorSig) {
      uint64_t off64 = load_le64(loc + 8);
      if (off64 > uint64_t(n) || !r.in_range(int64_t(off64), 56)) zip_corrupt(path, "bad ZIP64 locator");
      uint8_t z[56];
      r.read_at(int64_t(off64), z, 56);
      if (load_le32(z) != kZip64EocdSig) zip_corrupt(path, "bad ZIP64 end record signature");
      disk = uint16_t(std::min<uint32_t>(load_le32(z + 16), 0xFFFF));
      cd_disk = uint16_t(std::min<uint32_t>(load_le32(z + 20), 0xFFFF));
      uint64_t c64 = load_le64(z + 32), s64 = load_le64(z + 40), o64 = load_le64(z + 48);
      if (c64 > uint64_t(n) || s64 > uint64_t(n) || o64 > uint64_t(n)) zip_corrupt(path, "ZIP64 sizes beyond the file");
      count = int64_t(c64);
      cd_size = int64_t(s64);
      cd_off = int64_t(o64);
      zip64 = false;
    }
  }
  if (zip64) zip_corrupt(path, "ZIP64 fields without a ZIP64 end record");
  if (disk != 0 || cd_disk != 0) zip_corrupt(path, "multi-disk archives are not supported");
  if (!r.in_range(cd_off, cd_size)) zip_corrupt(path, "central directory outside the file");
  if (count > cd_size / 46) zip_corrupt(path, "entry count does not fit the central directory");
  std::string cd = r.read_string(cd_off, cd_size);

  std::unordered_set<std::string> names;
  int64_t p = 0;
  for (int64_t k = 0; k < count; ++k) {
    if (p + 46 > cd_size) zip_corrupt(path, "central directory truncated");
    const char* c = cd.data() + p;
    if (load_le32(c) != kZipCentralSig) zip_corrupt(path, "bad central directory signature");
    uint16_t flags = load_le16(c + 8), method = load_le16(c + 10);
    uint32_t crc = load_le32(c + 16);
    int64_t csize = load_le32(c + 20), usize = load_le32(c + 24);
    int64_t name_len = load_le16(c + 28), extra_len = load_le16(c + 30), comment_len = load_le16(c + 32);
    int64_t disk_start = load_le16(c + 34);
    int64_t local = load_le32(c + 42);
    if (p + 46 + name_len + extra_len + comment_len > cd_size) zip_corrupt(path, "central directory truncated");
    std::string name(c + 46, size_t(name_len));
    // ZIP64 extended information: the 64-bit values of the fields set to all ones, in this order.
    const char* x = c + 46 + name_len;
    for (int64_t q = 0; q + 4 <= extra_len;) {
      uint16_t id = load_le16(x + q), len = load_le16(x + q + 2);
      if (q + 4 + len > extra_len) zip_corrupt(path, "bad extra field in '" + name + "'");
      if (id == 0x0001) {
        const char* v = x + q + 4;
        int64_t avail = len;
        auto take = [&](int64_t& field) {
          if (avail < 8) zip_corrupt(path, "short ZIP64 extra field in '" + name + "'");
          uint64_t val = load_le64(v);
          if (val > uint64_t(INT64_MAX)) zip_corrupt(path, "ZIP64 value out of range in '" + name + "'");
          field = int64_t(val);
          v += 8;
          avail -= 8;
        };
        if (usize == 0xFFFFFFFFll) take(usize);
        if (csize == 0xFFFFFFFFll) take(csize);
        if (local == 0xFFFFFFFFll) take(local);
        if (disk_start == 0xFFFF) disk_start = 0;
      }
      q += 4 + len;
    }
    p += 46 + name_len + extra_len + comment_len;
    if (flags & 1) FT_ERROR("zip: '", path, "': entry '", name, "' is encrypted; encrypted archives are not supported");
    if (method != 0)
      FT_ERROR("zip: '", path, "': entry '", name, "' is compressed (method ", method,
               "); only stored (uncompressed) entries are supported, as torch.save writes them. "
               "Re-save the file with torch.save (do not re-zip it with compression)");
    if (csize != usize) zip_corrupt(path, "stored entry '" + name + "' has different compressed and plain sizes");
    if (!names.insert(name).second) zip_corrupt(path, "duplicate entry '" + name + "'");
    // The local header repeats name and extra with possibly different lengths.
    uint8_t lh[30];
    if (!r.in_range(local, 30)) zip_corrupt(path, "local header of '" + name + "' outside the file");
    r.read_at(local, lh, 30);
    if (load_le32(lh) != kZipLocalSig) zip_corrupt(path, "bad local header signature for '" + name + "'");
    int64_t data = local + 30 + load_le16(lh + 26) + load_le16(lh + 28);
    if (!r.in_range(data, usize) || data + usize > cd_off)
      zip_corrupt(path, "data of '" + name + "' lies outside the file or overlaps the central directory");
    entries_.push_back({name, data, usize, crc});
  }
}

const ZipEntry* ZipReader::find(const std::string& name) const {
  for (auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

void ZipReader::read(const ZipEntry& e, void* dst) const {
  reader_.read_at(e.data_offset, dst, e.size);
  uint32_t crc = crc32_update(0, dst, e.size);
  FT_CHECK(crc == e.crc32, "zip: '", path(), "': entry '", e.name, "' fails its CRC-32 check (stored ", e.crc32,
           ", computed ", crc, "): the file is corrupt");
}

std::string ZipReader::read_string(const ZipEntry& e) const {
  std::string s(size_t(e.size), '\0');
  read(e, s.data());
  return s;
}

void ZipWriter::add(const std::string& name, const void* data, int64_t size) {
  FT_CHECK(size < 0xFFFFFFFFll && w_.pos() < 0xFFFFFFFFll - size,
           "save_pt: archives over 4 GiB (ZIP64 entries) are not supported by this writer yet");
  FT_CHECK(name.size() < 0xFFFF, "zip: entry name too long");
  int64_t header = w_.pos();
  // Pad with an extra field so the data starts at a multiple of 64.
  int64_t base = header + 30 + int64_t(name.size());
  int64_t pad = (64 - (base + 4) % 64) % 64;
  uint32_t crc = crc32_update(0, data, size);
  w_.u32(kZipLocalSig);
  w_.u16(20);  // version needed: 2.0
  w_.u16(0);   // flags
  w_.u16(0);   // method: stored
  w_.u16(0);   // time
  w_.u16(0x21);  // date: 1980-01-01
  w_.u32(crc);
  w_.u32(uint32_t(size));
  w_.u32(uint32_t(size));
  w_.u16(uint16_t(name.size()));
  w_.u16(uint16_t(4 + pad));
  w_.write(name);
  w_.u16(0x4246);  // "FB": the id PyTorch uses for its padding field
  w_.u16(uint16_t(pad));
  w_.write(std::string(size_t(pad), 'Z'));
  w_.write(data, size);
  written_.push_back({name, header, size, crc});
}

void ZipWriter::finish() {
  int64_t cd_off = w_.pos();
  for (auto& e : written_) {
    w_.u32(kZipCentralSig);
    w_.u16(20);  // made by
    w_.u16(20);  // needed
    w_.u16(0);
    w_.u16(0);
    w_.u16(0);
    w_.u16(0x21);
    w_.u32(e.crc);
    w_.u32(uint32_t(e.size));
    w_.u32(uint32_t(e.size));
    w_.u16(uint16_t(e.name.size()));
    w_.u16(0);  // extra
    w_.u16(0);  // comment
    w_.u16(0);  // disk
    w_.u16(0);  // internal attributes
    w_.u32(0);  // external attributes
    w_.u32(uint32_t(e.header_offset));
    w_.write(e.name);
  }
  int64_t cd_size = w_.pos() - cd_off;
  FT_CHECK(cd_off + cd_size < 0xFFFFFFFFll, "save_pt: archives over 4 GiB are not supported by this writer yet");
  int64_t z64 = w_.pos();
  w_.u32(kZip64EocdSig);
  w_.u64(44);  // size of the rest of this record
  w_.u16(45);
  w_.u16(45);
  w_.u32(0);
  w_.u32(0);
  w_.u64(written_.size());
  w_.u64(written_.size());
  w_.u64(uint64_t(cd_size));
  w_.u64(uint64_t(cd_off));
  w_.u32(kZip64LocatorSig);
  w_.u32(0);
  w_.u64(uint64_t(z64));
  w_.u32(1);
  w_.u32(kZipEocdSig);
  w_.u16(0);
  w_.u16(0);
  w_.u16(uint16_t(std::min<size_t>(written_.size(), 0xFFFF)));
  w_.u16(uint16_t(std::min<size_t>(written_.size(), 0xFFFF)));
  w_.u32(uint32_t(cd_size));
  w_.u32(uint32_t(cd_off));
  w_.u16(0);
  w_.close();
}

}  // namespace ft::serialize::detail
