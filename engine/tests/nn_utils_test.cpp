// torch.nn.utils: clip_grad_norm_ against torch 1.13's values bit for bit
// (nn_utils_fixtures.inc, from tests/python/make_clip_fixtures.py),
// clip_grad_value_, parameters_to_vector / vector_to_parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ft/autograd.h"
#include "ft/nn/utils.h"
#include "test_util.h"

namespace ft {
namespace {

struct ClipCase {
  const char* dtype;
  double norm_type, max_norm, total;
  std::vector<double> clipped;
};

const std::vector<ClipCase>& clip_cases() {
  static const std::vector<ClipCase> cases = {
#include "nn_utils_fixtures.inc"
  };
  return cases;
}

// The fixture's parameters: zeros with gradients sin(0.7 i + 1.1 k) * s_k.
std::vector<Tensor> clip_params(DType dt) {
  const std::vector<std::vector<int64_t>> shapes = {{3, 4}, {5}, {2, 2, 2}};
  const double scales[] = {1.5, 40.0, 0.25};
  std::vector<Tensor> ps;
  for (size_t k = 0; k < shapes.size(); ++k) {
    Tensor p = zeros(shapes[k], dt);
    p.requires_grad_(true);
    std::vector<double> g;
    int64_t n = 1;
    for (int64_t s : shapes[k]) n *= s;
    for (int64_t i = 0; i < n; ++i) g.push_back(std::sin(0.7 * double(i) + 1.1 * double(k)) * scales[k]);
    p.mutable_grad() = from_vector(g, shapes[k], dt);
    ps.push_back(p);
  }
  return ps;
}

TEST(NnUtils, ClipGradNormMatchesTorchBitForBit) {
  ASSERT_EQ(clip_cases().size(), 16u);
  for (const ClipCase& c : clip_cases()) {
    const DType dt = std::string(c.dtype) == "f32" ? DType::Float32 : DType::Float64;
    std::vector<Tensor> ps = clip_params(dt);
    Tensor total = nn::utils::clip_grad_norm_(ps, c.max_norm, c.norm_type);
    SCOPED_TRACE(std::string(c.dtype) + " norm_type " + std::to_string(c.norm_type) + " max_norm " +
                 std::to_string(c.max_norm));
    EXPECT_EQ(total.dtype(), dt);
    EXPECT_EQ(total.item<double>(), c.total);
    std::vector<double> got;
    for (const Tensor& p : ps)
      for (double v : p.grad().to_double_vector()) got.push_back(v);
    ASSERT_EQ(got.size(), c.clipped.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], c.clipped[i]) << "element " << i;
  }
}

TEST(NnUtils, ClipGradNormEdgeCases) {
  // No gradients: a float32 zero, nothing touched.
  Tensor p = zeros({3});
  p.requires_grad_(true);
  Tensor t = nn::utils::clip_grad_norm_({p}, 1.0);
  EXPECT_EQ(t.dtype(), DType::Float32);
  EXPECT_EQ(t.item<double>(), 0.0);
  // A non-finite norm raises only when asked to.
  p.mutable_grad() = test::vec({1.0, std::nan(""), 2.0});
  EXPECT_THROW(nn::utils::clip_grad_norm_({p}, 1.0, 2.0, true), Error);
  EXPECT_TRUE(std::isnan(nn::utils::clip_grad_norm_({p}, 1.0, 2.0, false).item<double>()));
}

TEST(NnUtils, ClipGradValueClampsInPlace) {
  Tensor p = zeros({4}, DType::Float64);
  p.requires_grad_(true);
  p.mutable_grad() = test::vec({-2.0, -0.1, 0.3, 5.0}, DType::Float64);
  Tensor g = p.grad();
  nn::utils::clip_grad_value_({p}, 0.25);
  EXPECT_EQ(p.grad().to_double_vector(), (std::vector<double>{-0.25, -0.1, 0.25, 0.25}));
  EXPECT_EQ(g.to_double_vector(), p.grad().to_double_vector());  // the same tensor, written in place
}

TEST(NnUtils, ParametersToVectorAndBack) {
  Tensor a = test::iota({2, 3}), b = test::vec({7, 8});
  a.requires_grad_(true);
  Tensor v = nn::utils::parameters_to_vector({a, b});
  EXPECT_EQ(v.sizes().vec(), (std::vector<int64_t>{8}));
  EXPECT_EQ(v.to_double_vector(), (std::vector<double>{0, 1, 2, 3, 4, 5, 7, 8}));
  EXPECT_TRUE(v.requires_grad());  // a differentiable cat, as in PyTorch
  nn::utils::vector_to_parameters(test::vec({8, 7, 6, 5, 4, 3, 2, 1}), {a, b});
  EXPECT_EQ(a.to_double_vector(), (std::vector<double>{8, 7, 6, 5, 4, 3}));
  EXPECT_EQ(b.to_double_vector(), (std::vector<double>{2, 1}));
  EXPECT_THROW(nn::utils::vector_to_parameters(test::vec({1, 2}), {a, b}), Error);
}

}  // namespace
}  // namespace ft
