// conv1d / conv2d: results against a direct-summation reference over a sweep
// of strides, paddings ('same'/'valid' included), dilations, groups, kernel
// shapes, layouts and dtypes; PyTorch's empty-input results; argument errors
// with PyTorch's messages; first and second order gradients by finite
// differences; bitwise determinism across thread counts.
#include <gtest/gtest.h>

#include <optional>

#include "ft/gradcheck.h"
#include "ft/nn/functional.h"
#include "ft/parallel.h"
#include "test_util.h"

namespace ft {
namespace conv_test {

using test::rand_tensor;

struct Geom {
  int64_t sh = 1, sw = 1, pt = 0, pb = 0, pl = 0, pr = 0, dh = 1, dw = 1, groups = 1;
};

// out[n][co][oh][ow] = b[co] + sum over (ci, i, j) of w[co][ci][i][j] * x[n][g*Cg + ci][ih][iw],
// ih = oh*sh - pt + i*dh (zero outside the input), in double.
Tensor reference_conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Geom& g) {
  const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  const int64_t Co = w.size(0), Cg = w.size(1), kh = w.size(2), kw = w.size(3);
  const int64_t Ho = (H + g.pt + g.pb - g.dh * (kh - 1) - 1) / g.sh + 1;
  const int64_t Wo = (W + g.pl + g.pr - g.dw * (kw - 1) - 1) / g.sw + 1;
  const int64_t Cog = Co / g.groups;
  auto xv = x.to_double_vector(), wv = w.to_double_vector();
  std::vector<double> bv = b.defined() ? b.to_double_vector() : std::vector<double>(size_t(Co), 0.0);
  std::vector<double> out(size_t(N * Co * Ho * Wo));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t co = 0; co < Co; ++co)
      for (int64_t oh = 0; oh < Ho; ++oh)
        for (int64_t ow = 0; ow < Wo; ++ow) {
          double acc = bv[size_t(co)];
          const int64_t grp = co / Cog;
          for (int64_t ci = 0; ci < Cg; ++ci)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                int64_t ih = oh * g.sh - g.pt + i * g.dh, iw = ow * g.sw - g.pl + j * g.dw;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                acc += wv[size_t(((co * Cg + ci) * kh + i) * kw + j)] *
                       xv[size_t(((n * C + grp * Cg + ci) * H + ih) * W + iw)];
              }
          out[size_t(((n * Co + co) * Ho + oh) * Wo + ow)] = acc;
        }
  return from_vector(out, {N, Co, Ho, Wo}, DType::Float64);
}

std::optional<Tensor> opt(const Tensor& b) { return b.defined() ? std::optional<Tensor>(b) : std::nullopt; }

TEST(Conv2d, MatchesReferenceOverParameterSweep) {
  int seed = 1;
  for (int64_t groups : {1, 2})
    for (int64_t s : {1, 2, 3})
      for (int64_t p : {0, 1, 2})
        for (int64_t d : {1, 2})
          for (bool bias : {true, false}) {
            Tensor x = rand_tensor({2, 2 * groups, 7, 6}, DType::Float64, seed++);
            Tensor w = rand_tensor({3 * groups, 2, 3, 2}, DType::Float64, seed++);
            Tensor b = bias ? rand_tensor({3 * groups}, DType::Float64, seed++) : Tensor();
            Geom g{s, s, p, p, p, p, d, d, groups};
            Tensor y = conv2d(x, w, opt(b), {s}, {p}, {d}, groups);
            EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x, w, b, g), 1e-12, 1e-12))
                << "groups " << groups << " stride " << s << " padding " << p << " dilation " << d;
            // float32 follows the same path; compare loosely.
            Tensor y32 =
                conv2d(x.to(DType::Float32), w.to(DType::Float32),
                       bias ? std::optional<Tensor>(b.to(DType::Float32)) : std::nullopt, {s}, {p}, {d}, groups);
            EXPECT_EQ(y32.dtype(), DType::Float32);
            EXPECT_TRUE(test::tensor_close(y32, y, 1e-5, 1e-5));
          }
}

