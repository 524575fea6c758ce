// Creation ops in the small dtypes and c10's checked Scalar conversions:
// Half/BFloat16 ranges rounded as libtorch 1.13's kernels round them (values
// taken from torch 1.13 on this machine), the dtypes eye and unique_dim
// refuse, and "value cannot be converted to type ... without overflow" where
// libtorch raises it. (Unity build: names here are unique to this file.)
#include "ft/indexing.h"
#include "test_util.h"

namespace ft::test {
namespace {

using Vals = std::vector<double>;
constexpr auto kNone = std::nullopt;

}  // namespace

TEST(SmallDtypeCreation, HalfAndBFloat16ArangeAccumulateInFloat) {
  // 23 elements: one pair of 16-element vectors would need 32, so all one by one (one fma in float).
  EXPECT_EQ(values(arange(Scalar(0.1), Scalar(6.7), Scalar(0.3), DType::Float16, {}, {}, {})),
            (Vals{0.0999755859375, 0.39990234375, 0.7001953125, 1.0, 1.2998046875, 1.599609375, 1.900390625,
                  2.19921875, 2.5, 2.80078125, 3.099609375, 3.400390625, 3.69921875, 4.0, 4.30078125, 4.6015625,
                  4.8984375, 5.19921875, 5.5, 5.80078125, 6.1015625, 6.3984375, 6.69921875}));
  EXPECT_EQ(values(arange(Scalar(-3.3), Scalar(40.1), Scalar(1.7), DType::BFloat16, {}, {}, {})),
            (Vals{-3.296875, -1.6015625, 0.10009765625, 1.796875, 3.5, 5.1875, 6.90625, 8.625, 10.3125,
                  12.0, 13.6875, 15.375, 17.125, 18.75, 20.5, 22.25, 23.875, 25.625, 27.25, 29.0, 30.75,
                  32.5, 34.0, 35.75, 37.5, 39.25}));
  // 32 elements (one vector pair): element 31 is base(16) + 15 * step with an unfused
  // product and sum, 0 here where one fma would leave 1.79e-7.
  Tensor v = arange(Scalar(-9.29), Scalar(22.49), Scalar(0.3), DType::BFloat16, {}, {}, {});
  ASSERT_EQ(v.numel(), 106);
  EXPECT_EQ(values(v)[31], 0.0);
}

TEST(SmallDtypeCreation, HalfAndBFloat16LinspaceRoundEveryStep) {
  EXPECT_EQ(values(linspace(Scalar(-3.7), Scalar(11.3), 37, DType::Float16, {}, {}, {})),
            (Vals{-3.69921875, -3.283203125, -2.865234375, -2.44921875, -2.03125, -1.615234375, -1.19921875,
                  -0.78125, -0.365234375, 0.05078125, 0.46875, 0.88671875, 1.30078125, 1.71875, 2.13671875,
                  2.55078125, 2.96875, 3.384765625, 3.802734375, 4.21875, 4.63671875, 5.0546875, 5.46875,
                  5.88671875, 6.3046875, 6.71875, 7.13671875, 7.5546875, 7.96875, 8.390625, 8.8046875, 9.21875,
                  9.6328125, 10.046875, 10.4609375, 10.8828125, 11.296875}));
  EXPECT_EQ(values(linspace(Scalar(-1000), Scalar(999.5), 35, DType::BFloat16, {}, {}, {})),
            (Vals{-1000.0, -940.0, -884.0, -824.0, -764.0, -704.0, -648.0, -588.0, -528.0, -472.0, -412.0, -352.0,
                  -296.0, -236.0, -176.0, -120.0, -60.0, -1.25, 57.5, 116.0, 175.0, 234.0, 292.0, 352.0, 410.0,
                  468.0, 528.0, 588.0, 644.0, 704.0, 764.0, 820.0, 884.0, 940.0, 1000.0}));
}

TEST(SmallDtypeCreation, LogspaceHasABFloat16KernelButNoHalfOne) {
  EXPECT_EQ(values(logspace(Scalar(-2.5), Scalar(2.75), 9, 2.5, DType::BFloat16, {}, {}, {})),
            (Vals{0.10107421875, 0.1845703125, 0.3359375, 0.61328125, 1.125, 2.046875, 3.734375, 6.8125, 12.4375}));
  FT_EXPECT_ERROR(logspace(0, 3, 4, 10.0, DType::Float16, {}, {}, {}), ErrorKind::NotImplemented,
                  "\"logspace_cpu\" not implemented for 'Half'");
  // one step is a fill, which any dtype takes
  EXPECT_EQ(values(logspace(0, 3, 1, 10.0, DType::Float16, {}, {}, {})), (Vals{1.0}));
  FT_EXPECT_ERROR(arange(3, DType::Bool, {}, {}, {}), ErrorKind::NotImplemented,
                  "\"arange_cpu\" not implemented for 'Bool'");
}

TEST(SmallDtypeCreation, EyeRefusesBFloat16OnlyAndUniqueDimRefusesHalf) {
  EXPECT_EQ(values(eye(2, DType::Float16, {}, {}, {})), (Vals{1, 0, 0, 1}));
  FT_EXPECT_ERROR(eye(2, DType::BFloat16, {}, {}, {}), ErrorKind::NotImplemented,
                  "\"eye\" not implemented for 'BFloat16'");
  Tensor out = empty({0}, DType::BFloat16);
  FT_EXPECT_ERROR(eye_out(out, 0), ErrorKind::NotImplemented, "\"eye\" not implemented for 'BFloat16'");
  // n is checked first
  FT_EXPECT_ERROR(eye(-1, DType::BFloat16, {}, {}, {}), ErrorKind::Runtime, "n must be greater or equal to 0");

  Tensor rows = make({1, 0, 1, 0, 0, 1}, {3, 2}, DType::BFloat16);
  EXPECT_EQ(values(std::get<0>(unique_dim(rows, 0))), (Vals{0, 1, 1, 0}));
  EXPECT_EQ(values(std::get<0>(unique_consecutive(rows, false, false, 0))), (Vals{1, 0, 0, 1}));
  // Half raises before any check, even for an empty input
  FT_EXPECT_ERROR(unique_dim(rows.to(DType::Float16), 0), ErrorKind::NotImplemented,
                  "\"unique_dim\" not implemented for 'Half'");
  FT_EXPECT_ERROR(unique_dim(empty({0, 2}, DType::Float16), 0), ErrorKind::NotImplemented,
                  "\"unique_dim\" not implemented for 'Half'");
  FT_EXPECT_ERROR(unique_consecutive(empty({0, 2}, DType::Float16), false, false, 0), ErrorKind::NotImplemented,
                  "\"unique_dim\" not implemented for 'Half'");
}

TEST(SmallDtypeCreation, FillValuesAreCheckedAgainstTheDtype) {
  const char* u8 = "value cannot be converted to type uint8_t without overflow";
  // negative integers wrap into uint8 down to -255; floats must be in [0, 255]
  EXPECT_EQ(values(full({1}, -1, DType::UInt8, {}, {}, {})), (Vals{255}));
  EXPECT_EQ(values(full({1}, -255, DType::UInt8, {}, {}, {})), (Vals{1}));
  FT_EXPECT_ERROR(full({1}, -256, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(full({2}, 300, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(full({2}, -0.5, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  EXPECT_EQ(values(full({1}, -0.5, DType::Int8, {}, {}, {})), (Vals{0}));
  FT_EXPECT_ERROR(full({1}, 255, DType::Int8, {}, {}, {}), ErrorKind::Runtime,
                  "value cannot be converted to type int8_t without overflow");
  FT_EXPECT_ERROR(full({1}, std::nan(""), DType::Int16, {}, {}, {}), ErrorKind::Runtime, "int16_t");
  // an empty tensor is checked too; bool takes anything
  FT_EXPECT_ERROR(full({0}, 300, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  EXPECT_EQ(values(full({1}, 300, DType::Bool, {}, {}, {})), (Vals{1}));
  // Half's range is +-65504 (inf and NaN fit); BFloat16's is float's
  FT_EXPECT_ERROR(full({1}, 70000, DType::Float16, {}, {}, {}), ErrorKind::Runtime, "type at::Half");
  EXPECT_EQ(values(full({1}, 70000.0, DType::BFloat16, {}, {}, {})), (Vals{70144.0}));
  FT_EXPECT_ERROR(full({1}, 1e39, DType::BFloat16, {}, {}, {}), ErrorKind::Runtime, "type at::BFloat16");
  Tensor x = zeros({3}, DType::UInt8);
  FT_EXPECT_ERROR(full_like(x, 256, kNone, {}, {}, {}, {}), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(full_out(x, {3}, 256), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(x.fill_(-0.5), ErrorKind::Runtime, u8);
}

TEST(SmallDtypeCreation, RangeBoundsAreCheckedAgainstTheDtype) {
  const char* u8 = "value cannot be converted to type uint8_t without overflow";
  // a negative int wraps (251, 128, 5), a negative float overflows
  EXPECT_EQ(values(linspace(Scalar(-5), Scalar(5), 3, DType::UInt8, {}, {}, {})), (Vals{251, 128, 5}));
  FT_EXPECT_ERROR(linspace(Scalar(-5.0), Scalar(5), 3, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(linspace(Scalar(0), Scalar(200), 3, DType::Int8, {}, {}, {}), ErrorKind::Runtime, "int8_t");
  Tensor o = empty({0}, DType::UInt8);
  FT_EXPECT_ERROR(linspace_out(o, Scalar(0.5), Scalar(300), 4), ErrorKind::Runtime, u8);
  // one step fills start; zero steps convert nothing
  FT_EXPECT_ERROR(linspace(Scalar(-0.5), Scalar(0), 1, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  EXPECT_EQ(linspace(Scalar(-0.5), Scalar(300), 0, DType::UInt8, {}, {}, {}).numel(), 0);
  FT_EXPECT_ERROR(logspace(Scalar(-1.0), Scalar(2), 4, 10.0, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  // logspace with one step fills base ** start: 1000 does not fit uint8
  FT_EXPECT_ERROR(logspace(Scalar(3), Scalar(3), 1, 10.0, DType::UInt8, {}, {}, {}), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(linspace(Scalar(0), Scalar(70000), 3, DType::Float16, {}, {}, {}), ErrorKind::Runtime,
                  "type at::Half");
  // arange converts to its accumulate type: float for Half (1e39 overflows float), int64 for integers
  FT_EXPECT_ERROR(arange(Scalar(0), Scalar(1e39), Scalar(1e38), DType::Float16, {}, {}, {}), ErrorKind::Runtime,
                  "type float");
  EXPECT_EQ(values(arange(Scalar(250), Scalar(260), Scalar(4), DType::UInt8, {}, {}, {})), (Vals{250, 254, 2}));
}

TEST(SmallDtypeCreation, IndexAddAlphaAndIndexPutValuesAreChecked) {
  const char* u8 = "value cannot be converted to type uint8_t without overflow";
  Tensor x = zeros({3}, DType::UInt8);
  Tensor src = ones({2}, DType::UInt8);
  Tensor idx = vec({0, 2}, DType::Int64);
  FT_EXPECT_ERROR(index_add(x, 0, idx, src, 300), ErrorKind::Runtime, u8);
  // 1-D: alpha is converted whatever the index
  FT_EXPECT_ERROR(index_add(x, 0, empty({0}, DType::Int64), empty({0}, DType::UInt8), -0.5), ErrorKind::Runtime, u8);
  EXPECT_EQ(values(index_add(x, 0, idx, src, -1)), (Vals{255, 0, 255}));
  // beyond 1-D only when there is an index (an empty self included)
  Tensor x2 = zeros({2, 3}, DType::UInt8);
  EXPECT_EQ(index_add(x2, 0, empty({0}, DType::Int64), empty({0, 3}, DType::UInt8), 300).numel(), 6);
  FT_EXPECT_ERROR(index_add(x2, 0, vec({1}, DType::Int64), ones({1, 3}, DType::UInt8), 300), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(index_add(zeros({2, 0}, DType::UInt8), 0, vec({1}, DType::Int64), ones({1, 0}, DType::UInt8), 300),
                  ErrorKind::Runtime, u8);

  Tensor y = zeros({3}, DType::UInt8);
  FT_EXPECT_ERROR(y.index_put_({indexing::TensorIndex(idx)}, Scalar(256)), ErrorKind::Runtime, u8);
  y.index_put_({indexing::TensorIndex(idx)}, Scalar(-1));
  EXPECT_EQ(values(y), (Vals{255, 0, 255}));
}

// Ops with a Scalar argument on an integer tensor: which ones convert it to
// the dtype (checked) in libtorch 1.13, and which take it as a wrapped number.
TEST(SmallDtypeCreation, ScalarArgumentsAreCheckedLikeLibtorch) {
  const char* u8 = "value cannot be converted to type uint8_t without overflow";
  Tensor x = zeros({3}, DType::UInt8);
  Tensor m = vec({1, 0, 1}, DType::Bool);
  Tensor i = vec({0, 1}, DType::Int64);
  FT_EXPECT_ERROR(x.masked_fill(m, 300), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(index_fill(x, 0, i, -0.5), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(scatter(x, 0, i, 256), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(add(x, x, 300), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(sub(x, x, 40000), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(addcmul(x, x, x, 300), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(addmm(x.view({1, 3}).narrow(1, 0, 1), x.view({1, 3}), x.view({3, 1}), 300, 1), ErrorKind::Runtime,
                  u8);
  Tensor sq = zeros({2, 2}, DType::UInt8), v2 = ones({2}, DType::UInt8), b3 = zeros({1, 2, 2}, DType::UInt8);
  FT_EXPECT_ERROR(addr(sq, v2, v2, 1, 300), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(addr(sq, v2, v2, 1, -0.5), ErrorKind::Runtime, "");  // libtorch: alpha must not be a float
  FT_EXPECT_ERROR(addmv(v2, sq, v2, 1, -0.5), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(baddbmm(b3, b3, b3, -0.5, 1), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(addbmm(sq, b3, b3, 1, 300), ErrorKind::Runtime, u8);
  // clamp converts its bounds to the result dtype; -1 wraps into uint8 (255)
  FT_EXPECT_ERROR(clamp(x, Scalar(300), std::nullopt), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(clamp(empty({0}, DType::UInt8), std::nullopt, Scalar(300)), ErrorKind::Runtime, u8);
  EXPECT_EQ(values(clamp(x, Scalar(-1), std::nullopt)), (Vals{255, 255, 255}));
  FT_EXPECT_ERROR(clamp(ones({2}, DType::Int8), Scalar(-200), std::nullopt), ErrorKind::Runtime, "int8_t");
  FT_EXPECT_ERROR(clamp(ones({2}), Scalar(1e39), std::nullopt), ErrorKind::Runtime, "type float");
  // hardtanh truncates integer bounds through a checked toLong (NaN raises), then clamps
  FT_EXPECT_ERROR(hardtanh(x, Scalar(std::nan("")), Scalar(1)), ErrorKind::Runtime, "type int64_t");
  FT_EXPECT_ERROR(hardtanh(x, Scalar(-0.5), Scalar(400)), ErrorKind::Runtime, u8);
  // pow: an integer or 16-bit base converts the exponent; a float exponent promotes
  FT_EXPECT_ERROR(pow(empty({0}, DType::UInt8), Scalar(300)), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(pow(ones({2}, DType::Float16), Scalar(70000.0)), ErrorKind::Runtime, "type at::Half");
  EXPECT_EQ(pow(ones({2}, DType::UInt8), Scalar(-0.5)).dtype(), DType::Float32);
  EXPECT_EQ(values(pow(ones({2}), Scalar(1e39))), (Vals{1, 1}));
  // where converts the scalar to the result dtype: a float promotes, an int must fit
  FT_EXPECT_ERROR(where(m, x, Scalar(300)), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(where(m, Scalar(300), x), ErrorKind::Runtime, u8);
  EXPECT_EQ(where(m, x, Scalar(-0.5)).dtype(), DType::Float32);
  // lerp's weight is converted to float (BFloat16 computes in float)
  FT_EXPECT_ERROR(lerp(ones({0}), ones({0}), Scalar(1e39)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(lerp(ones({2}, DType::BFloat16), ones({2}, DType::BFloat16), Scalar(1e39)), ErrorKind::Runtime,
                  "type float");
  // activation parameters are converted to float (opmath) for float and bfloat16 inputs
  FT_EXPECT_ERROR(leaky_relu(ones({2}), Scalar(1e39)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(leaky_relu(ones({2}, DType::BFloat16), Scalar(1e39)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(softplus(ones({2}), Scalar(1e39), Scalar(20)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(softplus(ones({2}), Scalar(1), Scalar(1e39)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(elu(ones({2}), Scalar(1e39)), ErrorKind::Runtime, "type float");
  FT_EXPECT_ERROR(hardtanh(ones({2}), Scalar(-1e39), Scalar(1)), ErrorKind::Runtime, "type float");
  // (libtorch names at::BFloat16 here; the engine clamps bfloat16 in float and names float)
  FT_EXPECT_ERROR(clamp(ones({2}, DType::BFloat16), Scalar(1e39), std::nullopt), ErrorKind::Runtime,
                  "without overflow");
  FT_EXPECT_ERROR(add(x, Scalar(1), Scalar(300)), ErrorKind::Runtime, u8);
  FT_EXPECT_ERROR(sub(ones({2}), ones({2}), Scalar(1e39)), ErrorKind::Runtime, "type float");
  // wrapped numbers are not converted: add/mul by a Scalar wrap around
  EXPECT_EQ(values(add(x, Scalar(300))), (Vals{44, 44, 44}));
  EXPECT_EQ(values(mul(ones({1}, DType::UInt8), Scalar(300))), (Vals{44}));
}

}  // namespace ft::test
