// The library example in README.md, compiled and checked, so the README stays true.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "ft/autograd.h"
#include "ft/ops.h"

TEST(ReadmeExample, MatmulTanhSumBackward) {
  ft::Tensor x = ft::arange(6, ft::DType::Float64).reshape({2, 3}).requires_grad_();
  ft::Tensor y = ft::matmul(x, x.t()).tanh().sum();
  y.backward();
  std::ostringstream os;
  os << x.grad() << "\n";
  EXPECT_NE(os.str().find("size=[2, 3]"), std::string::npos);
  // d/dx sum(tanh(x x^T)) = (G + G^T) x with G = 1 - tanh(x x^T)^2.
  double xv[2][3] = {{0, 1, 2}, {3, 4, 5}};
  double g[2][2];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += xv[i][k] * xv[j][k];
      g[i][j] = 1 - std::tanh(s) * std::tanh(s);
    }
  auto gv = x.grad().to_double_vector();
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 3; ++k) {
      double expect = 0;
      for (int j = 0; j < 2; ++j) expect += (g[i][j] + g[j][i]) * xv[j][k];
      EXPECT_NEAR(gv[size_t(i * 3 + k)], expect, 1e-12);
    }
}
