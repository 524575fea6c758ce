// max_pool2d(_with_indices), avg_pool2d, adaptive_avg_pool2d: results against
// direct references over kernel/stride/padding/dilation/ceil_mode sweeps,
// PyTorch's NaN and tie rules, int64 average pooling, argument errors with
// PyTorch's messages, gradients of first and second order, and the modules.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ft/gradcheck.h"
#include "ft/nn/modules.h"
#include "ft/random.h"
#include "test_util.h"

namespace ft {
namespace pool_test {

using test::rand_tensor;

struct Win {
  int64_t kh, kw, sh, sw, ph, pw, dh = 1, dw = 1;
  bool ceil = false;
};

int64_t out_len(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode) {
  int64_t num = in + 2 * p - d * (k - 1) - 1;
  int64_t o = (ceil_mode ? (num + s - 1) / s : num / s) + 1;
  if (ceil_mode && (o - 1) * s >= in + p) --o;
  return o;
}

// Reference max pooling over (P, H, W): values and plane indices (first max
// wins; any NaN is the maximum).
std::pair<std::vector<double>, std::vector<double>> reference_max(const Tensor& x, const Win& w) {
  const int64_t H = x.size(-2), W = x.size(-1), P = x.numel() / (H * W);
  const int64_t Ho = out_len(H, w.kh, w.sh, w.ph, w.dh, w.ceil), Wo = out_len(W, w.kw, w.sw, w.pw, w.dw, w.ceil);
  auto xv = x.contiguous().to_double_vector();
  std::vector<double> vals, idx;
  for (int64_t p = 0; p < P; ++p)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow) {
        double best = -INFINITY;
        int64_t bi = -1;
        for (int64_t i = 0; i < w.kh; ++i)
          for (int64_t j = 0; j < w.kw; ++j) {
            int64_t ih = oh * w.sh - w.ph + i * w.dh, iw = ow * w.sw - w.pw + j * w.dw;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            double v = xv[size_t((p * H + ih) * W + iw)];
            if (bi < 0 || v > best || (std::isnan(v))) {
              best = v;
              bi = ih * W + iw;
            }
          }
        vals.push_back(best);
        idx.push_back(double(bi));
      }
  return {vals, idx};
}

TEST(MaxPool2d, MatchesReferenceOverSweep) {
  int seed = 1;
  for (int64_t k : {1, 2, 3})
    for (int64_t s : {1, 2, 3})
      for (int64_t d : {1, 2})
        for (bool ceil_mode : {false, true})
          for (int64_t p = 0; p <= k / 2; ++p) {
            Tensor x = rand_tensor({2, 3, 7, 8}, DType::Float64, seed++);
            Win w{k, k, s, s, p, p, d, d, ceil_mode};
            auto [vals, idx] = max_pool2d_with_indices(x, {k}, {s}, {p}, {d}, ceil_mode);
            auto want = reference_max(x, w);
            EXPECT_EQ(test::values(vals), want.first) << k << " " << s << " " << p << " " << d << " " << ceil_mode;
            EXPECT_EQ(test::values(idx), want.second);
            EXPECT_EQ(idx.dtype(), DType::Int64);
            EXPECT_EQ(test::values(max_pool2d(x, {k}, {s}, {p}, {d}, ceil_mode)), want.first);
          }
}

TEST(MaxPool2d, NanTiesInfinitiesAndLayouts) {
  const double nan = std::nan(""), inf = INFINITY;
  // Window 0: 1, nan, nan, 2 -> the last NaN (index 4); window 1: 3, nan, -inf, 0 -> index 3.
  Tensor x = test::make({1, nan, 3, nan, nan, 2, -inf, 0}, {1, 1, 2, 4}, DType::Float64);
  auto [v, i] = max_pool2d_with_indices(x, {2});
  EXPECT_TRUE(std::isnan(test::values(v)[0]) && std::isnan(test::values(v)[1]));
  EXPECT_EQ(test::values(i), (std::vector<double>{4, 3}));
  // All -inf: the first element; ties: the first maximum.
  auto [v2, i2] = max_pool2d_with_indices(full({1, 1, 2, 2}, -inf, DType::Float64), {2});
  EXPECT_EQ(test::values(i2), std::vector<double>{0});
  auto [v3, i3] = max_pool2d_with_indices(test::make({1, 3, 3, 2}, {1, 1, 1, 4}), {1, 4});
  EXPECT_EQ(test::values(i3), std::vector<double>{1});
  // 3-D input and a non-contiguous input.
  Tensor y = rand_tensor({3, 6, 5}, DType::Float32, 9);
  EXPECT_EQ(test::shape(max_pool2d(y, {2})), (std::vector<int64_t>{3, 3, 2}));
  Tensor yt = y.transpose(1, 2);
  EXPECT_EQ(test::values(max_pool2d(yt, {2}, {1})), test::values(max_pool2d(yt.contiguous(), {2}, {1})));
}

TEST(MaxPool2d, ErrorsUsePyTorchMessages) {
  Tensor x = rand_tensor({2, 4, 5, 5}, DType::Float32, 3);
  using K = ErrorKind;
  FT_EXPECT_ERROR(max_pool2d(x, {2, 2, 2}), K::Runtime,
                  "max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
  FT_EXPECT_ERROR(max_pool2d(x, {0}), K::Runtime, "stride should not be zero");
  FT_EXPECT_ERROR(max_pool2d(x, {2}, {1}, {2}), K::Runtime,
                  "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
  FT_EXPECT_ERROR(max_pool2d(x, {2}, {1}, {-1}), K::Runtime, "pad must be non-negative, but got pad: -1");
  FT_EXPECT_ERROR(max_pool2d(x, {2}, {1}, {0}, {0}), K::Runtime,
                  "dilation should be greater than zero, but got dilationH: 0 dilationW: 0");
  FT_EXPECT_ERROR(max_pool2d(x, {6}), K::Runtime,
                  "Given input size: (4x5x5). Calculated output size: (4x0x0). Output size is too small");
  FT_EXPECT_ERROR(max_pool2d(x.select(0, 0).select(0, 0), {2}), K::Runtime,
                  "non-empty 3D or 4D (batch mode) tensor expected for input");
  FT_EXPECT_ERROR(
      max_pool2d(zeros({2, 0, 5, 5}), {2}), K::Runtime,
      "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 0, 5, 5]");
  FT_EXPECT_ERROR(max_pool2d(x.to(DType::Int64), {2}), K::NotImplemented, "\"max_pool2d\" not implemented for 'Long'");
  EXPECT_EQ(test::shape(max_pool2d(zeros({0, 4, 5, 5}), {2})), (std::vector<int64_t>{0, 4, 2, 2}));
}

// ---- average pooling ----------------------------------------------------------------------
std::vector<double> reference_avg(const Tensor& x, const Win& w, bool count_pad, std::optional<int64_t> divisor) {
  const int64_t H = x.size(-2), W = x.size(-1), P = x.numel() / (H * W);
  const int64_t Ho = out_len(H, w.kh, w.sh, w.ph, 1, w.ceil), Wo = out_len(W, w.kw, w.sw, w.pw, 1, w.ceil);
  auto xv = x.contiguous().to_double_vector();
  std::vector<double> out;
  for (int64_t p = 0; p < P; ++p)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow) {
        int64_t h0 = oh * w.sh - w.ph, w0 = ow * w.sw - w.pw;
        int64_t h1 = std::min(h0 + w.kh, H + w.ph), w1 = std::min(w0 + w.kw, W + w.pw);
        int64_t pool = (h1 - h0) * (w1 - w0);
        h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0), h1 = std::min(h1, H), w1 = std::min(w1, W);
        double sum = 0;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) sum += xv[size_t((p * H + ih) * W + iw)];
        int64_t div = divisor ? *divisor : count_pad ? pool : (h1 - h0) * (w1 - w0);
        out.push_back(sum / double(div));
      }
  return out;
}

