// The checkpoint suite (NOTE [ Checkpoint suite ] in checkpoint_suite.h).
#include "ft/props/checkpoint_suite.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

#include "ft/error.h"
#include "ft/ops.h"
#include "ft/oracle/checkpoint.h"
#include "ft/serialize/native.h"
#include "ft/serialize/pt.h"
#include "ft/serialize/safetensors.h"

namespace ft::props {
namespace {

namespace fs = std::filesystem;
using serialize::TensorEntries;

// Random bytes are a valid value of every dtype but bool (0 or 1): they give
// NaN payloads, subnormals and both zeros, which a format must keep bit for bit.
Tensor random_tensor(std::mt19937_64& rng, DType dt) {
  std::vector<int64_t> shape(rng() % 4);
  for (auto& s : shape) s = rng() % 10 == 0 ? 0 : int64_t(1 + rng() % 5);
  Tensor t = empty(shape, dt);
  auto* p = static_cast<unsigned char*>(t.data_ptr());
  const size_t n = size_t(t.numel()) * t.element_size();
  for (size_t i = 0; i < n; ++i) p[i] = dt == DType::Bool ? (rng() & 1) : static_cast<unsigned char>(rng());
  return t;
}

// A view of `t` (transposed, narrowed or selected) sharing its storage, or `t`
// itself when it has no room for one.
Tensor random_view(std::mt19937_64& rng, const Tensor& t) {
  switch (rng() % 3) {
    case 0:
      if (t.dim() >= 2) return t.transpose(0, t.dim() - 1);
      break;
    case 1:
      if (t.dim() >= 1 && t.size(0) > 1) return t.narrow(0, 1, t.size(0) - 1);
      break;
    default:
      if (t.dim() >= 1 && t.size(0) > 0) return t.select(0, int64_t(rng() % uint64_t(t.size(0))));
  }
  return t;
}

TensorEntries make_entries(std::mt19937_64& rng, DType dt, bool views) {
  TensorEntries e;
  const size_t n = 1 + rng() % 4;
  for (size_t i = 0; i < n; ++i) {
    Tensor t = views && i > 0 && rng() % 3 == 0 ? random_view(rng, e[rng() % i].tensor) : random_tensor(rng, dt);
    e.push_back({"layer" + std::to_string(i) + (i % 2 ? ".weight" : ".bias"), t});
  }
  return e;
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  const Tensor ac = a.contiguous(), bc = b.contiguous();
  return std::memcmp(ac.data_ptr(), bc.data_ptr(), size_t(ac.numel()) * ac.element_size()) == 0;
}

std::vector<int> storage_groups(const TensorEntries& e) {
  std::vector<const void*> seen;
  std::vector<int> g;
  for (const auto& x : e) {
    const void* s = x.tensor.impl()->storage().get();
    int k = 0;
    while (k < int(seen.size()) && seen[size_t(k)] != s) ++k;
    if (k == int(seen.size())) seen.push_back(s);
    g.push_back(k);
  }
  return g;
}

std::string groups_str(const std::vector<int>& g) {
  std::string s = "[";
  for (size_t i = 0; i < g.size(); ++i) s += (i ? "," : "") + std::to_string(g[i]);
  return s + "]";
}
// "" when `got` (storage groups after loading) equals `want`'s.
std::string sharing_diff(const TensorEntries& want, const std::vector<int>& got, const char* who) {
  std::vector<int> w = storage_groups(want);
  if (w == got) return "";
  return std::string(who) + " storage sharing " + groups_str(got) + ", expected " + groups_str(w) +
         " (entries with equal numbers share one storage)";
}

// "" when `got` equals `want`; `geometry` also compares strides and offsets.
std::string diff_entries(const TensorEntries& want, const TensorEntries& got, bool geometry) {
  if (want.size() != got.size())
    return "expected " + std::to_string(want.size()) + " tensors, got " + std::to_string(got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Tensor &w = want[i].tensor, &g = got[i].tensor;
    const std::string at = "tensor '" + want[i].name + "': ";
    if (want[i].name != got[i].name) return "tensor " + std::to_string(i) + " is named '" + got[i].name + "', expected '" + want[i].name + "'";
    if (w.dtype() != g.dtype()) return at + "dtype " + dtype_name(g.dtype()) + ", expected " + dtype_name(w.dtype());
    if (!w.sizes().equals(g.sizes())) return at + "shape " + shape_str(g.sizes()) + ", expected " + shape_str(w.sizes());
    if (geometry && w.numel() > 0 && (!w.strides().equals(g.strides()) || w.storage_offset() != g.storage_offset()))
      return at + "strides " + shape_str(g.strides()) + " offset " + std::to_string(g.storage_offset()) +
             ", expected " + shape_str(w.strides()) + " offset " + std::to_string(w.storage_offset());
    if (!same_bytes(w, g)) return at + "values differ bitwise";
  }
  return "";
}

std::vector<char> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}
void write_bytes(const fs::path& p, const std::vector<char>& b) {
  std::ofstream(p, std::ios::binary).write(b.data(), std::streamsize(b.size()));
}

struct Format {
  const char* name;
  bool geometry;  // keeps strides, offsets and storage sharing
  bool checksum;  // a flipped byte must not load changed
  void (*save)(const fs::path&, const TensorEntries&);
  TensorEntries (*load)(const fs::path&);
};
const Format kFormats[] = {
    {"safetensors", false, false, [](const fs::path& p, const TensorEntries& e) { serialize::save_safetensors(p, e); },
     [](const fs::path& p) { return serialize::load_safetensors(p).tensors; }},
    {"native", false, true, [](const fs::path& p, const TensorEntries& e) { serialize::save_native(p, e); },
     [](const fs::path& p) { return serialize::load_native(p); }},
    {"pt", true, true, [](const fs::path& p, const TensorEntries& e) { serialize::save_pt(p, e); },
     [](const fs::path& p) { return serialize::load_pt_state_dict(p); }},
};

// Runs `body` and turns its exceptions into an outcome: an ft::Error is the
// check's failure message (`raised` is set), anything else a crash.
template <typename F>
CheckpointOutcome guarded(const char* format, const char* suite, F body) {
  CheckpointOutcome o{format, suite, "pass", "", {}};
  try {
    std::string m = body();
    if (!m.empty()) {
      o.outcome = "drift";
      o.message = m;
    }
  } catch (const Error& e) {
    o.outcome = e.kind() == ErrorKind::Internal ? "crash" : "drift";
    o.message = std::string("raised: ") + e.what();
  } catch (const std::exception& e) {
    o.outcome = "crash";
    o.message = std::string("non-ft exception: ") + e.what();
  }
  return o;
}

// One corrupted copy: the outcome text, or "" when the loader behaved.
std::string check_corrupt(const Format& f, const TensorEntries& want, const fs::path& src, const fs::path& bad,
                          std::mt19937_64& rng, bool truncate) {
  std::vector<char> b = read_bytes(src);
  if (b.empty()) return "";
  std::string what;
  if (truncate) {
    b.resize(rng() % b.size());
    what = "truncated to " + std::to_string(b.size()) + " bytes";
  } else {
    const size_t at = rng() % b.size();
    b[at] = char(b[at] ^ char(1 + rng() % 255));
    what = "one byte flipped at offset " + std::to_string(at);
  }
  write_bytes(bad, b);
  TensorEntries got;
  try {
    got = f.load(bad);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Internal) return what + ": internal error: " + e.what();
    return "";  // refused: what a loader should do
  }
  if (truncate) return what + ": the loader accepted a truncated file";
  std::string d = diff_entries(want, got, f.geometry);
  if (!d.empty() && f.checksum) return what + ": the loader accepted a corrupted file that loads changed (" + d + ")";
  return "";
}

}  // namespace