TEST(Conv2d, PerDimParametersAndNonContiguousInputs) {
  Tensor x = rand_tensor({2, 4, 9, 8}, DType::Float64, 11);
  Tensor w = rand_tensor({6, 2, 3, 2}, DType::Float64, 12);
  Tensor b = rand_tensor({6}, DType::Float64, 13);
  Geom g{2, 1, 1, 1, 0, 0, 1, 3, 2};
  Tensor want = reference_conv2d(x, w, b, g);
  EXPECT_TRUE(test::tensor_close(conv2d(x, w, b, {2, 1}, {1, 0}, {1, 3}, 2), want, 1e-12, 1e-12));
  // The same values through transposed / strided storage.
  Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);
  Tensor wt = w.transpose(0, 1).contiguous().transpose(0, 1);
  EXPECT_FALSE(xt.is_contiguous());
  EXPECT_TRUE(test::tensor_close(conv2d(xt, wt, b, {2, 1}, {1, 0}, {1, 3}, 2), want, 1e-12, 1e-12));
  Tensor big = rand_tensor({2, 4, 9, 16}, DType::Float64, 14);
  Tensor xs = big.slice(3, 0, 16, 2);
  EXPECT_TRUE(test::tensor_close(conv2d(xs, w, b, {2, 1}, {1, 0}, {1, 3}, 2),
                                 reference_conv2d(xs.contiguous(), w, b, g), 1e-12, 1e-12));
}

TEST(Conv2d, PointwiseKernelAndUnbatchedInput) {
  Tensor x = rand_tensor({3, 5, 4, 4}, DType::Float64, 21);
  Tensor w = rand_tensor({7, 5, 1, 1}, DType::Float64, 22);
  EXPECT_TRUE(test::tensor_close(conv2d(x, w), reference_conv2d(x, w, Tensor(), Geom{}), 1e-12, 1e-12));
  // (C, H, W) is a batch of one without the batch dim.
  Tensor x3 = rand_tensor({5, 6, 5}, DType::Float64, 23);
  Tensor w3 = rand_tensor({2, 5, 3, 3}, DType::Float64, 24);
  Tensor y = conv2d(x3, w3, std::nullopt, {1}, {1});
  EXPECT_EQ(test::shape(y), (std::vector<int64_t>{2, 6, 5}));
  EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x3.unsqueeze(0), w3, Tensor(), Geom{1, 1, 1, 1, 1, 1}).squeeze(0),
                                 1e-12, 1e-12));
}

TEST(Conv2d, SameAndValidPadding) {
  Tensor x = rand_tensor({1, 2, 5, 6}, DType::Float64, 31);
  // Odd kernel: symmetric padding; even kernel: the extra row/column after.
  Tensor w3 = rand_tensor({3, 2, 3, 3}, DType::Float64, 32);
  Tensor y = conv2d(x, w3, std::nullopt, {1}, "same");
  EXPECT_EQ(test::shape(y), (std::vector<int64_t>{1, 3, 5, 6}));
  EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x, w3, Tensor(), Geom{1, 1, 1, 1, 1, 1}), 1e-12, 1e-12));
  Tensor w2 = rand_tensor({3, 2, 2, 4}, DType::Float64, 33);
  y = conv2d(x, w2, std::nullopt, {1}, "same");
  EXPECT_EQ(test::shape(y), (std::vector<int64_t>{1, 3, 5, 6}));
  EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x, w2, Tensor(), Geom{1, 1, 0, 1, 1, 2}), 1e-12, 1e-12));
  // Dilation 2 with an even kernel: total padding 2 per tap gap, symmetric again.
  y = conv2d(x, w2, std::nullopt, {1}, "same", {2});
  EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x, w2, Tensor(), Geom{1, 1, 1, 1, 3, 3, 2, 2}), 1e-12, 1e-12));
  y = conv2d(x, w3, std::nullopt, {2}, "valid");
  EXPECT_TRUE(test::tensor_close(y, reference_conv2d(x, w3, Tensor(), Geom{2, 2}), 1e-12, 1e-12));
  FT_EXPECT_ERROR(conv2d(x, w3, std::nullopt, {2}, "same"), ErrorKind::Runtime,
                  "padding='same' is not supported for strided convolutions");
  FT_EXPECT_ERROR(conv2d(x, w3, std::nullopt, {1}, "full"), ErrorKind::Runtime, "Invalid padding string: 'full'");
}