TEST(AvgPool2d, MatchesReferenceOverSweep) {
  int seed = 50;
  for (int64_t k : {1, 2, 3})
    for (int64_t s : {1, 2})
      for (bool ceil_mode : {false, true})
        for (bool count_pad : {false, true})
          for (std::optional<int64_t> div : {std::optional<int64_t>(), std::optional<int64_t>(3)})
            for (int64_t p = 0; p <= k / 2; ++p) {
              Tensor x = rand_tensor({2, 2, 7, 6}, DType::Float64, seed++);
              Win w{k, k, s, s, p, p, 1, 1, ceil_mode};
              Tensor y = avg_pool2d(x, {k}, {s}, {p}, ceil_mode, count_pad, div);
              EXPECT_TRUE(test::all_close(test::values(y), reference_avg(x, w, count_pad, div), 1e-12, 1e-12));
            }
  // Non-square windows, default stride (= kernel), 3-D input.
  Tensor x = rand_tensor({3, 7, 9}, DType::Float64, 99);
  EXPECT_TRUE(test::all_close(test::values(avg_pool2d(x, {2, 3})), reference_avg(x, Win{2, 3, 2, 3, 0, 0}, true, {}),
                              1e-12, 1e-12));
}

TEST(AvgPool2d, Int64TruncatesAndErrors) {
  Tensor x = test::make({-7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 4, 4}, DType::Int64);
  // Values checked against torch 1.13: sums divided with C++ truncation.
  EXPECT_EQ(test::values(avg_pool2d(x, {3}, {1}, {1})),
            (std::vector<double>{-2, -2, -2, -1, -1, -2, -1, 0, 1, 2, 3, 2, 1, 2, 3, 2}));
  EXPECT_EQ(test::values(avg_pool2d(x, {3}, {1}, {1}, false, true, -2)),
            (std::vector<double>{9, 12, 9, 5, 7, 9, 4, 1, -4, -9, -13, -10, -7, -12, -15, -11}));
  using K = ErrorKind;
  FT_EXPECT_ERROR(avg_pool2d(x, {3}, {1}, {1}, false, true, 0), K::Runtime, "divisor must be not zero");
  FT_EXPECT_ERROR(avg_pool2d(x.to(DType::Int32), {2}), K::NotImplemented, "\"avg_pool2d\" not implemented for 'Int'");
  FT_EXPECT_ERROR(avg_pool2d(x.select(0, 0).select(0, 0), {2}), K::Index, "Dimension out of range");
  FT_EXPECT_ERROR(avg_pool2d(x, {2}, {}, {0, 0, 0}), K::Runtime,
                  "avg_pool2d: padding must either be a single int, or a tuple of two ints");
  // -0.0 averages to +0.0: ATen adds the average onto a zeroed output.
  Tensor nz = avg_pool2d(full({1, 1, 1, 1}, -0.0, DType::Float64), {1});
  EXPECT_FALSE(std::signbit(test::values(nz)[0]));
}

