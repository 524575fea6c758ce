// ConvTranspose1d/2d forward(input, output_size): the output_padding chosen
// from the requested size (torch.nn's _ConvTransposeNd._output_padding) and
// PyTorch's ValueErrors for a size it cannot reach or a list of the wrong
// length (messages from torch 1.13).
#include "ft/nn/conv_transpose.h"
#include "ft/random.h"
#include "test_util.h"

namespace {

using ft::ErrorKind;
using ft::Tensor;

TEST(NnConvTransposeOutputSize, MatchesTorch1d) {
  // torch.manual_seed(0); m = ConvTranspose1d(2, 3, 2, stride=2);
  // m(torch.randn(2, 5), output_size=[11]), an unbatched input.
  ft::manual_seed(0);
  ft::nn::ConvTranspose1d m(2, 3, 2, 2);
  Tensor x = ft::randn({2, 5});
  const std::vector<double> want = {
      -0x1.90e67ap-2, -0x1.16c7dcp-2, -0x1.8bee3cp-2, -0x1.c91efcp-2, -0x1.a6faeep-2, 0x1.0e4cd2p-1,  -0x1.8d72fep-2,
      -0x1.858c1p-2,  -0x1.93fd4ep-2, -0x1.bc87p-4,   -0x1.8f614p-2,  -0x1.e2e012p-2, -0x1.d378ap-2,  -0x1.088a6ep-1,
      -0x1.2f2ac4p-1, -0x1.6fb128p-2, 0x1.b0a4cp-5,   -0x1.1747f2p-1, -0x1.310856p-1, -0x1.41bcaap-1, -0x1.22cd6p-1,
      -0x1.14dd54p-2, -0x1.07e252p-2, -0x1.940d64p-4, -0x1.a727e2p-3, -0x1.6037bp-6,  -0x1.0799a4p-1, -0x1.9ceb46p-2,
      -0x1.e50c64p-3, -0x1.b3e2cp-6,  -0x1.695f36p-2, -0x1.1005ecp-4, -0x1.58a81ap-3};
  Tensor y = m.forward(x, {11});
  EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{3, 11}));
  EXPECT_EQ(y.to_double_vector(), want);
  EXPECT_EQ(m.forward(x, {3, 11}).to_double_vector(), want);  // with the channel dim in front
  EXPECT_EQ(m.forward(x, {10}).sizes().vec(), (std::vector<int64_t>{3, 10}));
  FT_EXPECT_ERROR(m.forward(x, {12}), ErrorKind::Value,
                  "requested an output size of [12], but valid sizes range from [10] to [11] (for an input of "
                  "torch.Size([]))");
  FT_EXPECT_ERROR(m.forward(x, {1, 3, 11}), ErrorKind::Value,
                  "ConvTranspose1D: for 2D input, output_size must have 1 or 2 elements (got 3)");
}

TEST(NnConvTransposeOutputSize, PicksTheOutputPadding2d) {
  // torch: ConvTranspose2d(2, 3, 3, stride=3, padding=1, dilation=2) on a
  // (1, 2, 4, 5) input reaches 12..14 x 15..17; the module's own
  // output_padding is ignored when output_size is given.
  ft::nn::ConvTransposeOptions o;
  o.in_channels = 2;
  o.out_channels = 3;
  o.kernel_size = {3};
  o.stride = {3};
  o.padding = {1};
  o.output_padding = {2};
  o.dilation = {2};
  ft::nn::ConvTranspose2d m(o);
  Tensor x = ft::randn({1, 2, 4, 5});
  Tensor y = m.forward(x, {1, 3, 13, 16});
  EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{1, 3, 13, 16}));
  Tensor want = ft::conv_transpose2d(x, m.weight(), m.bias(), {3}, {1}, {1, 1}, 1, {2});
  EXPECT_EQ(y.to_double_vector(), want.to_double_vector());
  EXPECT_EQ(m.forward(x, {12, 17}).sizes().vec(), (std::vector<int64_t>{1, 3, 12, 17}));
  EXPECT_EQ(m.forward(x).sizes().vec(), (std::vector<int64_t>{1, 3, 14, 17}));  // output_padding 2
  FT_EXPECT_ERROR(m.forward(x, {12, 14}), ErrorKind::Value,
                  "requested an output size of [12, 14], but valid sizes range from [12, 15] to [14, 17] (for an "
                  "input of torch.Size([4, 5]))");
  FT_EXPECT_ERROR(m.forward(x, {5}), ErrorKind::Value,
                  "ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements (got 1)");
  // Gradients flow as through the op.
  Tensor xr = x.detach().requires_grad_();
  m.forward(xr, {13, 15}).sum().backward();
  EXPECT_EQ(xr.grad().sizes().vec(), x.sizes().vec());
}

}  // namespace
