// 1-D poolings (ATen 1.13's Pooling.cpp / MaxPooling.cpp): argument checks,
// then the 2-D op on input.unsqueeze(-2) and squeeze(-2) of its results, so
// kernels, gradients and grad_fn (SqueezeBackward1) are the 2-D ones.
#include "ft/autograd.h"
#include "nn_internal.h"

namespace ft {
namespace {

// checkDimRange(fname, self, 2, 4): a (C, L) or (N, C, L) input.
void check_dim_2_or_3(const Tensor& self, const char* fname) {
  FT_CHECK(self.dim() == 2 || self.dim() == 3, "Expected 2 to 3 dimensions, but got ", self.dim(),
           "-dimensional tensor for argument #1 'self' (while checking arguments for ", fname, ")");
}

// check1d: a list argument of the 1-D ops holds exactly one value.
void check1d(const char* fname, const char* arg, IntArrayRef v) {
  FT_CHECK(v.size() == 1, fname, "() argument '", arg, "' should contain one int (got ", v.size(), ")");
}

// max_pool1d's own input check (both of its paths).
void check_max_pool1d_input(const Tensor& self) {
  FT_CHECK((self.dim() == 2 || self.dim() == 3) && self.size(-1) != 0 && self.size(-2) != 0,
           "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:",
           shape_str(self.sizes()));
}

// ATen's max_pool1d_impl (used when no gradient is recorded): its own list
// and value checks, and an empty output where the window does not fit
// (max_pool2d raises there).
Tensor max_pool1d_impl(const Tensor& self, IntArrayRef kernel, IntArrayRef stride, IntArrayRef padding,
                       IntArrayRef dilation, bool ceil_mode) {
  check_max_pool1d_input(self);
  FT_CHECK(kernel.size() == 1,
           "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ",
           kernel.size());
  FT_CHECK(stride.size() <= 1,
           "max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ",
           stride.size());
  FT_CHECK(padding.size() == 1,
           "max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ",
           padding.size());
  FT_CHECK(dilation.size() == 1,
           "max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ",
           dilation.size());
  nn_detail::PoolParams2d p;
  p.kw = kernel[0];
  p.sw = stride.empty() ? p.kw : stride[0];
  p.pw = padding[0];
  p.dw = dilation[0];
  p.ceil_mode = ceil_mode;
  FT_CHECK(p.kw > 0, "max_pool1d() kernel_size must be greater than zero, but got ", p.kw);
  FT_CHECK(p.sw > 0, "max_pool1d() stride must be greater than zero, but got ", p.sw);
  FT_CHECK(p.pw >= 0, "max_pool1d() padding must be non-negative, but got ", p.pw);
  FT_CHECK(p.pw <= p.kw / 2, "max_pool1d() padding should be at most half of kernel size, but got padding=", p.pw,
           " and kernel_size=", p.kw);
  FT_CHECK(p.dw > 0, "max_pool1d() dilation must be greater than zero, but got ", p.dw);
  const int64_t ow = nn_detail::pooling_output_shape(self.size(-1), p.kw, p.pw, p.sw, p.dw, ceil_mode);
  FT_CHECK(ow >= 0, "max_pool1d() Invalid computed output size: ", ow);
  FT_CHECK_KIND(ErrorKind::NotImplemented,
                self.dtype() == DType::Float32 || self.dtype() == DType::Float64 || self.dtype() == DType::BFloat16,
                "\"max_pool1d_impl\" not implemented for '", dtype_torch_name(self.dtype()), "'");
  if (ow == 0) {
    DimVector os(self.sizes());
    os[os.size() - 1] = 0;
    return empty(os, self.dtype());
  }
  autograd::NoGradGuard ng;
  return std::get<0>(nn_detail::max_pool2d_primitive(self.unsqueeze(-2), p, 1, ow)).squeeze(-2);
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  FT_OP_SCOPE("max_pool1d_with_indices");
  if (stride.empty()) stride = kernel_size;
  check_max_pool1d_input(self);
  check1d("max_pool1d", "kernel_size", kernel_size);
  check1d("max_pool1d", "stride", stride);
  check1d("max_pool1d", "padding", padding);
  check1d("max_pool1d", "dilation", dilation);
  auto [out, idx] = max_pool2d_with_indices(self.unsqueeze(-2), {1, kernel_size[0]}, {1, stride[0]},
                                            {0, padding[0]}, {1, dilation[0]}, ceil_mode);
  return {out.squeeze(-2), idx.squeeze(-2)};
}

Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  IntArrayRef dilation, bool ceil_mode) {
  FT_OP_SCOPE("max_pool1d");
  if (self.requires_grad() && autograd::is_grad_enabled())
    return std::get<0>(max_pool1d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
  return max_pool1d_impl(self, kernel_size, stride, padding, dilation, ceil_mode);
}

Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  bool ceil_mode, bool count_include_pad) {
  FT_OP_SCOPE("avg_pool1d");
  if (stride.empty()) stride = kernel_size;
  check_dim_2_or_3(self, "avg_pool1d");
  check1d("avg_pool1d", "kernel_size", kernel_size);
  check1d("avg_pool1d", "stride", stride);
  check1d("avg_pool1d", "padding", padding);
  return avg_pool2d(self.unsqueeze(-2), {1, kernel_size[0]}, {1, stride[0]}, {0, padding[0]}, ceil_mode,
                    count_include_pad)
      .squeeze(-2);
}

Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size) {
  FT_OP_SCOPE("adaptive_avg_pool1d");
  check_dim_2_or_3(self, "adaptive_avg_pool1d");
  check1d("adaptive_avg_pool1d", "output_size", output_size);
  return adaptive_avg_pool2d(self.unsqueeze(-2), {1, output_size[0]}).squeeze(-2);
}

}  // namespace ft