// ---- adaptive average pooling -----------------------------------------------------------------
std::vector<double> reference_adaptive(const Tensor& x, int64_t Ho, int64_t Wo) {
  const int64_t H = x.size(-2), W = x.size(-1), P = x.numel() / (H * W);
  auto xv = x.contiguous().to_double_vector();
  std::vector<double> out;
  for (int64_t p = 0; p < P; ++p)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow) {
        int64_t h0 = oh * H / Ho, h1 = ((oh + 1) * H + Ho - 1) / Ho;
        int64_t w0 = ow * W / Wo, w1 = ((ow + 1) * W + Wo - 1) / Wo;
        double sum = 0;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) sum += xv[size_t((p * H + ih) * W + iw)];
        out.push_back(sum / double((h1 - h0) * (w1 - w0)));
      }
  return out;
}

TEST(AdaptiveAvgPool2d, MatchesReference) {
  Tensor x = rand_tensor({2, 3, 7, 5}, DType::Float64, 7);
  for (int64_t ho : {1, 2, 3, 7, 9})
    for (int64_t wo : {2, 4, 5, 6}) {
      Tensor y = adaptive_avg_pool2d(x, {ho, wo});
      EXPECT_EQ(test::shape(y), (std::vector<int64_t>{2, 3, ho, wo}));
      EXPECT_TRUE(test::all_close(test::values(y), reference_adaptive(x, ho, wo), 1e-12, 1e-12));
    }
  // (1, 1) is a mean over the last two dims, also for ranks other than 3 and 4.
  EXPECT_TRUE(test::tensor_close(adaptive_avg_pool2d(x, {1, 1}), x.mean({-1, -2}, true), 1e-12, 1e-12));
  EXPECT_EQ(test::shape(adaptive_avg_pool2d(x.select(0, 0).select(0, 0), {1, 1})), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(test::shape(adaptive_avg_pool2d(x, {0, 2})), (std::vector<int64_t>{2, 3, 0, 2}));
  using K = ErrorKind;
  FT_EXPECT_ERROR(adaptive_avg_pool2d(x, {2}), K::Runtime, "adaptive_avg_pool2d: output_size must be 2");
  FT_EXPECT_ERROR(
      adaptive_avg_pool2d(x, {-1, 2}), K::Runtime,
      "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, 2}");
  FT_EXPECT_ERROR(adaptive_avg_pool2d(x.unsqueeze(0), {2, 2}), K::Runtime,
                  "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [1, 2, 3, 7, 5]");
  FT_EXPECT_ERROR(adaptive_avg_pool2d(zeros({2, 4, 0, 5}), {2, 2}), K::Runtime, "with dimension 2 being empty");
  FT_EXPECT_ERROR(adaptive_avg_pool2d(x.to(DType::Int64), {2, 2}), K::NotImplemented,
                  "\"adaptive_avg_pool2d\" not implemented for 'Long'");
}

// ---- gradients --------------------------------------------------------------------------------
TEST(Pool2d, GradcheckFirstAndSecondOrder) {
  Tensor x = rand_tensor({2, 2, 6, 7}, DType::Float64, 501).requires_grad_();
  std::vector<std::pair<const char*, autograd::DiffFn>> fns = {
      {"max",
       [](const std::vector<Tensor>& in) { return std::vector<Tensor>{max_pool2d(in[0], {3}, {2}, {1}, {1}, true)}; }},
      {"max_dilated",
       [](const std::vector<Tensor>& in) {
         return std::vector<Tensor>{max_pool2d(in[0], {2, 3}, {1}, {1}, {2})};
       }},
      {"avg",
       [](const std::vector<Tensor>& in) {
         return std::vector<Tensor>{avg_pool2d(in[0], {3}, {2}, {1}, true, false)};
       }},
      {"avg_div",
       [](const std::vector<Tensor>& in) {
         return std::vector<Tensor>{avg_pool2d(in[0], {2, 3}, {1}, {1}, false, true, 5)};
       }},
      {"adaptive",
       [](const std::vector<Tensor>& in) {
         return std::vector<Tensor>{adaptive_avg_pool2d(in[0], {4, 3})};
       }},
      {"adaptive_up",
       [](const std::vector<Tensor>& in) {
         return std::vector<Tensor>{adaptive_avg_pool2d(in[0], {8, 9})};
       }},
  };
  for (auto& [name, fn] : fns) {
    auto r = autograd::gradcheck(fn, {x});
    EXPECT_TRUE(r.ok) << name << ": " << r.message;
    auto rg = autograd::gradgradcheck(fn, {x});
    EXPECT_TRUE(rg.ok) << name << " (gradgrad): " << rg.message;
  }
}

TEST(MaxPool2d, OverlappingWindowsAccumulateGradient) {
  Tensor x = test::make({5, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 3, 3}, DType::Float64).requires_grad_();
  max_pool2d(x, {2}, {1}).sum().backward();
  EXPECT_EQ(test::values(x.grad()), (std::vector<double>{1, 1, 0, 1, 1, 0, 0, 0, 0}));
}

// ---- modules ----------------------------------------------------------------------------------
TEST(NnConvModules, Conv2dShapesInitAndForward) {
  manual_seed(0);
  nn::Conv2d conv(4, 6, 3, 1, 1, 1, 2);
  EXPECT_EQ(test::shape(conv.weight()), (std::vector<int64_t>{6, 2, 3, 3}));
  EXPECT_EQ(test::shape(conv.bias()), (std::vector<int64_t>{6}));
  const double bound = 1.0 / std::sqrt(2.0 * 9);  // kaiming_uniform(a=sqrt(5)) bound = 1/sqrt(fan_in)
  for (double v : test::values(conv.weight())) EXPECT_LE(std::fabs(v), bound);
  for (double v : test::values(conv.bias())) EXPECT_LE(std::fabs(v), bound);
  Tensor x = rand_tensor({2, 4, 5, 5}, DType::Float32, 3);
  Tensor y = conv.forward(x);
  EXPECT_TRUE(test::tensor_close(y, conv2d(x, conv.weight(), conv.bias(), {1}, {1}, {1}, 2), 0, 0));
  EXPECT_EQ(conv.named_parameters().size(), 2u);
  // Same seed, same parameters.
  manual_seed(0);
  nn::Conv2d again(4, 6, 3, 1, 1, 1, 2);
  EXPECT_EQ(test::values(again.weight()), test::values(conv.weight()));
  nn::Conv2dOptions o;
  o.in_channels = 2;
  o.out_channels = 3;
  o.kernel_size = {2, 4};
  o.padding_str = "same";
  o.bias = false;
  nn::Conv2d same(o);
  EXPECT_FALSE(same.bias().defined());
  EXPECT_EQ(test::shape(same.forward(rand_tensor({1, 2, 5, 6}, DType::Float32, 4))),
            (std::vector<int64_t>{1, 3, 5, 6}));
  o.stride = {2};
  FT_EXPECT_ERROR(nn::Conv2d{o}, ErrorKind::Value, "padding='same' is not supported for strided convolutions");
  FT_EXPECT_ERROR(nn::Conv2d(3, 4, 3, 1, 0, 1, 2), ErrorKind::Value, "in_channels must be divisible by groups");
}

TEST(NnConvModules, PoolingModulesMatchFunctional) {
  Tensor x = rand_tensor({2, 3, 7, 6}, DType::Float32, 5);
  EXPECT_EQ(test::values(nn::MaxPool2d({3}, {2}, {1}).forward(x)), test::values(max_pool2d(x, {3}, {2}, {1})));
  auto [v, i] = nn::MaxPool2d({2}).forward_with_indices(x);
  EXPECT_EQ(test::values(i), test::values(std::get<1>(max_pool2d_with_indices(x, {2}))));
  EXPECT_EQ(test::values(nn::AvgPool2d({2, 3}, {}, {1}, true, false).forward(x)),
            test::values(avg_pool2d(x, {2, 3}, {}, {1}, true, false)));
  EXPECT_EQ(test::values(nn::AdaptiveAvgPool2d({3}).forward(x)), test::values(adaptive_avg_pool2d(x, {3, 3})));
  auto net = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Conv2d>(3, 4, 3, 1, 1), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::MaxPool2d>(std::vector<int64_t>{2}),
      std::make_shared<nn::AdaptiveAvgPool2d>(std::vector<int64_t>{1}), std::make_shared<nn::Flatten>()});
  Tensor out = net->forward(x);
  EXPECT_EQ(test::shape(out), (std::vector<int64_t>{2, 4}));
  out.sum().backward();
  for (auto& p : net->parameters()) EXPECT_TRUE(p.grad().defined());
}

}  // namespace pool_test
}  // namespace ft
