// The autograd fuzzer: regression programs in fixtures/fuzz replay clean on
// both sides, program files round-trip, and a short fuzz run records rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ft/props/fuzz.h"

namespace ft::props {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(FuzzCorpus, RegressionProgramsPass) {
  int n = 0, ran = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(FT_FIXTURES_DIR) + "/fuzz")) {
    if (e.path().extension() != ".json") continue;
    ++n;
    auto p = program_from_json(slurp(e.path().string()), e.path().string());
    FuzzVerdict v = check_program(p);
    EXPECT_EQ(v.outcome, "pass") << e.path() << ": " << v.message << "\n" << p.describe();
    auto r = run_program_engine(p);
    if (!r.threw) {
      ++ran;
      EXPECT_FALSE(r.grads.empty()) << e.path() << ": backward should have run";
    }
  }
  EXPECT_GE(n, 2) << "the fuzz regression corpus went missing";
  EXPECT_GE(ran, 1) << "every corpus program raises: nothing is compared";
}

TEST(FuzzCorpus, InplaceOnLeafRaisesOnBothSides) {
  auto p = program_from_json(slurp(std::string(FT_FIXTURES_DIR) + "/fuzz/inplace_on_leaf_raises.json"), "t");
  auto e = run_program_engine(p);
  auto o = oracle::run_program_oracle(p);
  EXPECT_TRUE(e.threw);
  EXPECT_TRUE(o.threw);
}

TEST(Fuzz, ProgramJsonRoundTrips) {
  for (uint64_t s = 1; s < 30; ++s) {
    oracle::Program p = gen_program()(rc::Random(s), 50).value();
    oracle::Program q = program_from_json(program_to_json(p), "t");
    EXPECT_EQ(q.describe(), p.describe());
  }
  EXPECT_THROW(program_from_json("{\"format\": \"ftprogram-json\", \"version\": 1, \"extra\": 1}", "t"), Error);
}

TEST(Fuzz, ShortRunRecordsEveryProgram) {
  auto path = std::filesystem::temp_directory_path() / ("fuzz-" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(path);
  auto ledger = ledger::Ledger::open(path.string());
  int64_t run = ledger->begin_run({});
  FuzzOptions opt;
  opt.seconds = 1.0;
  opt.seed = 5;
  FuzzSummary s = run_fuzz(*ledger, run, opt);
  EXPECT_GT(s.programs, 10);
  EXPECT_EQ(s.passed + s.failed, s.programs);
  EXPECT_EQ(int64_t(ledger->cases(run).size()), s.programs);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ft::props
