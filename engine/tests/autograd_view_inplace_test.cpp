// In-place writes to views inside the autograd graph (NOTE [ Views and their
// base ], NOTE [ CopySlices ]): the base's history is rebased, stale view
// grad_fns are regenerated, and restricted views refuse tracked writes. The
// expected gradients, node names and messages are PyTorch 1.13's for the
// same programs.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::values;
using V = std::vector<double>;

Tensor w3() { return test::vec({1, 2, 3}, DType::Float64).requires_grad_(true); }

TEST(ViewInplace, SliceOfNonLeafRebasesBase) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.slice(0, 1, std::nullopt);
  v.mul_(2);
  EXPECT_TRUE(v._base().is_same(b));
  EXPECT_EQ(b.grad_fn_name(), "torch::autograd::CopySlices");
  EXPECT_EQ(v.grad_fn_name(), "AsStridedBackward0");
  EXPECT_EQ(values(b), (V{1, 4, 6}));
  b.sum().backward();
  EXPECT_EQ(values(w.grad()), (V{1, 2, 2}));
}

TEST(ViewInplace, SetItemIntoPlainTensorMakesItRequireGrad) {
  // x = zeros(3); x[0] = w[1] * 3  (select + copy_)
  Tensor w = w3();
  Tensor x = zeros({3}, DType::Float64);
  x.select(0, 0).copy_(w.select(0, 1) * 3);
  EXPECT_TRUE(x.requires_grad());
  EXPECT_FALSE(x.is_leaf());
  EXPECT_EQ(x.grad_fn_name(), "torch::autograd::CopySlices");
  x.sum().backward();
  EXPECT_EQ(values(w.grad()), (V{0, 3, 0}));
}

TEST(ViewInplace, CopyIntoViewOfPlainTensor) {
  Tensor w = w3();
  Tensor a = w.detach().clone();
  Tensor v = a.slice(0, 0, 2);
  v.copy_(w.slice(0, 1, std::nullopt));
  EXPECT_TRUE(a.requires_grad());
  EXPECT_FALSE(a.is_leaf());
  EXPECT_TRUE(v.requires_grad());
  EXPECT_EQ(v.grad_fn_name(), "AsStridedBackward0");
  (a * test::vec({10, 20, 30}, DType::Float64)).sum().backward();
  // a = [w1, w2, w2_old]: d/dw = [0, 10, 20]
  EXPECT_EQ(values(w.grad()), (V{0, 10, 20}));
}

TEST(ViewInplace, RepeatedWritesThroughTheSameView) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.slice(0, 1, std::nullopt);
  v.mul_(2);
  v.mul_(3);
  v.sum().backward();
  EXPECT_EQ(values(w.grad()), (V{0, 6, 6}));
}

TEST(ViewInplace, ViewOfViewSharesTheRootBase) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.slice(0, 1, std::nullopt);
  Tensor vv = v.slice(0, 0, 1);
  vv.add_(5);
  EXPECT_TRUE(vv._base().is_same(b));
  EXPECT_EQ(b.grad_fn_name(), "torch::autograd::CopySlices");
  EXPECT_EQ(v.grad_fn_name(), "AsStridedBackward0");  // a sibling: regenerated lazily
  EXPECT_EQ(vv.grad_fn_name(), "AsStridedBackward0");
  EXPECT_EQ(values(v), (V{7, 3}));
  (v * test::vec({2, 5}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(w.grad()), (V{0, 2, 5}));
}

TEST(ViewInplace, BaseWrittenAfterViewRegeneratesViewHistory) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.slice(0, 1, std::nullopt);
  EXPECT_EQ(v.grad_fn_name(), "SliceBackward0");
  b.mul_(2);
  EXPECT_EQ(v._version(), 1u);
  EXPECT_EQ(v.grad_fn_name(), "AsStridedBackward0");
  v.sum().backward();  // v = 2 * w[1:]
  EXPECT_EQ(values(w.grad()), (V{0, 2, 2}));
}

