// The fixture corpus file (NOTE [ Fixture corpus ] in ft/oracle/fixtures.h):
//   "FTFIXT01" | u64 header length | JSON header | u64 record count | records | u64 FNV-1a of all before
// record: key (2 x u64) | u8 threw | string error | tensor list results | tensor list grads
// tensor: u8 defined | u8 dtype | u32 dim | sizes | strides | i64 offset | u64 nbytes | bytes
// All integers little-endian (the engine's targets are). Every read is
// bounds-checked: a hostile or damaged file gives an ft::Error, never a crash.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "ft/error.h"
#include "ft/oracle/fixtures.h"

namespace ft::oracle {
namespace {

constexpr char kMagic[8] = {'F', 'T', 'F', 'I', 'X', 'T', '0', '1'};
constexpr uint32_t kMaxDim = 64;

uint64_t fnv1a(const char* p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
  return h;
}

class Writer {
 public:
  std::string buf;
  template <typename T>
  void pod(T v) {
    buf.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    pod<uint64_t>(s.size());
    buf += s;
  }
  void tensor(const Tensor& t) {
    pod<uint8_t>(t.defined());
    if (!t.defined()) return;
    pod<uint8_t>(static_cast<uint8_t>(t.dtype()));
    pod<uint32_t>(static_cast<uint32_t>(t.dim()));
    for (int64_t s : t.sizes()) pod<int64_t>(s);
    for (int64_t s : t.strides()) pod<int64_t>(s);
    pod<int64_t>(t.storage_offset());
    const auto& st = t.impl()->storage();
    pod<uint64_t>(st->nbytes());
    buf.append(static_cast<const char*>(st->data()), st->nbytes());
  }
  void tensors(const std::vector<Tensor>& v) {
    pod<uint64_t>(v.size());
    for (const Tensor& t : v) tensor(t);
  }
};

class Reader {
 public:
  Reader(const std::string& data, size_t end, const std::string& path) : d_(data), end_(end), path_(path) {}
  template <typename T>
  T pod(const char* what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, d_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string str(const char* what) {
    uint64_t n = pod<uint64_t>(what);
    need(n, what);
    std::string s = d_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  Tensor tensor() {
    if (!pod<uint8_t>("tensor flag")) return Tensor();
    uint8_t dt = pod<uint8_t>("dtype");
    FT_CHECK(dt < kNumDTypes, "fixture corpus ", path_, ": bad dtype code ", int(dt), " at byte ", pos_ - 1, bad());
    uint32_t dim = pod<uint32_t>("dim");
    FT_CHECK(dim <= kMaxDim, "fixture corpus ", path_, ": tensor with ", dim, " dims at byte ", pos_ - 4, bad());
    std::vector<int64_t> sizes(dim), strides(dim);
    for (auto& s : sizes) s = pod<int64_t>("sizes");
    for (auto& s : strides) s = pod<int64_t>("strides");
    int64_t offset = pod<int64_t>("storage offset");
    uint64_t nbytes = pod<uint64_t>("storage size");
    need(nbytes, "storage bytes");
    DType d = static_cast<DType>(dt);
    const uint64_t item = uint64_t(itemsize(d));
    FT_CHECK(nbytes % item == 0, "fixture corpus ", path_, ": storage of ", nbytes, " bytes is not whole ",
             dtype_name(d), " elements", bad());
    // The view must lie inside its storage (what as_strided assumes).
    bool empty = false;
    __int128 last = offset;
    for (uint32_t i = 0; i < dim; ++i) {
      FT_CHECK(sizes[i] >= 0 && strides[i] >= 0, "fixture corpus ", path_, ": negative size or stride", bad());
      if (sizes[i] == 0) empty = true;
      else last += __int128(sizes[i] - 1) * strides[i];
    }
    FT_CHECK(offset >= 0 && (empty || last < __int128(nbytes / item)), "fixture corpus ", path_,
             ": a tensor's view reaches past its storage", bad());
    Tensor base = ft::empty({int64_t(nbytes / item)}, d);
    if (nbytes) std::memcpy(base.data_ptr(), d_.data() + pos_, nbytes);
    pos_ += nbytes;
    return base.as_strided(sizes, strides, offset);
  }
  std::vector<Tensor> tensors() {
    uint64_t n = pod<uint64_t>("tensor count");
    FT_CHECK(n <= 1024, "fixture corpus ", path_, ": ", n, " tensors in one answer", bad());
    std::vector<Tensor> v;
    for (uint64_t i = 0; i < n; ++i) v.push_back(tensor());
    return v;
  }
  size_t pos() const { return pos_; }
  void seek(size_t p) { pos_ = p; }

 private:
  std::string bad() const { return ": the file is damaged; export it again (ftorch fixtures export)"; }
  void need(uint64_t n, const char* what) {
    FT_CHECK(n <= end_ - pos_, "fixture corpus ", path_, " is truncated: ", what, " at byte ", pos_, " needs ", n,
             " bytes", bad());
  }
  const std::string& d_;
  size_t end_, pos_ = 0;
  const std::string& path_;
};

nlohmann::json header_json(const CorpusInfo& i) {
  return {{"format", "frankentorch-fixtures"}, {"oracle_version", i.oracle_version}, {"created", i.created},
          {"argv", i.argv}, {"seed", std::to_string(i.seed)}, {"cases", i.cases}, {"ops", i.ops},
          {"dtypes", i.dtypes}, {"double_backward", i.double_backward}};
}

CorpusInfo parse_header(const std::string& text, const std::string& path) {
  CorpusInfo i;
  try {
    auto j = nlohmann::json::parse(text);
    FT_CHECK(j.at("format") == "frankentorch-fixtures", "fixture corpus ", path, ": header format is not frankentorch-fixtures");
    static const char* kKnown[] = {"format", "oracle_version", "created", "argv", "seed", "cases", "ops", "dtypes",
                                   "double_backward"};
    for (auto it = j.begin(); it != j.end(); ++it)  // fail closed on what this build does not understand
      FT_CHECK(std::find(std::begin(kKnown), std::end(kKnown), it.key()) != std::end(kKnown), "fixture corpus ", path,
               ": unknown header field '", it.key(), "' (written by a newer ftorch? export it again with this one)");
    i.oracle_version = j.at("oracle_version").get<std::string>();
    i.created = j.at("created").get<std::string>();
    i.argv = j.at("argv").get<std::string>();
    i.seed = std::stoull(j.at("seed").get<std::string>());
    i.cases = j.at("cases").get<int>();
    i.ops = j.at("ops").get<std::vector<std::string>>();
    i.dtypes = j.at("dtypes").get<std::vector<std::string>>();
    i.double_backward = j.at("double_backward").get<bool>();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    FT_ERROR("fixture corpus ", path, ": unreadable header (", e.what(), "): export it again (ftorch fixtures export)");
  }
  return i;
}

}  // namespace

void Corpus::save(const std::string& path) const {
  Writer w;
  w.buf.append(kMagic, sizeof kMagic);
  w.str(header_json(info).dump());
  w.pod<uint64_t>(answers.size());
  for (const auto& [key, r] : answers) {  // std::map: key order, so equal corpora are equal files
    w.pod<uint64_t>(key[0]);
    w.pod<uint64_t>(key[1]);
    w.pod<uint8_t>(r.threw);
    w.str(r.error);
    w.tensors(r.results);
    w.tensors(r.grads);
  }
  w.pod<uint64_t>(fnv1a(w.buf.data(), w.buf.size()));
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    FT_CHECK(f.good(), "cannot write fixture corpus ", tmp, ": check the directory exists and is writable");
    f.write(w.buf.data(), std::streamsize(w.buf.size()));
    FT_CHECK(f.good(), "writing fixture corpus ", tmp, " failed (disk full?)");
  }
  std::filesystem::rename(tmp, path);
}

Corpus Corpus::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  FT_CHECK(f.good(), "fixture corpus ", path, " cannot be opened: pass the file written by `ftorch fixtures export`");
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  FT_CHECK(data.size() >= sizeof kMagic && std::memcmp(data.data(), kMagic, 6) == 0, "fixture corpus ", path,
           " is not a FrankenTorch fixture corpus (no FTFIXT magic)");
  FT_CHECK(std::memcmp(data.data(), kMagic, sizeof kMagic) == 0, "fixture corpus ", path,
           " has format version '", data.substr(6, 2), "', this ftorch reads 01: export it again with this ftorch");
  FT_CHECK(data.size() >= sizeof kMagic + 8, "fixture corpus ", path, " is truncated (no checksum)");
  const size_t body = data.size() - 8;
  uint64_t stored;
  std::memcpy(&stored, data.data() + body, 8);
  FT_CHECK(stored == fnv1a(data.data(), body), "fixture corpus ", path,
           " fails its checksum: the file is truncated or damaged; export it again (ftorch fixtures export)");
  Reader r(data, body, path);
  r.seek(sizeof kMagic);
  Corpus c;
  c.info = parse_header(r.str("header"), path);
  uint64_t n = r.pod<uint64_t>("record count");
  for (uint64_t i = 0; i < n; ++i) {
    CallKey k{r.pod<uint64_t>("key"), r.pod<uint64_t>("key")};
    OracleResult res;
    res.threw = r.pod<uint8_t>("threw") != 0;
    res.error = r.str("error text");
    res.results = r.tensors();
    res.grads = r.tensors();
    c.answers.emplace(k, std::move(res));
  }
  FT_CHECK(r.pos() == body, "fixture corpus ", path, ": ", body - r.pos(), " bytes after the last record",
           ": the file is damaged; export it again (ftorch fixtures export)");
  return c;
}

}  // namespace ft::oracle
