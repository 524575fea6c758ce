// Anomaly detection and inference mode, with PyTorch 1.13's messages.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

TEST(AnomalyMode, NamesTheNodeAndItsForwardOp) {
  Tensor x = test::vec({0, 1}, DType::Float64).requires_grad_(true);
  {
    autograd::DetectAnomalyGuard g;
    Tensor z = (x / x).sum();
    // d(a/b)/db = -a/b^2 is 0/0 at x = 0: PyTorch names the node and the output index.
    FT_EXPECT_ERROR(z.backward(), ErrorKind::Runtime,
                    "Function 'DivBackward0' returned nan values in its 1th output. It was created by the forward "
                    "op 'div'.");
  }
  EXPECT_FALSE(autograd::is_anomaly_enabled());
  // Off: the same program runs and the NaN reaches .grad.
  (x / x).sum().backward();
  EXPECT_TRUE(std::isnan(x.grad().to_double_vector()[0]));
}

TEST(AnomalyMode, CleanBackwardUnaffected) {
  autograd::DetectAnomalyGuard g;
  Tensor x = test::vec({1, 2}, DType::Float64).requires_grad_(true);
  (x * x).sum().backward();
  EXPECT_EQ(test::values(x.grad()), (std::vector<double>{2, 4}));
}

TEST(InferenceMode, TensorsMadeInsideAreInferenceTensors) {
  Tensor x = test::vec({1, 2, 3}, DType::Float64).requires_grad_(true);
  Tensor a, v, y;
  Tensor b = ones({3});
  Tensor vb;
  {
    autograd::InferenceModeGuard g;
    EXPECT_TRUE(autograd::is_inference_mode_enabled());
    EXPECT_FALSE(autograd::is_grad_enabled());
    a = ones({3}, DType::Float64);
    v = x.detach().slice(0, 0, 1);
    y = x * 2;  // no graph
    vb = b.slice(0, 0, 2);
    a.add_(a);  // in place inside: allowed
  }
  EXPECT_TRUE(autograd::is_grad_enabled());
  EXPECT_TRUE(a.is_inference());
  EXPECT_FALSE(v.is_inference());  // a view of a normal tensor stays normal
  EXPECT_FALSE(y.requires_grad());
  FT_EXPECT_ERROR(a.add_(a), ErrorKind::Runtime, "Inplace update to inference tensor outside InferenceMode is not allowed.");
  FT_EXPECT_ERROR((x * a).sum(), ErrorKind::Runtime, "Inference tensors cannot be saved for backward.");
  FT_EXPECT_ERROR(a.requires_grad_(), ErrorKind::Runtime,
                  "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  vb.add_(ones({2}));  // a view made inside, written outside without autograd: allowed (as PyTorch)
  Tensor c = a.clone();        // the documented way out
  c.add_(c);
  EXPECT_FALSE(c.is_inference());
}

TEST(InferenceMode, ViewMadeInsideRefusesTrackedWriteOutside) {
  Tensor w = test::vec({1, 2, 3}, DType::Float64).requires_grad_(true);
  Tensor b = w * 1, v;
  {
    autograd::InferenceModeGuard g;
    v = b.slice(0, 0, 2);
  }
  FT_EXPECT_ERROR(v.mul_(w.slice(0, 0, 2)), ErrorKind::Runtime,
                  "A view was created in inference mode and is being modified inplace in normal mode.");
}

}  // namespace
}  // namespace ft
