// bilinear (ATen 1.13's checks and messages), composed of differentiable
// ops: the leading dims are flattened to M rows, then
//   t (M, O*J) = input1 (M, I) @ weight laid out as (I, O*J)
//   y (M, O)   = sum_j t (M, O, J) * input2 (M, 1, J)
// so first and higher derivatives come from mm, mul and sum.
#include "op_helpers.h"

namespace ft {

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight, const std::optional<Tensor>& bias) {
  FT_OP_SCOPE("bilinear");
  FT_CHECK(input1.dim() == input2.dim(), "bilinear(): input dimensions do not match: got ", input1.dim(), " and ",
           input2.dim());
  for (int64_t i = 0; i + 1 < input1.dim(); ++i)
    FT_CHECK(input1.size(i) == input2.size(i), "bilinear(): input batch dimensions do not match at dim ", i,
             ": got ", input1.size(i), " and ", input2.size(i));
  FT_CHECK(input1.dim() >= 1 && weight.dim() >= 3 && input1.size(-1) == weight.size(1),
           "bilinear(): input1 size does not match weight size: got ", input1.dim() >= 1 ? input1.size(-1) : 0,
           " but expected ", weight.dim() >= 2 ? weight.size(1) : 0);
  FT_CHECK(weight.dim() == 3 && input2.size(-1) == weight.size(2),
           "bilinear(): input2 size does not match weight size: got ", input2.size(-1), " but expected ",
           weight.size(2));
  const Tensor b = bias.value_or(Tensor());
  FT_CHECK(!b.defined() || (b.dim() >= 1 && b.size(0) == weight.size(0)),
           "bilinear(): bias size does not match weight size: got ", b.defined() && b.dim() ? b.size(0) : 0,
           " but expected ", weight.size(0));
  for (const Tensor* t : {&input2, &weight, &b})
    FT_CHECK(!t->defined() || t->dtype() == input1.dtype(), "expected scalar type ",
             dtype_torch_name(input1.dtype()), " but found ", dtype_torch_name(t->dtype()));
  const int64_t I = weight.size(1), O = weight.size(0), J = weight.size(2);
  DimVector out_sizes(input1.sizes());
  out_sizes[out_sizes.size() - 1] = O;
  if (input1.dtype() == DType::Bool) {
    // No product kernel for bool (ATen's bmm raises), but an empty result
    // never reaches one.
    int64_t n = 1;
    for (int64_t v : out_sizes) n *= v;
    FT_CHECK_KIND(ErrorKind::NotImplemented, n == 0, "\"bmm\" not implemented for 'Bool'");
    Tensor y = empty(out_sizes, DType::Bool);
    return b.defined() ? y + b : y;
  }
  Tensor x1 = input1.reshape({-1, I}), x2 = input2.reshape({-1, J});
  Tensor t = mm(x1, weight.permute({1, 0, 2}).reshape({I, O * J})).view({-1, O, J});
  // sum keeps the dtype (int32 stays int32, as ATen's sum-product).
  Tensor y = sum(t * x2.unsqueeze(1), {2}, false, input1.dtype()).reshape(out_sizes);
  return b.defined() ? y + b : y;
}

}  // namespace ft
