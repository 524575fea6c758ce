// The conv_extra family: conv_transpose2d/1d against a direct scatter
// reference over stride/padding/output_padding/dilation/groups sweeps, its
// first and second derivatives (gradcheck), argument errors; the 1-D
// poolings against the 2-D ones; and the modules (ConvTranspose2d, Conv1d,
// MaxPool1d, AvgPool1d, activations, ModuleList, ModuleDict).
#include <gtest/gtest.h>

#include <cmath>

#include "ft/gradcheck.h"
#include "ft/nn/activation.h"
#include "ft/nn/containers.h"
#include "ft/nn/conv1d.h"
#include "ft/nn/conv_transpose.h"
#include "ft/nn/modules.h"
#include "test_util.h"

namespace ft {
namespace conv_extra_test {

using test::rand_tensor;

struct TCfg {
  int64_t n, cin, cout_g, h, w, kh, kw, s, p, op, d, groups;
  bool bias;
};

// Each input element scatters x * w into the output at
// (ih * s - p + i * d, iw * s - p + j * d).
std::vector<double> reference_transpose(const Tensor& x, const Tensor& w, const Tensor& b, const TCfg& c,
                                        int64_t Ho, int64_t Wo) {
  const int64_t cin_g = c.cin / c.groups, Cout = c.cout_g * c.groups;
  auto xv = x.contiguous().to_double_vector(), wv = w.contiguous().to_double_vector();
  std::vector<double> out(size_t(c.n * Cout * Ho * Wo), 0.0);
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t ci = 0; ci < c.cin; ++ci) {
      const int64_t g = ci / cin_g;
      for (int64_t co = 0; co < c.cout_g; ++co)
        for (int64_t ih = 0; ih < c.h; ++ih)
          for (int64_t iw = 0; iw < c.w; ++iw)
            for (int64_t i = 0; i < c.kh; ++i)
              for (int64_t j = 0; j < c.kw; ++j) {
                const int64_t oh = ih * c.s - c.p + i * c.d, ow = iw * c.s - c.p + j * c.d;
                if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
                const double xe = xv[size_t(((n * c.cin + ci) * c.h + ih) * c.w + iw)];
                const double we = wv[size_t(((ci * c.cout_g + co) * c.kh + i) * c.kw + j)];
                out[size_t(((n * Cout + g * c.cout_g + co) * Ho + oh) * Wo + ow)] += xe * we;
              }
    }
  if (b.defined()) {
    auto bv = b.to_double_vector();
    for (int64_t n = 0; n < c.n; ++n)
      for (int64_t co = 0; co < Cout; ++co)
        for (int64_t k = 0; k < Ho * Wo; ++k) out[size_t((n * Cout + co) * Ho * Wo + k)] += bv[size_t(co)];
  }
  return out;
}

const TCfg kCfgs[] = {
    {2, 3, 2, 4, 5, 3, 3, 1, 0, 0, 1, 1, true},  {1, 4, 3, 3, 3, 3, 2, 2, 1, 1, 1, 2, true},
    {2, 2, 1, 5, 4, 2, 3, 3, 1, 2, 1, 1, false}, {1, 6, 1, 4, 4, 3, 3, 2, 2, 0, 2, 3, true},
    {3, 1, 2, 1, 1, 1, 1, 1, 0, 0, 1, 1, true},  {1, 2, 2, 3, 5, 2, 2, 1, 1, 1, 2, 1, false},
};

TEST(ConvTranspose2d, MatchesScatterReference) {
  for (const TCfg& c : kCfgs) {
    Tensor x = rand_tensor({c.n, c.cin, c.h, c.w}, DType::Float64, 3);
    Tensor w = rand_tensor({c.cin, c.cout_g, c.kh, c.kw}, DType::Float64, 4);
    Tensor b = c.bias ? rand_tensor({c.cout_g * c.groups}, DType::Float64, 5) : Tensor();
    Tensor y = conv_transpose2d(x, w, c.bias ? std::optional<Tensor>(b) : std::nullopt, {c.s}, {c.p}, {c.op},
                                c.groups, {c.d});
    const int64_t Ho = (c.h - 1) * c.s - 2 * c.p + c.d * (c.kh - 1) + c.op + 1;
    const int64_t Wo = (c.w - 1) * c.s - 2 * c.p + c.d * (c.kw - 1) + c.op + 1;
    ASSERT_EQ(y.sizes().vec(), (std::vector<int64_t>{c.n, c.cout_g * c.groups, Ho, Wo}));
    auto ref = reference_transpose(x, w, b, c, Ho, Wo);
    auto got = y.to_double_vector();
    for (size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(got[i], ref[i], 1e-12) << "element " << i;
  }
}

TEST(ConvTranspose2d, Int64AndUnbatchedAnd1d) {
  Tensor x = arange(2 * 3 * 3, DType::Int64).reshape({2, 3, 3});
  Tensor w = ones({2, 1, 2, 2}, DType::Int64);
  Tensor y = conv_transpose2d(x, w);  // unbatched (C, H, W)
  EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{1, 4, 4}));
  EXPECT_EQ(y.dtype(), DType::Int64);
  EXPECT_EQ(y.sum().item<int64_t>(), 4 * x.sum().item<int64_t>());
  Tensor x1 = rand_tensor({2, 3, 5}), w1 = rand_tensor({3, 2, 3}, DType::Float64, 9);
  Tensor y1 = conv_transpose1d(x1, w1, std::nullopt, {2}, {1}, {1});
  Tensor y2 = conv_transpose2d(x1.unsqueeze(2), w1.unsqueeze(2), std::nullopt, {1, 2}, {0, 1}, {0, 1}).squeeze(2);
  EXPECT_TRUE(allclose(y1, y2, 0, 0));
}