TEST(ViewInplace, WriteWithOperandThatRequiresGrad) {
  // Gradients reach both the base's old value and the other operand.
  Tensor w = w3();
  Tensor u = test::vec({4, 5}, DType::Float64).requires_grad_(true);
  Tensor b = w * 1;
  b.slice(0, 0, 2).mul_(u);  // b = [w0*u0, w1*u1, w2]
  (b * test::vec({1, 10, 100}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(w.grad()), (V{4, 50, 100}));
  EXPECT_EQ(values(u.grad()), (V{1, 20}));
}

TEST(ViewInplace, TransposedViewWrite) {
  Tensor w = test::make({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64).requires_grad_(true);
  Tensor b = w * 1;
  Tensor t = b.t();           // [3, 2]
  t.select(0, 1).mul_(10);    // column 1 of b
  EXPECT_EQ(values(b), (V{1, 20, 3, 4, 50, 6}));
  (b * b).sum().backward();   // d/dw = 2 b * (10 on column 1)
  EXPECT_EQ(values(w.grad()), (V{2, 400, 6, 8, 1000, 12}));
}

TEST(ViewInplace, DoubleBackwardThroughCopySlices) {
  Tensor w = w3();
  Tensor b = w * w;                           // [w0^2, w1^2, w2^2]
  b.slice(0, 1, std::nullopt).mul_(w.slice(0, 1, std::nullopt));  // [w0^2, w1^3, w2^3]
  Tensor g = autograd::grad({b.sum()}, {w}, {}, true, true).at(0);  // [2w0, 3w1^2, 3w2^2]
  EXPECT_EQ(values(g), (V{2, 12, 27}));
  Tensor gg = autograd::grad({g.sum()}, {w}).at(0);  // [2, 6w1, 6w2]
  EXPECT_EQ(values(gg), (V{2, 12, 18}));
}

TEST(ViewInplace, MultiOutputViewsRefuseTrackedWrites) {
  Tensor w = w3();
  Tensor b = w.clone();
  auto us = b.unbind(0);
  FT_EXPECT_ERROR(us[0].mul_(2), ErrorKind::Runtime,
                  "Output 0 of UnbindBackward0 is a view and is being modified inplace. This view is the output of "
                  "a function that returns multiple views.");
  auto ss = b.split(1);
  FT_EXPECT_ERROR(ss[1].mul_(2), ErrorKind::Runtime, "Output 1 of SplitBackward0 is a view and is being modified");
  // A base that does not require grad: the message says no_grad (PyTorch's wording).
  Tensor z = zeros({3}, DType::Float64);
  auto zs = z.split(1);
  FT_EXPECT_ERROR(zs[0].mul_(w.select(0, 0)), ErrorKind::Runtime,
                  "A view was created in no_grad mode and is being modified inplace with grad mode enabled. This "
                  "view is the output of a function that returns multiple views.");
  // Untracked writes are allowed.
  Tensor y = zeros({3}, DType::Float64);
  y.unbind(0)[0].mul_(2);
  EXPECT_FALSE(y.requires_grad());
}

TEST(ViewInplace, MultiOutputViewOfRebasedBaseRaisesWhenUsed) {
  Tensor w = w3();
  Tensor b = w.clone();
  auto us = b.unbind(0);
  b.mul_(2);
  FT_EXPECT_ERROR(us[0] * 1, ErrorKind::Runtime,
                  "Output 0 of UnbindBackward0 is a view and its base or another view of its base has been modified "
                  "inplace.");
}

TEST(ViewInplace, NoGradViewsRefuseTrackedWrites) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v;
  {
    autograd::NoGradGuard ng;
    v = b.slice(0, 1, std::nullopt);
  }
  EXPECT_TRUE(v.requires_grad());
  EXPECT_TRUE(v.is_leaf());
  FT_EXPECT_ERROR(v.mul_(2), ErrorKind::Runtime,
                  "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given "
                  "that this use case is ambiguous and error-prone, it is forbidden.");
  Tensor plain = zeros({3}, DType::Float64), pv;
  {
    autograd::NoGradGuard ng;
    pv = plain.slice(0, 1, std::nullopt);
  }
  FT_EXPECT_ERROR(pv.mul_(w.slice(0, 1, std::nullopt)), ErrorKind::Runtime, "A view was created in no_grad mode");
  pv.mul_(2);  // nothing requires grad: allowed
  // Under no_grad the write is allowed and not tracked.
  {
    autograd::NoGradGuard ng;
    v.mul_(2);
  }
  EXPECT_EQ(values(b), (V{1, 4, 6}));
}

TEST(ViewInplace, ViewOfLeafRefusesWrites) {
  Tensor w = w3();
  FT_EXPECT_ERROR(w.slice(0, 1, std::nullopt).mul_(2), ErrorKind::Runtime,
                  "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  FT_EXPECT_ERROR(w.mul_(2), ErrorKind::Runtime, "a leaf Variable that requires grad is being used in an in-place");
}

TEST(ViewInplace, ReshapeCopyAndDetachAreNotViews) {
  Tensor w = w3();
  Tensor r = w.view({3, 1}).expand({3, 2}).reshape({6});
  EXPECT_FALSE(r.is_view());
  EXPECT_EQ(r.grad_fn_name(), "UnsafeViewBackward0");
  Tensor d = (w * 1).select(0, 0).detach();
  EXPECT_FALSE(d.is_view());
  Tensor v = (w * 1).select(0, 0);
  EXPECT_TRUE(v.is_view());
  FT_EXPECT_ERROR(v.detach_(), ErrorKind::Runtime, "Can't detach views in-place. Use detach() instead.");
}

TEST(ViewInplace, InplaceViewOpOnViewKeepsTheBase) {
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.unsqueeze(0);
  v.squeeze_();
  EXPECT_TRUE(v._base().is_same(b));
  EXPECT_EQ(b.grad_fn_name(), "MulBackward0");
  EXPECT_EQ(v.grad_fn_name(), "SqueezeBackward2");
}

TEST(ViewInplace, SavedViewVersionErrorStillRaised) {
  // A saved view modified through its base: the version check still fires.
  Tensor w = w3();
  Tensor b = w * 1;
  Tensor v = b.slice(0, 1, std::nullopt);
  Tensor y = v * v;  // saves v
  b.mul_(2);
  FT_EXPECT_ERROR(y.sum().backward(), ErrorKind::Runtime,
                  "one of the variables needed for gradient computation has been modified by an inplace operation");
}

}  // namespace
}  // namespace ft
