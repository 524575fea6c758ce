// Shared plumbing of the loss op family (src/ops/loss_*.cpp): the
// elementwise kernel driver and the nll_loss target-weight table that the
// forward and the backward of nll_loss both read.
#pragma once

#include <array>

#include "op_helpers.h"
#include "ft/ops.h"

namespace ft::detail {

// ATen's loss kernels run on TensorIterator: input and target broadcast and
// promote to their common dtype, which must be floating ('"<kernel>" not
// implemented for ...' otherwise). f(x, t) -> loss, called with scalar_t
// values; with Half or BFloat16 (where the kernel takes them: `half`,
// `bf16`) f rounds after every operation, as c10's 16-bit operators do.
// Runs without autograd; the caller records the node.
template <typename F>
Tensor pointwise_loss(const Tensor& a, const Tensor& b, const char* kernel, F f, bool half = false,
                      bool bf16 = false) {
  const DType dt = result_type(a, b);
  const DimVector shape = broadcast_shapes(a.sizes(), b.sizes());
  FT_CHECK_KIND(ErrorKind::NotImplemented, (dt != DType::Float16 || half) && (dt != DType::BFloat16 || bf16), "\"",
                kernel, "\" not implemented for '", dtype_torch_name(dt), "'");
  Tensor out;
  FT_DISPATCH_FLOATING_AND2(dt, kernel, [&] {
    Tensor ac = a.to(dt).expand(shape).contiguous(), bc = b.to(dt).expand(shape).contiguous();
    out = empty(shape, dt);
    const scalar_t* ap = ac.data_ptr<scalar_t>();  // (shape)
    const scalar_t* bp = bc.data_ptr<scalar_t>();  // (shape)
    scalar_t* op = out.data_ptr<scalar_t>();       // (shape)
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) op[i] = f(ap[i], bp[i]);
  });
  return out;
}

// The weight an input element gets in nll_loss / nll_loss2d: w[t_i] at
// (i, t_i) for every non-ignored sample i (a batch index and a position), 0
// elsewhere; input's shape and dtype. Raises PyTorch's IndexError for a
// target outside [0, C) other than ignore_index.
Tensor nll_target_weights(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t ignore_index);
// (N, C, M): an nll input as the kernels see it (1-D: (1, C, 1); M is the
// product of the spatial sizes).
std::array<int64_t, 3> nll_layout(const Tensor& self);

// An optional tensor that holds a defined tensor, else an undefined one.
inline Tensor defined_or_none(const std::optional<Tensor>& t) { return t && t->defined() ? *t : Tensor(); }

}  // namespace ft::detail