TEST(Conv1d, MatchesConv2dOfHeightOne) {
  Tensor x = rand_tensor({2, 4, 11}, DType::Float64, 41);
  Tensor w = rand_tensor({6, 2, 3}, DType::Float64, 42);
  Tensor b = rand_tensor({6}, DType::Float64, 43);
  Tensor y = conv1d(x, w, b, {2}, {1}, {2}, 2);
  Tensor want = reference_conv2d(x.unsqueeze(2), w.unsqueeze(2), b, Geom{1, 2, 0, 0, 1, 1, 1, 2, 2}).squeeze(2);
  EXPECT_TRUE(test::tensor_close(y, want, 1e-12, 1e-12));
  EXPECT_EQ(test::shape(conv1d(x.select(0, 0), w, b, {1}, "same", {1}, 2)), (std::vector<int64_t>{6, 11}));
  FT_EXPECT_ERROR(conv1d(x, w, b, {1, 1}), ErrorKind::Runtime,
                  "expected stride to be a single integer value or a list of 1 values");
  FT_EXPECT_ERROR(conv1d(x.unsqueeze(0), w), ErrorKind::Runtime,
                  "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 2, 4, 11]");
}

TEST(Conv2d, IntegerConvolutionIsExact) {
  Tensor x = (rand_tensor({2, 2, 5, 5}, DType::Float64, 51) * 5.0).to(DType::Int64);
  Tensor w = (rand_tensor({3, 2, 3, 3}, DType::Float64, 52) * 5.0).to(DType::Int64);
  Tensor b = (rand_tensor({3}, DType::Float64, 53) * 5.0).to(DType::Int64);
  Tensor y = conv2d(x, w, b, {1}, {1}, {2});
  EXPECT_EQ(y.dtype(), DType::Int64);
  Tensor want =
      reference_conv2d(x.to(DType::Float64), w.to(DType::Float64), b.to(DType::Float64), Geom{1, 1, 1, 1, 1, 1, 2, 2});
  EXPECT_EQ(test::values(y), test::values(want));
  Tensor yi = conv2d(x.to(DType::Int32), w.to(DType::Int32), b.to(DType::Int32), {1}, {1});
  EXPECT_EQ(yi.dtype(), DType::Int32);
  // libtorch's dilated backend has no int32 kernel; bool and half have none at all.
  FT_EXPECT_ERROR(conv2d(x.to(DType::Int32), w.to(DType::Int32), std::nullopt, {1}, {1}, {2}),
                  ErrorKind::NotImplemented, "\"slow_conv_dilated<>\" not implemented for 'Int'");
  FT_EXPECT_ERROR(conv2d(x.to(DType::Bool), w.to(DType::Bool)), ErrorKind::NotImplemented,
                  "\"slow_conv2d_cpu\" not implemented for 'Bool'");
}

TEST(Conv2d, EmptyBatchAndZeroChannels) {
  Tensor w = rand_tensor({6, 4, 3, 3}, DType::Float64, 61);
  Tensor b = rand_tensor({6}, DType::Float64, 62);
  Tensor y = conv2d(zeros({0, 4, 5, 5}, DType::Float64), w, b);
  EXPECT_EQ(test::shape(y), (std::vector<int64_t>{0, 6, 3, 3}));
  // Zero input channels give zero output channels (ATen's calc_output_size).
  y = conv2d(zeros({2, 0, 5, 5}, DType::Float64), zeros({6, 0, 3, 3}, DType::Float64), b);
  EXPECT_EQ(test::shape(y), (std::vector<int64_t>{2, 0, 3, 3}));
  // The empty path promotes like a product (libtorch: input * weight).
  EXPECT_EQ(conv2d(zeros({2, 0, 5, 5}), zeros({6, 0, 3, 3}, DType::Float64)).dtype(), DType::Float64);
  EXPECT_EQ(conv2d(zeros({0, 4, 5, 5}, DType::Bool), w.to(DType::Bool)).dtype(), DType::Bool);
  // Gradients exist and are zero.
  Tensor wl = w.detach().requires_grad_(), bl = b.detach().requires_grad_();
  conv2d(zeros({0, 4, 5, 5}, DType::Float64), wl, bl).sum().backward();
  EXPECT_EQ(test::values(wl.grad()), std::vector<double>(size_t(wl.numel()), 0.0));
  EXPECT_EQ(test::values(bl.grad()), std::vector<double>(6, 0.0));
  FT_EXPECT_ERROR(conv2d(zeros({2, 4, 0, 5}, DType::Float64), w, b, {1}, {2}), ErrorKind::Runtime,
                  "Only zero batch or zero channel inputs are supported, but got input shape: [2, 4, 0, 5]");
}

