// bfloat16 layer_norm / group_norm / batch_norm against libtorch 1.13's
// results, bit for bit (NOTE [ bfloat16 normalization ] in
// ops/nn_norm_bf16.cpp), and batch_norm's mixed bfloat16/float32 types.
// The literals were printed by /usr/bin/python3 with torch 1.13.1 (Debian's
// python3-torch, one thread): torch.manual_seed(7); bf16 inputs drawn as
// (randn * scale + offset).bfloat16(); outputs of F.layer_norm(x, [18], w, b),
// F.group_norm(x, 2, w, b), F.batch_norm(x, None, None, w, b, True, 0.1)
// (with running stats: momentum 0.3; eval: training=False), gradients by
// y.backward(g); all with eps 1e-5. The image-size-1 and strided batch_norm
// literals (bn1_*, bns_*): torch.manual_seed(11), F.batch_norm(x) of a (4, 2)
// input and F.batch_norm(base[..., ::2], weight=w, eps=1e-3) of a (2, 3, 4)
// base, gradients by y.backward(g) (the strided one into base).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "ft/autograd.h"
#include "ft/ops.h"

namespace ft {
namespace {

// clang-format off
const std::vector<double> ln_x = {8.375, 10.8125, 13.875, 9.3125, 10.375, 11.5625, 12.0625, 8.5625, 8.3125, 7.5625, 6.375, 9.3125, 5.875, 11.375, 7.34375, 7.28125, 8.25, 8.875};
const std::vector<double> ln_w = {0.1748046875, 2.296875, -2.96875, -1.0625, -0.30859375, 0.93359375, -0.3828125, -1.1640625, 0.36328125, -0.31640625, 1.1484375, -0.3828125, -0.35546875, 0.75390625, 0.69140625, -0.14453125, 1.609375, 1.5703125};
const std::vector<double> ln_b = {-1.2421875, -1.71875, 1.75, 0.98046875, 0.41015625, 1.765625, -0.0830078125, 0.5078125, 1.1171875, 1.125, 0.5, 1.421875, 1.15625, -1.5390625, -0.55859375, -0.4375, 1.15625, 0.0888671875};
const std::vector<double> ln_g = {-0.408203125, 0.53125, -0.384765625, -0.267578125, 0.6796875, -0.39453125, 1.328125, 0.11083984375, 0.337890625, -0.3203125, -1.296875, -0.7890625, 1.7421875, 0.58984375, 0.275390625, -0.93359375, -0.15234375, -0.53125};
const std::vector<double> ln_y = {-1.3046875, 0.1689453125, -5.15625, 0.890625, 0.22265625, 2.875, -0.6328125, 0.83984375, 0.96875, 1.375, -1.0625, 1.390625, 1.7265625, -0.7109375, -1.171875, -0.3046875, 0.44921875, -0.1181640625};
const std::vector<double> ln_dx = {0.037841796875, 0.484375, 0.20703125, 0.1396484375, -0.185546875, -0.357421875, -0.46484375, -0.00518798828125, 0.138671875, 0.1865234375, -0.50390625, 0.1484375, -0.037353515625, 0.05810546875, 0.2470703125, 0.224609375, -0.0380859375, -0.376953125};
const std::vector<double> ln_dw = {0.150390625, 0.44140625, -0.8984375, -0.024658203125, 0.41796875, -0.47265625, 1.921875, -0.0306396484375, -0.134765625, 0.24609375, 1.7578125, -0.07275390625, -2.78125, 0.65234375, -0.2412109375, 0.84765625, 0.0654296875, 0.0654296875};
const std::vector<double> ln_db = {-0.408203125, 0.53125, -0.384765625, -0.267578125, 0.6796875, -0.39453125, 1.328125, 0.11083984375, 0.337890625, -0.3203125, -1.296875, -0.7890625, 1.7421875, 0.58984375, 0.275390625, -0.93359375, -0.15234375, -0.53125};
const std::vector<double> gn_x = {-6.09375, -5.0, -14.5625, -11.0, -8.1875, -4.1875, -12.625, -7.8125, -5.96875, -11.0625, -8.25, -7.5625, -9.0, -5.59375, -3.359375, -6.1875, -10.0, -10.125, -10.0625, -7.3125};
const std::vector<double> gn_w = {-1.203125, 1.265625, 0.359375, 0.6328125};
const std::vector<double> gn_b = {-0.62109375, 0.57421875, -0.07958984375, 0.96875};
const std::vector<double> gn_g = {-0.8671875, -1.2265625, -1.140625, 3.78125, 0.609375, -0.90625, -0.87890625, -0.859375, -0.67578125, -3.015625, 0.40234375, -1.0625, -1.1328125, -1.8359375, -0.52734375, 1.1484375, -0.28125, -0.69140625, 1.484375, -0.047607421875};
const std::vector<double> gn_y = {-1.546875, -1.953125, 1.515625, 0.234375, -0.796875, 2.28125, -0.96875, 0.890625, 1.59375, -0.375, -0.15625, -0.0390625, -0.2890625, 0.29296875, 0.67578125, 1.4375, 0.296875, 0.25, 0.265625, 1.09375};
const std::vector<double> gn_dx = {0.486328125, 0.5703125, 0.9609375, -0.984375, 0.0439453125, -0.259765625, 0.126953125, -0.078125, -0.08984375, -0.765625, 0.08349609375, -0.15625, -0.189453125, -0.2578125, 0.001953125, 0.392578125, -0.09765625, -0.224609375, 0.431640625, 0.015625};
const std::vector<double> gn_dw = {-2.578125, 1.359375, -2.484375, 0.296875};
const std::vector<double> gn_db = {1.15625, -6.3125, -4.15625, 1.609375};
const std::vector<double> bn_x = {7.21875, 2.734375, 3.25, 1.703125, 0.73046875, 6.46875, 6.65625, 4.53125, 6.5, 4.09375, 5.09375, 5.21875};
const std::vector<double> bn_w = {2.21875, 1.328125};
const std::vector<double> bn_b = {0.361328125, -0.45703125};
const std::vector<double> bn_g = {1.296875, 0.77734375, -0.482421875, 1.046875, 1.2578125, 0.044921875, -0.05419921875, 2.953125, -0.1484375, 1.3984375, 0.67578125, -0.85546875};
const std::vector<double> bn_y = {2.984375, -2.71875, -2.0625, -1.890625, -2.53125, 1.234375, 2.265625, -0.435546875, 2.078125, -0.32421875, 0.33203125, 0.4140625};
const std::vector<double> bn_dx = {0.7890625, -0.001983642578125, -1.59375, -0.06494140625, -0.0869140625, 0.0654296875, -0.94921875, 2.828125, -1.0703125, 0.5625, 0.251953125, -0.73046875};
const std::vector<double> bn_dw = {-0.23828125, -3.0625};
const std::vector<double> bn_db = {4.34375, 3.5625};
const std::vector<double> bnm_w = {0.3593740463256836, -0.8372729420661926};
const std::vector<double> bnm_b = {0.10755202919244766, -1.3150808811187744};
const std::vector<double> bnm_y = {0.53515625, -0.390625, -0.28515625, -0.4140625, -0.01263427734375, -2.375, 0.41796875, -0.019775390625, 0.38671875, -1.3984375, -1.8125, -1.8671875};
const std::vector<double> bnm_dx = {0.126953125, 0.000644683837890625, -0.2578125, 0.03857421875, 0.0517578125, -0.039794921875, -0.154296875, 0.45703125, -0.173828125, -0.353515625, -0.158203125, 0.4609375};
const std::vector<double> bnm_dw = {-0.21861930191516876, -3.041407346725464};
const std::vector<double> bnm_db = {4.34228515625, 3.568359375};
const std::vector<double> bnr_rm = {-1.5, -0.1845703125};
const std::vector<double> bnr_rv = {0.6015625, 0.94921875};
const std::vector<double> bnr_rm_new = {0.5078125, 1.046875};
const std::vector<double> bnr_rv_new = {1.5234375, 2.15625};
const std::vector<double> bne_y = {25.25, 12.5, 13.9375, 2.109375, 0.7890625, 8.625, 23.75, 17.625, 23.25, 5.375, 6.75, 6.90625};
const std::vector<double> bn1_x = {-9.9375, -9.875, -10.0625, -10.0625, -10.0, -10.0, -10.0, -10.0};
const std::vector<double> bn1_g = {0.451171875, -0.95703125, 1.5, -0.314453125, -0.234375, -1.0703125, 0.1650390625, 0.11572265625};
const std::vector<double> bn1_y = {1.4140625, 1.7890625, -1.4140625, -0.89453125, 0.0, 0.0, 0.0, 0.0};
const std::vector<double> bn1_dx = {11.4375, 3.421875, 11.4375, -1.1171875, -15.9375, -7.34375, -6.90625, 9.625};
const std::vector<double> bns_base = {5.5625, 7.03125, 1.8828125, 6.28125, 7.0, 4.78125, 4.40625, 6.3125, 6.1875, 6.78125, 8.625, 5.09375, 2.828125, 5.625, 6.8125, 7.59375, 4.5, 3.6875, 8.6875, 3.84375, 8.0, 5.5, 5.84375, 6.15625};
const std::vector<double> bns_w = {-0.328125, 1.3203125, -0.69140625};
const std::vector<double> bns_g = {-0.2412109375, -0.87109375, -0.03857421875, 0.458984375, -1.46875, 0.6953125, -0.3046875, 0.203125, 0.6875, 0.87109375, 0.54296875, 0.5546875};
const std::vector<double> bns_y = {-0.21484375, 0.390625, 0.640625, -1.2578125, 0.58984375, -0.84765625, 0.2333984375, -0.419921875, -1.1875, 1.875, -0.478515625, 0.7890625};
const std::vector<double> bns_dbase = {0.0262451171875, 0.0, 0.02783203125, 0.0, -0.408203125, 0.0, 0.00142669677734375, 0.0, 0.6796875, 0.0, -0.0322265625, 0.0, -0.0390625, 0.0, -0.01220703125, 0.0, 0.16796875, 0.0, 0.232421875, 0.0, -0.0859375, 0.0, -0.58984375, 0.0};
const std::vector<double> bns_dw = {1.3515625, 0.1630859375, 1.84375};
// clang-format on

Tensor bf16_tensor(const std::vector<double>& v, IntArrayRef shape, bool grad = false) {
  Tensor t = from_vector(v, shape, DType::BFloat16);
  return grad ? t.requires_grad_(true) : t;
}

TEST(NnNormBf16, LayerNormMatchesLibtorchForwardAndBackward) {
  Tensor x = bf16_tensor(ln_x, {1, 18}, true), w = bf16_tensor(ln_w, {18}, true), b = bf16_tensor(ln_b, {18}, true);
  Tensor y = layer_norm(x, {18}, w, b, 1e-5);
  EXPECT_EQ(y.dtype(), DType::BFloat16);
  EXPECT_EQ(y.to_double_vector(), ln_y);
  y.backward(bf16_tensor(ln_g, {1, 18}));
  EXPECT_EQ(x.grad().to_double_vector(), ln_dx);
  EXPECT_EQ(w.grad().to_double_vector(), ln_dw);
  EXPECT_EQ(b.grad().to_double_vector(), ln_db);
}

TEST(NnNormBf16, GroupNormMatchesLibtorchForwardAndBackward) {
  Tensor x = bf16_tensor(gn_x, {1, 4, 5}, true), w = bf16_tensor(gn_w, {4}, true), b = bf16_tensor(gn_b, {4}, true);
  Tensor y = group_norm(x, 2, w, b, 1e-5);
  EXPECT_EQ(y.to_double_vector(), gn_y);
  y.backward(bf16_tensor(gn_g, {1, 4, 5}));
  EXPECT_EQ(x.grad().to_double_vector(), gn_dx);
  EXPECT_EQ(w.grad().to_double_vector(), gn_dw);
  EXPECT_EQ(b.grad().to_double_vector(), gn_db);
}

TEST(NnNormBf16, BatchNormMatchesLibtorchForwardAndBackward) {
  Tensor x = bf16_tensor(bn_x, {2, 2, 3}, true), w = bf16_tensor(bn_w, {2}, true), b = bf16_tensor(bn_b, {2}, true);
  Tensor y = batch_norm(x, w, b, std::nullopt, std::nullopt, true, 0.1, 1e-5, false);
  EXPECT_EQ(y.to_double_vector(), bn_y);
  y.backward(bf16_tensor(bn_g, {2, 2, 3}));
  EXPECT_EQ(x.grad().to_double_vector(), bn_dx);
  EXPECT_EQ(w.grad().dtype(), DType::BFloat16);
  EXPECT_EQ(w.grad().to_double_vector(), bn_dw);
  EXPECT_EQ(b.grad().to_double_vector(), bn_db);
}

TEST(NnNormBf16, BatchNormRunningStatisticsAndEvalMatchLibtorch) {
  Tensor x = bf16_tensor(bn_x, {2, 2, 3}), w = bf16_tensor(bn_w, {2}), b = bf16_tensor(bn_b, {2});
  Tensor rm = bf16_tensor(bnr_rm, {2}), rv = bf16_tensor(bnr_rv, {2});
  (void)batch_norm(x, w, b, rm, rv, true, 0.3, 1e-5, false);
  EXPECT_EQ(rm.to_double_vector(), bnr_rm_new);
  EXPECT_EQ(rv.to_double_vector(), bnr_rv_new);
  Tensor y = batch_norm(x, w, b, bf16_tensor(bnr_rm, {2}), bf16_tensor(bnr_rv, {2}), false, 0.3, 1e-5, false);
  EXPECT_EQ(y.to_double_vector(), bne_y);
}

TEST(NnNormBf16, BatchNormAcceptsFloatParametersForABfloat16Input) {
  Tensor x = bf16_tensor(bn_x, {2, 2, 3}, true);
  Tensor w = from_vector(bnm_w, {2}, DType::Float32).requires_grad_(true);
  Tensor b = from_vector(bnm_b, {2}, DType::Float32).requires_grad_(true);
  Tensor y = batch_norm(x, w, b, std::nullopt, std::nullopt, true, 0.1, 1e-5, false);
  EXPECT_EQ(y.dtype(), DType::BFloat16);
  EXPECT_EQ(y.to_double_vector(), bnm_y);
  y.backward(bf16_tensor(bn_g, {2, 2, 3}));
  EXPECT_EQ(x.grad().to_double_vector(), bnm_dx);
  ASSERT_EQ(w.grad().dtype(), DType::Float32);
  // float sums: libtorch's lane order may differ in the last float bit
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_NEAR(w.grad().to_double_vector()[c], bnm_dw[c], 1e-6);
    EXPECT_NEAR(b.grad().to_double_vector()[c], bnm_db[c], 1e-6);
  }
}

TEST(NnNormBf16, BatchNormOfImageSizeOneCentresOnTheRoundedMean) {
  // ATen reduces an (N, C) input with its channels-last kernel.
  Tensor x = bf16_tensor(bn1_x, {4, 2}, true);
  Tensor y = batch_norm(x, std::nullopt, std::nullopt, std::nullopt, std::nullopt, true, 0.1, 1e-5, false);
  EXPECT_EQ(y.to_double_vector(), bn1_y);
  y.backward(bf16_tensor(bn1_g, {4, 2}));
  EXPECT_EQ(x.grad().to_double_vector(), bn1_dx);
}

TEST(NnNormBf16, BatchNormOfAStridedInputTakesAtensGenericPath) {
  Tensor base = bf16_tensor(bns_base, {2, 3, 4}, true), w = bf16_tensor(bns_w, {3}, true);
  Tensor y = batch_norm(base.slice(2, 0, 4, 2), w, std::nullopt, std::nullopt, std::nullopt, true, 0.1, 1e-3, false);
  EXPECT_EQ(y.to_double_vector(), bns_y);
  y.backward(bf16_tensor(bns_g, {2, 3, 2}));
  EXPECT_EQ(base.grad().to_double_vector(), bns_dbase);
  EXPECT_EQ(w.grad().to_double_vector(), bns_dw);
}

std::string bf16_norm_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(NnNormBf16, BatchNormMixedTypeErrorsAreLibtorchs) {
  auto bn = [](DType xt, DType wt, DType bt) {
    return bf16_norm_error([&] {
      (void)batch_norm(ones({2, 3}, xt), ones({3}, wt), ones({3}, bt), std::nullopt, std::nullopt, true, 0.1, 1e-5,
                       false);
    });
  };
  const std::string param = "mixed dtype (CPU): expect parameter to have scalar type of Float";
  EXPECT_NE(bn(DType::BFloat16, DType::Float64, DType::Float64).find(param), std::string::npos);
  EXPECT_NE(bn(DType::BFloat16, DType::Float32, DType::BFloat16).find(param), std::string::npos);
  EXPECT_NE(bn(DType::Float32, DType::BFloat16, DType::BFloat16).find(param), std::string::npos);
  EXPECT_NE(bn(DType::Float64, DType::Float32, DType::Float32).find("expect input to have scalar type of BFloat16"),
            std::string::npos);
  // the first parameter matches the input: not mixed, the plain dtype error
  EXPECT_NE(bn(DType::BFloat16, DType::BFloat16, DType::Float32).find("expected scalar type BFloat16 but found Float"),
            std::string::npos);
  EXPECT_EQ(bn(DType::BFloat16, DType::Float32, DType::Float32), "");
}

}  // namespace
}  // namespace ft