autograd::DiffFn transpose_fn(const TCfg& c) {
  return [c](const std::vector<Tensor>& in) -> std::vector<Tensor> {
    std::optional<Tensor> b = in.size() > 2 ? std::optional<Tensor>(in[2]) : std::nullopt;
    return {conv_transpose2d(in[0], in[1], b, {c.s}, {c.p}, {c.op}, c.groups, {c.d})};
  };
}

TEST(ConvTranspose2d, GradcheckFirstAndSecondOrder) {
  for (const TCfg& c : kCfgs) {
    Tensor x = rand_tensor({c.n, c.cin, c.h, c.w}, DType::Float64, 6).requires_grad_(true);
    Tensor w = rand_tensor({c.cin, c.cout_g, c.kh, c.kw}, DType::Float64, 7).requires_grad_(true);
    std::vector<Tensor> in{x, w};
    if (c.bias) in.push_back(rand_tensor({c.cout_g * c.groups}, DType::Float64, 8).requires_grad_(true));
    auto r = autograd::gradcheck(transpose_fn(c), in);
    EXPECT_TRUE(r.ok) << r.message;
    auto rg = autograd::gradgradcheck(transpose_fn(c), in);
    EXPECT_TRUE(rg.ok) << rg.message;
  }
  Tensor x = rand_tensor({1, 2, 3, 3}).requires_grad_(true), w = rand_tensor({2, 3, 2, 2}).requires_grad_(true);
  EXPECT_EQ(conv_transpose2d(x, w).grad_fn()->name(), "ConvolutionBackward0");
}

TEST(ConvTranspose2d, ArgumentErrors) {
  Tensor x = rand_tensor({2, 4, 5, 5}, DType::Float32), w = rand_tensor({4, 3, 3, 3}, DType::Float32);
  // output_padding must be below the stride or the dilation.
  EXPECT_THROW(conv_transpose2d(x, w, std::nullopt, {1}, {0}, {1}), Error);
  EXPECT_NO_THROW(conv_transpose2d(x, w, std::nullopt, {1}, {0}, {1}, 1, {2}));
  EXPECT_THROW(conv_transpose2d(x, w, std::nullopt, {1}, {0}, {0}, 3), Error);  // groups divide neither
  EXPECT_THROW(conv_transpose2d(x, rand_tensor({5, 3, 3, 3}, DType::Float32)), Error);  // channels
  EXPECT_THROW(conv_transpose2d(x, w, rand_tensor({4}, DType::Float32)), Error);         // bias size
  EXPECT_THROW(conv_transpose2d(x, w, std::nullopt, {0}), Error);
  EXPECT_THROW(conv_transpose2d(x, w, std::nullopt, {1}, {-1}), Error);
  EXPECT_THROW(conv_transpose2d(x, w, std::nullopt, {1}, {4}), Error);  // output smaller than 1
  EXPECT_THROW(conv_transpose2d(x, w.to(DType::Float64)), Error);
  EXPECT_THROW(conv_transpose2d(x.to(DType::Int32), w.to(DType::Int32)), Error);
  EXPECT_THROW(conv_transpose2d(x.select(0, 0).select(0, 0), w), Error);  // rank 2
  // Zero batch: the Empty backend (no output_padding check, as libtorch).
  EXPECT_EQ(conv_transpose2d(x.narrow(0, 0, 0), w, std::nullopt, {1}, {0}, {1}).sizes().vec(),
            (std::vector<int64_t>{0, 3, 8, 8}));
}

