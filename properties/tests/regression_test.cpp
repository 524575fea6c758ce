// The regression corpus: every minimized drift found so far, stored as a case
// file in fixtures/regressions, replayed on every test run (both sides) and
// required to pass forever.
#include <gtest/gtest.h>

#include <filesystem>

#include "ft/props/case_json.h"
#include "ft/props/runner.h"

namespace ft::props {
namespace {

std::vector<std::string> corpus() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(FT_FIXTURES_DIR) + "/regressions"))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RegressionCorpus, EveryCaseStillPasses) {
  auto files = corpus();
  ASSERT_GE(files.size(), 5u) << "the regression corpus went missing";
  for (const auto& f : files) {
    CaseSpec c = load_case_file(f);
    for (bool hardened : {false, true}) {
      RunOptions opt;
      opt.hardened = hardened;
      auto outs = run_case(c, opt);
      std::string why;
      for (const auto& o : outs)
        if (!o.ok()) why += o.suite + ": " + o.message + "; ";
      EXPECT_TRUE(all_pass(outs)) << f << (hardened ? " (hardened)" : " (strict)") << ": " << why;
    }
  }
}

TEST(CaseJson, RoundTripsGeneratedCases) {
  for (int op = 0; op < kNumOps; op += 3) {
    CaseSpec c = gen_case(op, DType::Float32)(rc::Random(uint64_t(op) * 7 + 1), 50).value();
    CaseSpec back = case_from_json(case_to_json(c, "note"), "test");
    EXPECT_EQ(describe(back), describe(c));
    EXPECT_EQ(case_to_json(back, "note"), case_to_json(c, "note"));
  }
}

TEST(CaseJson, RefusesUnknownFieldsAndBadValues) {
  EXPECT_THROW(case_from_json("{\"format\": \"ftcase-json\", \"version\": 1, \"op\": \"add\", \"dtype\": \"f32\", "
                              "\"inputs\": [], \"surprise\": 1}", "t"), Error);
  EXPECT_THROW(case_from_json("{\"format\": \"ftcase-json\", \"version\": 2, \"op\": \"add\", \"dtype\": \"f32\", "
                              "\"inputs\": []}", "t"), Error);
  EXPECT_THROW(case_from_json("{\"format\": \"ftcase-json\", \"version\": 1, \"op\": \"nope\", \"dtype\": \"f32\", "
                              "\"inputs\": []}", "t"), Error);
  EXPECT_THROW(case_from_json("{\"format\": \"ftcase-json\", \"version\": 1, \"op\": \"neg\", \"dtype\": \"f32\", "
                              "\"inputs\": [{\"shape\": [2], \"dtype\": \"f32\", \"layout\": \"contiguous\", "
                              "\"values\": [1]}]}", "t"), Error) << "value count must match the shape";
  EXPECT_THROW(case_from_json("not json", "t"), Error);
}

}  // namespace
}  // namespace ft::props
