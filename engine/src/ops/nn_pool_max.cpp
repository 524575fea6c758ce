// max_pool2d and max_pool2d_with_indices (ATen 1.13's argument checks and
// messages), and the differentiable scatter/gather pair behind their
// gradients (NOTE [ Linear primitives and their adjoints ]).
#include "../autograd/record_nn.h"
#include "../kernels/cpu/pool2d.h"
#include "nn_internal.h"

namespace ft {
namespace nn_detail {
namespace {

// The checked window geometry and output size of max_pool2d_with_indices.
std::tuple<PoolParams2d, int64_t, int64_t> max_pool_args(const Tensor& self, IntArrayRef kernel, IntArrayRef stride,
                                                         IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  FT_CHECK(kernel.size() == 1 || kernel.size() == 2,
           "max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
  PoolParams2d p;
  p.kh = kernel[0];
  p.kw = kernel.size() == 1 ? p.kh : kernel[1];
  FT_CHECK(stride.empty() || stride.size() == 1 || stride.size() == 2,
           "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
  p.sh = stride.empty() ? p.kh : stride[0];
  p.sw = stride.empty() ? p.kw : stride.size() == 1 ? p.sh : stride[1];
  FT_CHECK(padding.size() == 1 || padding.size() == 2,
           "max_pool2d: padding must be either be a single int, or a tuple of two ints");
  p.ph = padding[0];
  p.pw = padding.size() == 1 ? p.ph : padding[1];
  FT_CHECK(dilation.size() == 1 || dilation.size() == 2,
           "max_pool2d: dilation must be either a single int, or a tuple of two ints");
  p.dh = dilation[0];
  p.dw = dilation.size() == 1 ? p.dh : dilation[1];
  p.ceil_mode = ceil_mode;
  FT_CHECK(self.dim() == 3 || self.dim() == 4, "non-empty 3D or 4D (batch mode) tensor expected for input");
  const int64_t Ho = pooling_output_shape(self.size(-2), p.kh, p.ph, p.sh, p.dh, ceil_mode);
  const int64_t Wo = pooling_output_shape(self.size(-1), p.kw, p.pw, p.sw, p.dw, ceil_mode);
  pool2d_shape_check(self, p, Ho, Wo);
  FT_CHECK_KIND(ErrorKind::NotImplemented,
                self.dtype() == DType::Float32 || self.dtype() == DType::Float64 || self.dtype() == DType::BFloat16,
                "\"max_pool2d\" not implemented for '", dtype_torch_name(self.dtype()), "'");
  return {p, Ho, Wo};
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool2d_primitive(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo) {
  const DimVector os = with_spatial(input.sizes(), Ho, Wo);
  Tensor out = empty(os, input.dtype()), idx = empty(os, DType::Int64);
  {
    autograd::NoGradGuard ng;
    Tensor x = input.contiguous();
    const kernels::Pool2dShape s = pool_shape(input.sizes(), Ho, Wo, p);
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "max_pool2d", [&] {
      kernels::max_pool2d_kernel<scalar_t>(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), idx.data_ptr<int64_t>(),
                                           s);
    });
  }
  autograd::record_max_pool2d(input, idx, out);
  return {out, idx};
}

Tensor max_pool2d_scatter(const Tensor& grad, const Tensor& indices, IntArrayRef input_sizes, const char* node_name) {
  Tensor gin = empty(input_sizes, grad.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor g = grad.contiguous();
    const kernels::Pool2dShape s = pool_shape(input_sizes, indices.size(-2), indices.size(-1), PoolParams2d());
    FT_DISPATCH_FLOATING_AND_BF16(grad.dtype(), "max_pool2d_with_indices_backward", [&] {
      kernels::max_pool2d_scatter_kernel<scalar_t>(g.data_ptr<scalar_t>(), indices.data_ptr<int64_t>(),
                                                   gin.data_ptr<scalar_t>(), s);
    });
  }
  autograd::record_max_pool2d_scatter(grad, indices, gin, node_name);
  return gin;
}

Tensor max_pool2d_gather(const Tensor& grad_input_like, const Tensor& indices) {
  Tensor out = empty(indices.sizes(), grad_input_like.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor a = grad_input_like.contiguous();
    const kernels::Pool2dShape s = pool_shape(a.sizes(), indices.size(-2), indices.size(-1), PoolParams2d());
    FT_DISPATCH_FLOATING_AND_BF16(a.dtype(), "max_pool2d_with_indices_backward", [&] {
      kernels::max_pool2d_gather_kernel<scalar_t>(a.data_ptr<scalar_t>(), indices.data_ptr<int64_t>(),
                                                  out.data_ptr<scalar_t>(), s);
    });
  }
  autograd::record_max_pool2d_gather(grad_input_like, indices, out);
  return out;
}

}  // namespace nn_detail

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  FT_OP_SCOPE("max_pool2d_with_indices");
  auto [p, Ho, Wo] = nn_detail::max_pool_args(self, kernel_size, stride, padding, dilation, ceil_mode);
  return nn_detail::max_pool2d_primitive(self, p, Ho, Wo);
}

Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  IntArrayRef dilation, bool ceil_mode) {
  FT_OP_SCOPE("max_pool2d");
  auto [p, Ho, Wo] = nn_detail::max_pool_args(self, kernel_size, stride, padding, dilation, ceil_mode);
  return std::get<0>(nn_detail::max_pool2d_primitive(self, p, Ho, Wo));
}

}  // namespace ft
