// The version counter: every in-place write (op_, fill_, copy_, out=) bumps
// it by one, views and detach() share it, functional ops and clones leave it.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::iota;

TEST(VersionCounter, FreshTensorIsAtZero) {
  EXPECT_EQ(zeros({3})._version(), 0u);
  EXPECT_EQ(empty({2, 2})._version(), 0u);
  EXPECT_EQ(iota({5})._version(), 0u);
  // Factories that fill are initialising, not writing in place.
  EXPECT_EQ(ones({3})._version(), 0u);
  EXPECT_EQ(full({2}, 7)._version(), 0u);
  EXPECT_EQ(scalar_tensor(2.5)._version(), 0u);
  EXPECT_EQ(arange(4)._version(), 0u);
}

TEST(VersionCounter, EachInPlaceOpBumpsOnce) {
  Tensor x = iota({4}, DType::Float64);
  Tensor o = ones({4}, DType::Float64);
  uint32_t v = x._version();
  x.add_(o);
  EXPECT_EQ(x._version(), ++v);
  x.sub_(o, 2);
  EXPECT_EQ(x._version(), ++v);
  x.mul_(o);
  EXPECT_EQ(x._version(), ++v);
  x.div_(o);
  EXPECT_EQ(x._version(), ++v);
  x.neg_();
  EXPECT_EQ(x._version(), ++v);
  x.relu_();
  EXPECT_EQ(x._version(), ++v);
  x.exp_();
  EXPECT_EQ(x._version(), ++v);
  x.log_();
  EXPECT_EQ(x._version(), ++v);
  x.tanh_();
  EXPECT_EQ(x._version(), ++v);
  x.fill_(1);
  EXPECT_EQ(x._version(), ++v);
  x.zero_();
  EXPECT_EQ(x._version(), ++v);
  x.copy_(o);
  EXPECT_EQ(x._version(), ++v);
  EXPECT_EQ(o._version(), 0u);  // operands that are only read keep their version
}

TEST(VersionCounter, FunctionalOpsAndClonesDoNotBump) {
  Tensor x = iota({2, 3});
  Tensor y = x + x;
  Tensor z = x.exp().sum();
  Tensor c = x.clone();
  EXPECT_EQ(x._version(), 0u);
  c.add_(x);
  EXPECT_EQ(c._version(), 1u);
  EXPECT_EQ(x._version(), 0u);  // clone has its own counter
  (void)y;
  (void)z;
}

TEST(VersionCounter, ViewsAndDetachShareIt) {
  Tensor x = iota({2, 3});
  Tensor v = x.view({3, 2});
  Tensor d = x.detach();
  Tensor s = x.slice(1, 1, std::nullopt);
  v.mul_(test::make({2}, {}));
  EXPECT_EQ(x._version(), 1u);
  EXPECT_EQ(d._version(), 1u);
  EXPECT_EQ(s._version(), 1u);
  d.fill_(0);
  EXPECT_EQ(v._version(), 2u);
  EXPECT_EQ(test::values(x), (std::vector<double>{0, 0, 0, 0, 0, 0}));
  // A view created after the writes starts from the shared value.
  EXPECT_EQ(x.t()._version(), 2u);
}

TEST(VersionCounter, OutVariantBumpsOut) {
  Tensor out = empty({3});
  add_out(out, ones({3}), ones({3}));
  EXPECT_EQ(out._version(), 1u);
  exp_out(out, zeros({3}));
  EXPECT_EQ(out._version(), 2u);
  EXPECT_EQ(test::values(out), (std::vector<double>{1, 1, 1}));
}

TEST(VersionCounter, FailedInPlaceDoesNotBump) {
  Tensor x = zeros({3}, DType::Int64);
  FT_EXPECT_ERROR(x.exp_(), ErrorKind::Runtime, "can't be cast");
  EXPECT_EQ(x._version(), 0u);
}

}  // namespace
}  // namespace ft
