// The fixture corpus (NOTE [ Fixture corpus ]): an export replays to the same
// outcomes without asking libtorch, catches a planted engine bug, fails closed
// on calls it cannot answer, and refuses damaged or foreign files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "ft/autograd.h"
#include "ft/oracle/fixtures.h"
#include "ft/props/conform.h"

namespace ft::props::fixtures_test {

struct BackendReset {
  ~BackendReset() { oracle::set_backend(nullptr); }
};

std::string temp_path(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("ftfx-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove(p);
  return p.string();
}

ConformOptions small_run() {
  ConformOptions opt;
  for (const char* id : {"add", "mul_method", "sum", "softmax"}) opt.ops.push_back(int(find_op(id) - op_table()));
  opt.dtypes = {DType::Float32, DType::Float64, DType::Int64};
  opt.cases = 8;
  opt.seed = 11;
  opt.run.double_backward = true;
  return opt;
}

ConformSummary run_with(oracle::Backend* b, const ConformOptions& opt, std::unique_ptr<ledger::Ledger>& l,
                        int64_t& run) {
  BackendReset reset;
  oracle::set_backend(b);
  l = ledger::Ledger::open(":memory:");
  run = l->begin_run({});
  return run_conform(*l, run, opt);
}

// Exported once for the whole test binary.
const std::string& corpus_file() {
  static const std::string path = [] {
    oracle::Corpus c;
    c.info.oracle_version = oracle::libtorch_version();
    c.info.seed = 11;
    c.info.cases = 8;
    c.info.ops = {"add", "mul_method", "sum", "softmax"};
    c.info.dtypes = {"float32", "float64", "int64"};
    c.info.double_backward = true;
    oracle::RecordingBackend rec(c);
    std::unique_ptr<ledger::Ledger> l;
    int64_t run = 0;
    run_with(&rec, small_run(), l, run);
    std::string p = temp_path("corpus.ftfx");
    c.save(p);
    return p;
  }();
  return path;
}

std::string slurp_bytes(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& p, const std::string& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(b.data(), std::streamsize(b.size()));
}

uint64_t fnv(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string load_error(const std::string& path) {
  try {
    oracle::Corpus::load(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(FixtureCorpus, ReplaysToTheSameOutcomesAsLibtorch) {
  std::unique_ptr<ledger::Ledger> live_l, fx_l;
  int64_t live_run = 0, fx_run = 0;
  ConformSummary live = run_with(nullptr, small_run(), live_l, live_run);
  oracle::Corpus c = oracle::Corpus::load(corpus_file());
  EXPECT_EQ(c.info.seed, 11u);
  EXPECT_EQ(c.info.ops.size(), 4u);
  EXPECT_GT(c.answers.size(), 100u);
  oracle::FixtureBackend fb(c, corpus_file());
  ConformSummary fx = run_with(&fb, small_run(), fx_l, fx_run);
  EXPECT_EQ(fx.cases, live.cases);
  EXPECT_EQ(fx.rows, live.rows);
  EXPECT_EQ(fx.passed, live.passed);
  EXPECT_EQ(fx.crash, 0);
  EXPECT_EQ(fx.drift, live.drift);
  EXPECT_EQ(fx.error_mismatch, live.error_mismatch);
  // Row for row: the same suites, outcomes and error statistics.
  auto a = live_l->cases(live_run), b = fx_l->cases(fx_run);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].suite, b[i].suite) << i;
    EXPECT_EQ(a[i].outcome, b[i].outcome) << i;
    EXPECT_EQ(a[i].reproduce, b[i].reproduce) << i;
    if (!std::isnan(a[i].max_ulp)) EXPECT_EQ(a[i].max_ulp, b[i].max_ulp) << i;
  }
}

std::vector<Tensor> off_by_one_add(EngineCall& c) {
  Tensor r = ft::add(c.in[0], c.in[1], c.alpha).contiguous();
  if (r.numel() >= 2 && r.is_floating_point()) {
    autograd::NoGradGuard ng;
    r.view({-1}).narrow(0, 0, 1).add_(ones({1}, r.dtype()));
  }
  return {r};
}

TEST(FixtureCorpus, CatchesAPlantedBugWithoutLibtorch) {
  oracle::Corpus c = oracle::Corpus::load(corpus_file());
  oracle::FixtureBackend fb(c, corpus_file());
  ConformOptions opt = small_run();
  opt.ops = {int(find_op("add") - op_table())};
  opt.run.engine = off_by_one_add;
  std::unique_ptr<ledger::Ledger> l;
  int64_t run = 0;
  ConformSummary s = run_with(&fb, opt, l, run);
  EXPECT_GT(s.drift, 0);
  EXPECT_EQ(s.crash, 0) << "the planted bug's cases are all in the corpus";
  auto drifts = l->cases(run, "drift");
  ASSERT_FALSE(drifts.empty());
  // The export never asked for a float64 reference of a case that agreed.
  bool float32_drift = false;
  for (const auto& d : drifts)
    if (d.dtype == "float32") {
      float32_drift = true;
      EXPECT_EQ(d.attribution, "n/a: the fixture corpus has no float64 reference");
    }
  EXPECT_TRUE(float32_drift);
}

TEST(FixtureCorpus, AnUnansweredCallFailsClosed) {
  oracle::Corpus c = oracle::Corpus::load(corpus_file());
  oracle::FixtureBackend fb(c, corpus_file());
  ConformOptions opt = small_run();
  opt.seed = 12;  // other cases: nothing in the corpus answers them
  opt.ops = {int(find_op("sum") - op_table())};
  std::unique_ptr<ledger::Ledger> l;
  int64_t run = 0;
  ConformSummary s = run_with(&fb, opt, l, run);
  // Answers are found by content: the few seed-12 cases equal to seed-11 ones
  // (the generators' size-0 cases) are answered; every other case is a crash row.
  EXPECT_GT(s.crash, s.cases / 2);
  EXPECT_EQ(s.drift + s.error_mismatch, 0);
  auto rows = l->cases(run, "crash");
  ASSERT_FALSE(rows.empty());
  auto d = l->drift_for_case(rows.front().id);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->message.find("has no forward answer for this call of sum"), std::string::npos) << d->message;
}

TEST(FixtureCorpus, DamagedOrForeignFilesAreRefused) {
  const std::string good = slurp_bytes(corpus_file());
  const std::string p = temp_path("bad.ftfx");

  write_bytes(p, good.substr(0, good.size() / 2));
  EXPECT_NE(load_error(p).find("fails its checksum"), std::string::npos) << load_error(p);

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  write_bytes(p, flipped);
  EXPECT_NE(load_error(p).find("fails its checksum"), std::string::npos);

  write_bytes(p, "PK\x03\x04 not a corpus at all");
  EXPECT_NE(load_error(p).find("is not a FrankenTorch fixture corpus"), std::string::npos);

  std::string newer = good;
  newer[7] = '2';
  write_bytes(p, newer);
  EXPECT_NE(load_error(p).find("format version '02'"), std::string::npos) << load_error(p);

  // A header field this build does not know, with a valid checksum: refused, not ignored.
  uint64_t hlen;
  std::memcpy(&hlen, good.data() + 8, 8);
  std::string header = good.substr(16, hlen);
  std::string extended = header.substr(0, header.size() - 1) + ",\"future\":1}";
  uint64_t elen = extended.size();
  std::string body = good.substr(0, 8) + std::string(reinterpret_cast<const char*>(&elen), 8) + extended +
                     good.substr(16 + hlen, good.size() - 8 - 16 - hlen);
  uint64_t sum = fnv(body);
  write_bytes(p, body + std::string(reinterpret_cast<const char*>(&sum), 8));
  EXPECT_NE(load_error(p).find("unknown header field 'future'"), std::string::npos) << load_error(p);

  EXPECT_NE(load_error(temp_path("missing.ftfx")).find("cannot be opened"), std::string::npos);
  std::filesystem::remove(p);
}

TEST(FixtureCorpus, SavingIsDeterministic) {
  oracle::Corpus c = oracle::Corpus::load(corpus_file());
  std::string p = temp_path("again.ftfx");
  c.save(p);
  EXPECT_EQ(slurp_bytes(p), slurp_bytes(corpus_file()));
  std::filesystem::remove(p);
}

}  // namespace ft::props::fixtures_test
