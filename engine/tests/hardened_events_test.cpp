// The engine's own hardened-mode interventions (NOTE [ Engine interventions ]
// in ft/hardened.h): reported only while a sink is installed, each with its
// reason code, and never changing what the engine computes or raises.
#include "ft/hardened.h"

#include <fstream>

#include "ft/autograd.h"
#include "ft/serialize/native.h"
#include "serialize_test_util.h"

namespace ft::test {
namespace {

std::vector<std::string> reasons(const std::vector<hardened::Event>& ev) {
  std::vector<std::string> r;
  for (const auto& e : ev) r.push_back(e.reason);
  return r;
}

Tensor idx(std::vector<double> v) { return from_vector(v, {int64_t(v.size())}, DType::Int64); }

TEST(HardenedEvents, NothingIsReportedWithoutASink) {
  EXPECT_FALSE(hardened::active());
  hardened::report("saved_tensor_version", "dropped");  // no sink: a no-op, not a crash
  std::vector<hardened::Event> ev;
  {
    hardened::Scope s(&ev);
    EXPECT_TRUE(hardened::active());
    {
      hardened::Scope off(nullptr);  // scopes nest: strict inside hardened
      EXPECT_FALSE(hardened::active());
    }
    EXPECT_TRUE(hardened::active());
  }
  EXPECT_FALSE(hardened::active());
  EXPECT_TRUE(ev.empty());
}

TEST(HardenedEvents, SavedTensorVersionViolationIsAnEventAndStillRaises) {
  std::vector<hardened::Event> ev;
  hardened::Scope s(&ev);
  Tensor x = from_vector({1, 2, 3}, {3}, DType::Float64).requires_grad_(true);
  Tensor y = x * 2;
  Tensor z = y * y;  // saves y
  y.add_(1);
  try {
    z.sum().backward();
    FAIL() << "backward after an in-place change of a saved tensor must raise";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is at version 1; expected version 0"), std::string::npos) << e.what();
  }
  ASSERT_EQ(reasons(ev), std::vector<std::string>{"saved_tensor_version"});
  EXPECT_NE(ev[0].detail.find("MulBackward0"), std::string::npos) << ev[0].detail;
}

TEST(HardenedEvents, ConflictingDuplicateWritesAreReportedAndLastWins) {
  std::vector<hardened::Event> ev;
  hardened::Scope s(&ev);
  Tensor src = from_vector({10, 20, 30}, {3}, DType::Float32);
  // index_put_: element 1 written with 10 then 30.
  Tensor a = zeros({4}, DType::Float32);
  a.index_put_(std::vector<std::optional<Tensor>>{idx({1, 2, 1})}, src);
  EXPECT_EQ(a.to_double_vector(), (std::vector<double>{0, 30, 20, 0}));
  // scatter and index_copy_ and put_: the same conflict.
  Tensor b = zeros({4}, DType::Float32).scatter(0, idx({3, 3, 0}), src);
  EXPECT_EQ(b.to_double_vector(), (std::vector<double>{30, 0, 0, 20}));
  Tensor c = zeros({4}, DType::Float32);
  c.index_copy_(0, idx({0, 0, 2}), src);
  EXPECT_EQ(c.to_double_vector(), (std::vector<double>{20, 0, 30, 0}));
  Tensor d = zeros({4}, DType::Float32);
  d.put_(idx({2, 1, 2}), src);
  EXPECT_EQ(d.to_double_vector(), (std::vector<double>{0, 20, 30, 0}));
  EXPECT_EQ(reasons(ev), (std::vector<std::string>(4, "deterministic_algorithm_forced")));
  EXPECT_NE(ev[0].detail.find("index_put_"), std::string::npos) << ev[0].detail;
}

TEST(HardenedEvents, DuplicatesWithEqualValuesOrAccumulationAreNotReported) {
  std::vector<hardened::Event> ev;
  hardened::Scope s(&ev);
  Tensor a = zeros({4}, DType::Float32);
  a.index_put_(std::vector<std::optional<Tensor>>{idx({1, 1})}, from_vector({5, 5}, {2}, DType::Float32));
  a.index_put_(std::vector<std::optional<Tensor>>{idx({2, 2})}, from_vector({1, 2}, {2}, DType::Float32), true);
  Tensor b = zeros({4}, DType::Float32).scatter_add(0, idx({0, 0}), from_vector({1, 2}, {2}, DType::Float32));
  EXPECT_TRUE(ev.empty()) << ev.size() << " events, first: " << (ev.empty() ? "" : ev[0].detail);
  EXPECT_EQ(a.to_double_vector(), (std::vector<double>{0, 5, 3, 0}));
  EXPECT_EQ(b.to_double_vector()[0], 3);
}

TEST(HardenedEvents, RefusedCheckpointIsAnEventAndStillRaises) {
  std::string p = ser::tmp_path("hardened.ftckpt");
  serialize::save_native(p, {{"w", from_vector({1, 2, 3}, {3}, DType::Float32)}});
  std::string b = ser::read_bytes(p);
  b[b.size() - 2] = char(b[b.size() - 2] ^ 0x5a);  // inside the tensor data: the CRC-32 must catch it
  std::ofstream(p, std::ios::binary).write(b.data(), std::streamsize(b.size()));
  std::vector<hardened::Event> ev;
  {
    hardened::Scope s(&ev);
    EXPECT_THROW(serialize::load_native(p), Error);
  }
  ASSERT_EQ(reasons(ev), std::vector<std::string>{"checkpoint_verification_failed"});
  EXPECT_NE(ev[0].detail.find(p), std::string::npos) << ev[0].detail;
  EXPECT_THROW(serialize::load_native(p), Error);  // strict: the same refusal, no event
  EXPECT_EQ(ev.size(), 1u);
}

}  // namespace
}  // namespace ft::test
