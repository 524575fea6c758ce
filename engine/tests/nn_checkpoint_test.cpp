// Loads a state dict saved by real PyTorch (torch.save, generated at test time
// by make_pt_fixtures.py) into an engine MLP and reproduces the model's output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "ft/nn/modules.h"
#include "ft/serialize/pt.h"

namespace {

TEST(SerializePtModel, LoadsTorchSavedMlpAndMatchesItsOutput) {
  const char* dir = std::getenv("FT_PT_FIXTURES");
  if (!dir) GTEST_SKIP() << "FT_PT_FIXTURES unset: run through ctest (fixture serialize_make_pt_fixtures)";
  auto fc1 = std::make_shared<ft::nn::Linear>(784, 256, true, ft::DType::Float64);
  auto fc2 = std::make_shared<ft::nn::Linear>(256, 10, true, ft::DType::Float64);
  ft::nn::Sequential model({fc1, std::make_shared<ft::nn::ReLU>(), fc2});
  auto r = model.load_state_dict(ft::serialize::load_pt_state_dict(std::string(dir) + "/mlp_model.pt"));
  EXPECT_TRUE(r.missing_keys.empty());
  EXPECT_TRUE(r.unexpected_keys.empty());
  ft::Tensor x = ft::arange(2 * 784, ft::DType::Float64).reshape({2, 784}).div(ft::scalar_tensor(1000.0, ft::DType::Float64));
  std::vector<double> got = model(x).to_double_vector();
  std::ifstream f(std::string(dir) + "/mlp_model_out.txt");
  std::vector<double> want;
  for (double v; f >> v;) want.push_back(v);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12 * (1 + std::abs(want[i]))) << i;
}

}  // namespace