TEST(Conv2d, ArgumentErrorsUsePyTorchMessages) {
  Tensor x = rand_tensor({2, 4, 5, 5}, DType::Float64, 71);
  Tensor w = rand_tensor({6, 4, 3, 3}, DType::Float64, 72);
  Tensor b = rand_tensor({6}, DType::Float64, 73);
  using K = ErrorKind;
  FT_EXPECT_ERROR(conv2d(x.unsqueeze(0), w, b), K::Runtime,
                  "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 2, 4, 5, 5]");
  FT_EXPECT_ERROR(
      conv2d(x, rand_tensor({6, 3, 3, 3}, DType::Float64, 1), b), K::Runtime,
      "Given groups=1, weight of size [6, 3, 3, 3], expected input[2, 4, 5, 5] to have 3 channels, but got 4 "
      "channels instead");
  FT_EXPECT_ERROR(conv2d(x, rand_tensor({5, 2, 3, 3}, DType::Float64, 1), std::nullopt, {1}, {0}, {1}, 2), K::Runtime,
                  "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
                  "[[5, 2, 3, 3]] instead");
  FT_EXPECT_ERROR(conv2d(x, w, b, {1}, {0}, {1}, 0), K::Runtime, "non-positive groups is not supported");
  FT_EXPECT_ERROR(
      conv2d(x, w, rand_tensor({5}, DType::Float64, 1)), K::Runtime,
      "Given weight of size [6, 4, 3, 3], expected bias to be 1-dimensional with 6 elements, but got bias of "
      "size [5] instead");
  FT_EXPECT_ERROR(
      conv2d(x, rand_tensor({6, 4, 7, 7}, DType::Float64, 1), b), K::Runtime,
      "Calculated padded input size per channel: (5 x 5). Kernel size: (7 x 7). Kernel size can't be greater "
      "than actual input size");
  FT_EXPECT_ERROR(conv2d(x, w, b, {1}, {-1}), K::Runtime, "negative padding is not supported");
  FT_EXPECT_ERROR(conv2d(x, w, b, {0}), K::Runtime, "non-positive stride is not supported");
  FT_EXPECT_ERROR(conv2d(x, w, b, {1}, {0}, {0}), K::Runtime, "non-positive dilation is not supported");
  FT_EXPECT_ERROR(conv2d(x, w, b, {1, 1, 1}), K::Runtime,
                  "expected stride to be a single integer value or a list of 2 values to match the convolution "
                  "dimensions, but got stride=[1, 1, 1]");
  FT_EXPECT_ERROR(conv2d(x, w, b.to(DType::Float32)), K::Runtime,
                  "Input type (double) and bias type (float) should be the same");
  FT_EXPECT_ERROR(conv2d(x, w.to(DType::Float32), b), K::Runtime, "expected scalar type Double but found Float");
  // (Python expands stride=1 to [1, 1] first and reports the list length instead.)
  FT_EXPECT_ERROR(
      conv2d(x, w.select(0, 0)), K::Runtime,
      "Expected 3-dimensional input for 3-dimensional weight [4, 3, 3], but got 4-dimensional input of size "
      "[2, 4, 5, 5] instead");
}

// ---- gradients ------------------------------------------------------------------------------
autograd::DiffFn conv_fn(std::vector<int64_t> s, std::vector<int64_t> p, std::vector<int64_t> d, int64_t groups) {
  return [=](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{
        conv2d(in[0], in[1], in.size() > 2 ? std::optional<Tensor>(in[2]) : std::nullopt, s, p, d, groups)};
  };
}

