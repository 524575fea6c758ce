// Output-size arithmetic and shape checks shared by max_pool2d and
// avg_pool2d, as ATen 1.13's Pool.h (pooling_output_shape, pool2d_shape_check).
#include "nn_internal.h"

namespace ft::nn_detail {

namespace {
// Floor division (ATen's div_rtn).
int64_t div_floor(int64_t x, int64_t y) {
  int64_t q = x / y, r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) --q;
  return q;
}
}  // namespace

int64_t pooling_output_shape(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  FT_CHECK(stride != 0, "stride should not be zero");
  FT_CHECK(pad >= 0, "pad must be non-negative, but got pad: ", pad);
  FT_CHECK(pad <= k / 2, "pad should be at most half of kernel size, but got pad=", pad, " and kernel_size=", k);
  int64_t out = div_floor(in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  // In ceil mode the last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

void pool2d_shape_check(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo) {
  FT_CHECK(p.kw > 0 && p.kh > 0, "kernel size should be greater than zero, but got kH: ", p.kh, " kW: ", p.kw);
  FT_CHECK(p.sw > 0 && p.sh > 0, "stride should be greater than zero, but got dH: ", p.sh, " dW: ", p.sw);
  FT_CHECK(p.dh > 0 && p.dw > 0, "dilation should be greater than zero, but got dilationH: ", p.dh,
           " dilationW: ", p.dw);
  const int64_t nd = input.dim();
  const bool valid_dims = nd >= 3 && input.size(1) != 0 && input.size(2) != 0;
  FT_CHECK((nd == 3 && input.size(0) != 0 && valid_dims) || (nd == 4 && valid_dims && input.size(3) != 0),
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:",
           shape_str(input.sizes()));
  FT_CHECK(p.kw / 2 >= p.pw && p.kh / 2 >= p.ph, "pad should be smaller than or equal to half of kernel size, but got ",
           "padW = ", p.pw, ", padH = ", p.ph, ", kW = ", p.kw, ", kH = ", p.kh);
  const int64_t planes = input.size(-3), H = input.size(-2), W = input.size(-1);
  FT_CHECK(Wo >= 1 && Ho >= 1, "Given input size: (", planes, "x", H, "x", W, "). Calculated output size: (", planes,
           "x", Ho, "x", Wo, "). Output size is too small");
}

DimVector with_spatial(IntArrayRef sizes, int64_t h, int64_t w) {
  DimVector out(sizes);
  out[out.size() - 2] = h;
  out[out.size() - 1] = w;
  return out;
}

}  // namespace ft::nn_detail