TEST(Pool1d, AgreesWithPool2dOnAHeightOneInput) {
  Tensor x = rand_tensor({2, 3, 11}).requires_grad_(true);
  auto [v, i] = max_pool1d_with_indices(x, {3}, {2}, {1}, {2}, true);
  auto [v2, i2] = max_pool2d_with_indices(x.unsqueeze(-2), {1, 3}, {1, 2}, {0, 1}, {1, 2}, true);
  EXPECT_TRUE(allclose(v, v2.squeeze(-2), 0, 0));
  EXPECT_TRUE(equal(i, i2.squeeze(-2)));
  EXPECT_EQ(v.grad_fn()->name(), "SqueezeBackward1");
  EXPECT_TRUE(allclose(max_pool1d(x.detach(), {3}, {2}, {1}, {2}, true), v.detach(), 0, 0));
  Tensor a = avg_pool1d(x, {4}, {}, {2}, false, false);
  EXPECT_TRUE(allclose(a, avg_pool2d(x.unsqueeze(-2), {1, 4}, {1, 4}, {0, 2}, false, false).squeeze(-2), 0, 0));
  EXPECT_TRUE(allclose(adaptive_avg_pool1d(x, {4}), adaptive_avg_pool2d(x.unsqueeze(-2), {1, 4}).squeeze(-2), 0, 0));
  auto fn = [](const std::vector<Tensor>& in) -> std::vector<Tensor> {
    return {max_pool1d(in[0], {3}, {2}, {1}), avg_pool1d(in[0], {3}, {2}, {1}), adaptive_avg_pool1d(in[0], {5})};
  };
  EXPECT_TRUE(autograd::gradcheck(fn, {x}).ok);
  EXPECT_TRUE(autograd::gradgradcheck(fn, {x}).ok);
}

TEST(Pool1d, TheTwoMaxPool1dPathsAsLibtorch) {
  Tensor x = rand_tensor({2, 3, 4});
  // Without autograd a window longer than the input gives an empty result;
  // the indices path (taken when x requires grad) raises.
  EXPECT_EQ(max_pool1d(x, {5}, {1}).sizes().vec(), (std::vector<int64_t>{2, 3, 0}));
  EXPECT_THROW(max_pool1d(x.detach().requires_grad_(true), {5}, {1}), Error);
  EXPECT_THROW(max_pool1d_with_indices(x, {5}, {1}), Error);
  EXPECT_THROW(max_pool1d(x, {3, 3}), Error);
  EXPECT_THROW(max_pool1d(x, {3}, {0}), Error);
  EXPECT_THROW(max_pool1d(x, {3}, {1}, {2}), Error);
  EXPECT_THROW(max_pool1d(x.unsqueeze(0), {3}), Error);
  EXPECT_THROW(avg_pool1d(x.select(0, 0).select(0, 0), {2}), Error);
  EXPECT_THROW(adaptive_avg_pool1d(x, {2, 2}), Error);
}

TEST(NnConvExtraModules, ShapesAndParameters) {
  nn::ConvTranspose2d ct(4, 6, 3, 2, 1, 1, 2);
  EXPECT_EQ(ct.weight().sizes().vec(), (std::vector<int64_t>{4, 3, 3, 3}));
  EXPECT_EQ(ct.forward(rand_tensor({1, 4, 5, 5}, DType::Float32)).sizes().vec(),
            (std::vector<int64_t>{1, 6, 10, 10}));
  EXPECT_THROW(nn::ConvTranspose2d(4, 6, 3, 1, 0, 0, 4), Error);  // out_channels not divisible
  nn::Conv1d c1(3, 5, 3, 1, 1);
  EXPECT_EQ(c1.weight().sizes().vec(), (std::vector<int64_t>{5, 3, 3}));
  EXPECT_EQ(c1.forward(rand_tensor({2, 3, 7}, DType::Float32)).sizes().vec(), (std::vector<int64_t>{2, 5, 7}));
  nn::MaxPool1d mp(2);
  EXPECT_EQ(mp.forward(rand_tensor({2, 3, 7})).sizes().vec(), (std::vector<int64_t>{2, 3, 3}));
  nn::AvgPool1d ap(3, 1, 1);
  EXPECT_EQ(ap.forward(rand_tensor({3, 7})).sizes().vec(), (std::vector<int64_t>{3, 7}));
}