const std::vector<DType>& checkpoint_dtypes() {
  static const std::vector<DType> v{DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int64,
                                    DType::Int32,   DType::Int16,   DType::Int8,    DType::UInt8,    DType::Bool};
  return v;
}

std::string checkpoint_reproduce(uint64_t seed, DType dtype) {
  return "ftckpt1:" + std::to_string(seed) + ":" + dtype_name(dtype);
}
bool is_checkpoint_reproduce(const std::string& r) { return r.rfind("ftckpt1:", 0) == 0; }
void parse_checkpoint_reproduce(const std::string& r, uint64_t& seed, DType& dtype) {
  const size_t a = r.find(':'), b = r.find(':', a + 1);
  FT_CHECK_VALUE(is_checkpoint_reproduce(r) && b != std::string::npos,
                 "not a checkpoint reproduce string (ftckpt1:SEED:DTYPE): '", r, "'");
  try {
    seed = std::stoull(r.substr(a + 1, b - a - 1));
  } catch (const std::exception&) {
    FT_CHECK_VALUE(false, "bad seed in checkpoint reproduce string '", r, "'");
  }
  dtype = parse_dtype(r.substr(b + 1));
}

std::vector<CheckpointOutcome> run_checkpoint_case(uint64_t seed, DType dtype, bool hardened_mode) {
  std::vector<CheckpointOutcome> out;
  std::vector<hardened::Event> events;
  std::optional<hardened::Scope> sink;
  if (hardened_mode) sink.emplace(&events);
  const fs::path dir = fs::temp_directory_path() /
                       ("ftorch-ckpt-" + std::to_string(::getpid()) + "-" + std::to_string(seed) + "-" + dtype_short_name(dtype));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup{dir};
  for (const Format& f : kFormats) {
    std::mt19937_64 rng(seed);
    const TensorEntries want = make_entries(rng, dtype, f.geometry);
    const fs::path file = dir / (std::string("case.") + f.name);
    const size_t first = out.size();
    out.push_back(guarded(f.name, "roundtrip", [&] {
      f.save(file, want);
      TensorEntries got = f.load(file);
      std::string d = diff_entries(want, got, f.geometry);
      if (d.empty() && f.geometry) d = sharing_diff(want, storage_groups(got), "the engine reads");
      return d;
    }));
    if (std::string(f.name) == "pt" && out.back().outcome == "pass") {
      out.push_back(guarded(f.name, "oracle_read", [&] {
        // A plain dict: libtorch's C++ unpickler reads an OrderedDict as None
        // (PtContainer in ft/serialize/pt.h); Python's torch.load reading the
        // OrderedDict form is tested with real PyTorch in serialize_pt_test.cpp.
        const fs::path plain = dir / "plain.pt";
        serialize::save_pt(plain, want, serialize::PtContainer::Dict);
        oracle::PickleLoaded got = oracle::libtorch_pickle_load(read_bytes(plain));
        std::string d = diff_entries(want, got.entries, true);
        // libtorch's C++ unpickler gives every tensor its own storage (it does
        // not cache storages by key as Python's torch.load does), so sharing is
        // judged against how libtorch reads the same dict from its own file.
        if (d.empty()) {
          std::vector<int> own = oracle::libtorch_pickle_load(oracle::libtorch_pickle_save(want)).storage_group;
          if (own != got.storage_group)
            d = "libtorch reads storage sharing " + groups_str(got.storage_group) + " from the engine's file but " +
                groups_str(own) + " from its own";
        }
        return d;
      }));
      out.push_back(guarded(f.name, "oracle_write", [&] {
        const fs::path theirs = dir / "libtorch.pt";
        write_bytes(theirs, oracle::libtorch_pickle_save(want));
        TensorEntries got = f.load(theirs);
        std::string d = diff_entries(want, got, true);
        if (d.empty()) d = sharing_diff(want, storage_groups(got), "the engine reads");
        return d;
      }));
    }
    if (out[first].outcome == "pass")
      out.push_back(guarded(f.name, "corrupt", [&] {
        std::string d = check_corrupt(f, want, file, dir / "bad", rng, true);
        if (d.empty()) d = check_corrupt(f, want, file, dir / "bad", rng, false);
        return d;
      }));
    for (size_t i = first; i < out.size(); ++i)
      if (out[i].outcome == "drift" && out[i].message.find("internal error") != std::string::npos) out[i].outcome = "crash";
  }
  // Events belong to the case's first row.
  if (!out.empty()) out.front().events = std::move(events);
  return out;
}