TEST(Conv2d, GradcheckFirstAndSecondOrder) {
  struct Cfg {
    std::vector<int64_t> s, p, d;
    int64_t groups;
  };
  const Cfg cfgs[] = {{{1}, {0}, {1}, 1}, {{2}, {1}, {1}, 1}, {{1, 2}, {2, 1}, {2, 1}, 2}, {{3}, {1}, {2}, 1}};
  int seed = 100;
  for (const Cfg& c : cfgs) {
    Tensor x = rand_tensor({2, 2 * c.groups, 5, 6}, DType::Float64, seed++).requires_grad_();
    Tensor w = rand_tensor({2 * c.groups, 2, 3, 2}, DType::Float64, seed++).requires_grad_();
    Tensor b = rand_tensor({2 * c.groups}, DType::Float64, seed++).requires_grad_();
    auto r = autograd::gradcheck(conv_fn(c.s, c.p, c.d, c.groups), {x, w, b});
    EXPECT_TRUE(r.ok) << r.message;
    auto rg = autograd::gradgradcheck(conv_fn(c.s, c.p, c.d, c.groups), {x, w, b});
    EXPECT_TRUE(rg.ok) << rg.message;
  }
}

TEST(Conv2d, GradcheckSamePaddingAndConv1d) {
  Tensor x = rand_tensor({1, 2, 4, 5}, DType::Float64, 201).requires_grad_();
  Tensor w = rand_tensor({3, 2, 2, 2}, DType::Float64, 202).requires_grad_();
  autograd::DiffFn same = [](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{conv2d(in[0], in[1], std::nullopt, {1}, "same")};
  };
  EXPECT_TRUE(autograd::gradcheck(same, {x, w}).ok);
  EXPECT_TRUE(autograd::gradgradcheck(same, {x, w}).ok);
  Tensor x1 = rand_tensor({2, 2, 7}, DType::Float64, 203).requires_grad_();
  Tensor w1 = rand_tensor({4, 1, 3}, DType::Float64, 204).requires_grad_();
  autograd::DiffFn c1 = [](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{conv1d(in[0], in[1], std::nullopt, {2}, {1}, {1}, 2)};
  };
  EXPECT_TRUE(autograd::gradcheck(c1, {x1, w1}).ok);
  EXPECT_TRUE(autograd::gradgradcheck(c1, {x1, w1}).ok);
}

TEST(Conv2d, ThirdOrderGradientIsRecorded) {
  // d/dw of (d/dx sum(conv(x, w)^2)) . v is again differentiable.
  Tensor x = rand_tensor({1, 1, 4, 4}, DType::Float64, 301).requires_grad_();
  Tensor w = rand_tensor({1, 1, 2, 2}, DType::Float64, 302).requires_grad_();
  Tensor y = conv2d(x, w);
  Tensor gx = autograd::grad({(y * y).sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor gw = autograd::grad({gx.sum()}, {w}, {}, std::nullopt, true)[0];
  EXPECT_TRUE(gw.requires_grad());
  Tensor gxx = autograd::grad({gw.sum()}, {x})[0];
  EXPECT_EQ(test::shape(gxx), test::shape(x));
}

TEST(Conv2d, BitwiseIdenticalWithOneAndTwoThreads) {
  const int prev = get_num_threads();
  // Batch 9 (chunked weight gradient) and batch 1 (forward split by output rows).
  auto run = [](int threads, int64_t batch) {
    set_num_threads(threads);
    Tensor x = rand_tensor({batch, 4, 10, 10}, DType::Float32, 401).requires_grad_();
    Tensor w = rand_tensor({6, 4, 3, 3}, DType::Float32, 402).requires_grad_();
    Tensor b = rand_tensor({6}, DType::Float32, 403).requires_grad_();
    Tensor y = conv2d(x, w, b, {1}, {1});
    (y * y).sum().backward();
    return std::vector<std::vector<double>>{test::values(y), test::values(x.grad()), test::values(w.grad()),
                                            test::values(b.grad())};
  };
  for (int64_t batch : {9, 1}) {
    auto one = run(1, batch), two = run(2, batch);
    for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i], two[i]) << "batch " << batch << " result " << i;
  }
  set_num_threads(prev);
}

}  // namespace conv_test
}  // namespace ft