TEST(NnConvExtraModules, ActivationsAreTheirOps) {
  Tensor x = rand_tensor({3, 4});
  EXPECT_TRUE(allclose(nn::GELU("tanh").forward(x), gelu(x, "tanh"), 0, 0));
  EXPECT_TRUE(allclose(nn::SiLU().forward(x), silu(x), 0, 0));
  EXPECT_TRUE(allclose(nn::LeakyReLU(0.2).forward(x), leaky_relu(x, 0.2), 0, 0));
  EXPECT_TRUE(allclose(nn::ELU(0.5).forward(x), elu(x, 0.5), 0, 0));
  EXPECT_TRUE(allclose(nn::Softmax(1).forward(x), softmax(x, 1), 0, 0));
  EXPECT_TRUE(allclose(nn::LogSoftmax(0).forward(x), log_softmax(x, 0), 0, 0));
}

TEST(NnContainers, ModuleListAndDictNames) {
  auto root = std::make_shared<nn::Module>("Net");
  auto layers = root->register_module(
      "layers", std::make_shared<nn::ModuleList>(std::initializer_list<nn::ModulePtr>{
                    std::make_shared<nn::Linear>(2, 3), std::make_shared<nn::ReLU>()}));
  layers->append(std::make_shared<nn::Linear>(3, 1, false));
  auto heads = root->register_module("heads", std::make_shared<nn::ModuleDict>());
  heads->insert("b", std::make_shared<nn::Linear>(1, 1));
  heads->insert("a", std::make_shared<nn::Linear>(1, 2));
  std::vector<std::string> names;
  for (auto& [n, p] : root->named_parameters()) names.push_back(n);
  EXPECT_EQ(names, (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.2.weight", "heads.b.weight",
                                             "heads.b.bias", "heads.a.weight", "heads.a.bias"}));
  // Replacing a key keeps its position (OrderedDict assignment).
  heads->insert("b", std::make_shared<nn::Linear>(1, 4, false));
  EXPECT_EQ(heads->keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ((*heads)["b"]->named_parameters().size(), 1u);
  EXPECT_EQ((*layers)[-1].get(), (*layers)[2].get());
  EXPECT_THROW((*layers)[3], Error);
  EXPECT_THROW((*heads)["c"], Error);
  EXPECT_THROW(layers->forward(rand_tensor({1, 2})), Error);  // no forward of its own
}

}  // namespace conv_extra_test
}  // namespace ft

namespace ft {
namespace conv_extra_test {

TEST(AdaptiveMaxPool, WindowsNaNAndGradients) {
  // 1 x 1 x 5 plane into 2 cells: windows [0, 3) and [2, 5).
  Tensor x = from_vector({1.0, 4.0, 4.0, 2.0, 3.0}, {1, 1, 5}, DType::Float64);
  auto [v, i] = adaptive_max_pool1d(x, {2});
  EXPECT_EQ(v.to_double_vector(), (std::vector<double>{4.0, 4.0}));
  EXPECT_EQ(i.to_double_vector(), (std::vector<double>{1.0, 2.0}));  // first of equal maxima
  Tensor xn = from_vector({NAN, NAN, 3.0, 3.0}, {1, 1, 4}, DType::Float64);
  auto [vn, in] = adaptive_max_pool1d(xn, {2});
  EXPECT_TRUE(std::isnan(vn.to_double_vector()[0]));
  EXPECT_EQ(in.to_double_vector(), (std::vector<double>{1.0, 2.0}));  // the last NaN, as libtorch
  Tensor x2 = rand_tensor({2, 3, 5, 7}).requires_grad_(true);
  auto fn = [](const std::vector<Tensor>& in) -> std::vector<Tensor> {
    return {std::get<0>(adaptive_max_pool2d(in[0], {2, 3}))};
  };
  EXPECT_TRUE(autograd::gradcheck(fn, {x2}).ok);
  EXPECT_TRUE(autograd::gradgradcheck(fn, {x2}).ok);
  EXPECT_EQ(std::get<0>(adaptive_max_pool2d(x2, {2, 3})).grad_fn()->name(), "AdaptiveMaxPool2DBackward0");
  EXPECT_THROW(adaptive_max_pool2d(x2, {2}), Error);
  EXPECT_THROW(adaptive_max_pool2d(x2.select(0, 0).select(0, 0), {2, 2}), Error);
  EXPECT_THROW(adaptive_max_pool2d(x2.detach().to(DType::Int64), {2, 2}), Error);
}

}  // namespace conv_extra_test
}  // namespace ft