CheckpointSummary run_checkpoint_suite(ledger::Ledger& ledger, int64_t run_id, uint64_t seed, int cases,
                                       const std::vector<bool>& modes,
                                       const std::function<void(const std::string&)>& progress) {
  CheckpointSummary sum;
  const auto& dts = checkpoint_dtypes();
  for (size_t di = 0; di < dts.size(); ++di) {
    int64_t bad = 0;
    for (int i = 0; i < cases; ++i) {
      const uint64_t cs = seed * 1000003ull + di * 7919ull + uint64_t(i);
      sum.cases++;
      for (bool hard : modes) {
        for (const CheckpointOutcome& o : run_checkpoint_case(cs, dts[di], hard)) {
          ledger::CaseRow row;
          row.run_id = run_id;
          row.op = "checkpoint_" + o.format;
          row.variant = "file";
          row.dtype = dtype_name(dts[di]);
          row.suite = o.suite;
          row.mode = hard ? "hardened" : "strict";
          row.outcome = o.outcome;
          row.seed = cs;
          row.reproduce = checkpoint_reproduce(cs, dts[di]);
          for (const hardened::Event& ev : o.events)
            ledger.add_event({0, run_id, 0, row.op, row.dtype, ev.reason, ev.detail + " (" + row.reproduce + ")"});
          sum.rows++;
          if (o.outcome == "pass") {
            sum.passed++;
            ledger.add_case(row);
            continue;
          }
          bad++;
          (o.outcome == "crash" ? sum.crash : sum.drift)++;
          ledger::DriftRow d;
          d.message = o.suite + ": " + o.message;
          d.minimized_case = "not shrunk: the reproduce string regenerates the whole case";
          ledger.add_case(row, d);
        }
      }
    }
    ledger.flush();
    if (progress)
      progress(std::string("checkpoint[") + dtype_short_name(dts[di]) + "]: " + std::to_string(cases) + " cases, " +
               std::to_string(bad) + " failing rows");
  }
  return sum;
}

}  // namespace ft::props
