// avg_pool2d and adaptive_avg_pool2d (ATen 1.13's argument checks and
// messages) and their differentiable backward maps (NOTE [ Linear primitives
// and their adjoints ]).
#include "../autograd/record_nn.h"
#include "../kernels/cpu/pool2d.h"
#include "nn_internal.h"

namespace ft {
namespace nn_detail {
namespace {

// avg_pool2d's kernels: float32, float64, int64 and bfloat16 (ATen 1.13's CPU set).
template <typename F>
void dispatch_avg(DType dt, const F& f) {
  switch (dt) {
    case DType::Float32:
      f(float());
      break;
    case DType::Float64:
      f(double());
      break;
    case DType::Int64:
      f(int64_t());
      break;
    case DType::BFloat16:
      f(BFloat16());
      break;
    default:
      FT_CHECK_KIND(ErrorKind::NotImplemented, false, "\"avg_pool2d\" not implemented for '", dtype_torch_name(dt),
                    "'");
  }
}

}  // namespace

Tensor avg_pool2d_primitive(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo) {
  Tensor out = empty(with_spatial(input.sizes(), Ho, Wo), input.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor x = input.contiguous();
    const kernels::Pool2dShape s = pool_shape(input.sizes(), Ho, Wo, p);
    dispatch_avg(input.dtype(), [&](auto zero) {
      using T = decltype(zero);
      kernels::avg_pool2d_kernel<T>(x.data_ptr<T>(), out.data_ptr<T>(), s, p.count_include_pad, p.divisor);
    });
  }
  autograd::record_avg_pool2d(input, p.pack(), out);
  return out;
}

Tensor avg_pool2d_backward(const Tensor& grad, IntArrayRef input_sizes, const PoolParams2d& p) {
  Tensor gin = empty(input_sizes, grad.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor g = grad.contiguous();
    const kernels::Pool2dShape s = pool_shape(input_sizes, grad.size(-2), grad.size(-1), p);
    FT_DISPATCH_FLOATING_AND_BF16(grad.dtype(), "avg_pool2d_backward_cpu", [&] {
      kernels::avg_pool2d_backward_kernel<scalar_t>(g.data_ptr<scalar_t>(), gin.data_ptr<scalar_t>(), s,
                                                    p.count_include_pad, p.divisor);
    });
  }
  autograd::record_avg_pool2d_backward(grad, p.pack(), gin);
  return gin;
}

Tensor adaptive_avg_pool2d_primitive(const Tensor& input, int64_t Ho, int64_t Wo) {
  Tensor out = empty(with_spatial(input.sizes(), Ho, Wo), input.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor x = input.contiguous();
    const kernels::Pool2dShape s = pool_shape(input.sizes(), Ho, Wo, PoolParams2d());
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "adaptive_avg_pool2d", [&] {
      kernels::adaptive_avg_pool2d_kernel<scalar_t>(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), s);
    });
  }
  autograd::record_adaptive_avg_pool2d(input, out);
  return out;
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad, IntArrayRef input_sizes) {
  // ATen's backward refuses an empty gradient (an output with a 0 dim).
  for (int64_t i = 1; i < grad.dim(); ++i)
    FT_CHECK(grad.size(i) > 0,
             "adaptive_avg_pool2d_backward(): Expected grad_output to have non-zero size for non-batch dimensions, "
             "but grad_output has sizes ",
             shape_str(grad.sizes()), " with dimension ", i, " being empty");
  Tensor gin = empty(input_sizes, grad.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor g = grad.contiguous();
    const kernels::Pool2dShape s = pool_shape(input_sizes, grad.size(-2), grad.size(-1), PoolParams2d());
    FT_DISPATCH_FLOATING_AND_BF16(grad.dtype(), "adaptive_avg_pool2d_backward_cpu", [&] {
      kernels::adaptive_avg_pool2d_backward_kernel<scalar_t>(g.data_ptr<scalar_t>(), gin.data_ptr<scalar_t>(), s);
    });
  }
  autograd::record_adaptive_avg_pool2d_backward(grad, gin);
  return gin;
}

}  // namespace nn_detail

Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  FT_OP_SCOPE("avg_pool2d");
  FT_CHECK(kernel_size.size() == 1 || kernel_size.size() == 2,
           "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints");
  nn_detail::PoolParams2d p;
  p.kh = kernel_size[0];
  p.kw = kernel_size.size() == 1 ? p.kh : kernel_size[1];
  FT_CHECK(stride.empty() || stride.size() == 1 || stride.size() == 2,
           "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
  p.sh = stride.empty() ? p.kh : stride[0];
  p.sw = stride.empty() ? p.kw : stride.size() == 1 ? p.sh : stride[1];
  FT_CHECK(padding.size() == 1 || padding.size() == 2,
           "avg_pool2d: padding must either be a single int, or a tuple of two ints");
  p.ph = padding[0];
  p.pw = padding.size() == 1 ? p.ph : padding[1];
  FT_CHECK(!divisor_override || *divisor_override != 0, "divisor must be not zero");
  p.ceil_mode = ceil_mode;
  p.count_include_pad = count_include_pad;
  p.divisor = divisor_override;
  (void)self.size(-3);  // ATen reads the plane count first: an IndexError below 3 dims
  const int64_t Ho = nn_detail::pooling_output_shape(self.size(-2), p.kh, p.ph, p.sh, 1, ceil_mode);
  const int64_t Wo = nn_detail::pooling_output_shape(self.size(-1), p.kw, p.pw, p.sw, 1, ceil_mode);
  nn_detail::pool2d_shape_check(self, p, Ho, Wo);
  return nn_detail::avg_pool2d_primitive(self, p, Ho, Wo);
}

Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size) {
  FT_OP_SCOPE("adaptive_avg_pool2d");
  FT_CHECK(output_size.size() == 2, "adaptive_avg_pool2d: output_size must be 2");
  FT_CHECK(output_size[0] >= 0 && output_size[1] >= 0,
           "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {",
           output_size[0], ", ", output_size[1], "}");
  // ATen computes a 1x1 output as a mean over the last two dims (any rank >= 2).
  if (output_size[0] == 1 && output_size[1] == 1) return self.mean({-1, -2}, true);
  const int64_t nd = self.dim();
  FT_CHECK(nd == 3 || nd == 4, "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ", shape_str(self.sizes()));
  for (int64_t d : {int64_t(-2), int64_t(-1)})
    FT_CHECK(
        self.size(d) > 0,
        "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ",
        shape_str(self.sizes()), " with dimension ", d + nd, " being empty");
  const DimVector os = nn_detail::with_spatial(self.sizes(), output_size[0], output_size[1]);
  // ATen returns an empty result before its dtype dispatch.
  int64_t numel = 1;
  for (int64_t s : os) numel *= s;
  if (numel == 0 && self.dtype() != DType::Float32 && self.dtype() != DType::Float64 &&
      self.dtype() != DType::BFloat16)
    return empty(os, self.dtype());
  return nn_detail::adaptive_avg_pool2d_primitive(self, output_size[0], output_size[1]);
}

}  // namespace ft
