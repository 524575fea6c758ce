// adaptive_max_pool2d / adaptive_max_pool1d (ATen 1.13's checks and
// messages). The values' gradient is the max-pooling scatter by the saved
// indices (NOTE [ Linear primitives and their adjoints ]); the 1-D form runs
// the 2-D one on input.unsqueeze(-2), as ATen.
#include "../autograd/record_conv_extra.h"
#include "../kernels/cpu/adaptive_max_pool2d.h"
#include "nn_internal.h"

namespace ft {
namespace nn_detail {

std::tuple<Tensor, Tensor> adaptive_max_pool2d_primitive(const Tensor& input, int64_t Ho, int64_t Wo) {
  const DimVector os = with_spatial(input.sizes(), Ho, Wo);
  Tensor out = empty(os, input.dtype()), idx = empty(os, DType::Int64);
  if (out.numel() > 0) {
    autograd::NoGradGuard ng;
    Tensor x = input.contiguous();
    const kernels::Pool2dShape s = pool_shape(input.sizes(), Ho, Wo, PoolParams2d());
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "adaptive_max_pool2d", [&] {
      kernels::adaptive_max_pool2d_kernel<scalar_t>(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(),
                                                    idx.data_ptr<int64_t>(), s);
    });
  }
  autograd::record_adaptive_max_pool2d(input, idx, out);
  return {out, idx};
}

}  // namespace nn_detail

std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size) {
  FT_OP_SCOPE("adaptive_max_pool2d");
  const int64_t nd = self.dim();
  FT_CHECK(nd == 3 || nd == 4, "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ", shape_str(self.sizes()));
  for (int64_t i = 1; i < nd; ++i)
    FT_CHECK(self.size(i) > 0,
             "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has "
             "sizes ",
             shape_str(self.sizes()), " with dimension ", i, " being empty");
  FT_CHECK(output_size.size() == 2, "adaptive_max_pool2d(): internal error: output_size.size() must be 2");
  FT_CHECK(output_size[0] >= 0 && output_size[1] >= 0, "Trying to create tensor with negative dimension ",
           output_size[0] < 0 ? output_size[0] : output_size[1], ": ",
           shape_str(nn_detail::with_spatial(self.sizes(), output_size[0], output_size[1])));
  FT_CHECK_KIND(ErrorKind::NotImplemented,
                self.dtype() == DType::Float32 || self.dtype() == DType::Float64 || self.dtype() == DType::BFloat16,
                "\"adaptive_max_pool2d\" not implemented for '", dtype_torch_name(self.dtype()), "'");
  return nn_detail::adaptive_max_pool2d_primitive(self, output_size[0], output_size[1]);
}

std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size) {
  FT_OP_SCOPE("adaptive_max_pool1d");
  FT_CHECK(self.dim() == 2 || self.dim() == 3, "Expected 2 to 3 dimensions, but got ", self.dim(),
           "-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_max_pool1d)");
  FT_CHECK(output_size.size() == 1, "adaptive_max_pool1d() argument 'output_size' should contain one int (got ",
           output_size.size(), ")");
  auto [out, idx] = adaptive_max_pool2d(self.unsqueeze(-2), {1, output_size[0]});
  return {out.squeeze(-2), idx.squeeze(-2)};
}

}  // namespace ft
