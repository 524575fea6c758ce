// Joining ops: cat (+ out=), and the composites stack, hstack, vstack built
// on it as in ATen 1.13. cat promotes over every input's dtype, skips the
// legacy 1-D empty tensors (shape [0]) when checking shapes, and copies each
// input into its slice of the result with the engine's copy machinery.
#include "op_helpers.h"
#include "shape_internal.h"

namespace ft {
namespace {

bool cat_skips(const Tensor& t) { return t.dim() == 1 && t.numel() == 0; }

struct CatPlan {
  DimVector sizes;  // result shape
  DType dtype;
  int64_t dim;      // wrapped (raw when every input is skipped)
};

CatPlan plan_cat(TensorList ts, int64_t dim) {
  for (size_t i = 0; i < ts.size(); ++i)
    FT_CHECK(ts[i].dim() > 0, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
  // legacy_cat_wrap_dim: wrap against the first tensor that is not skipped.
  for (const Tensor& t : ts)
    if (!cat_skips(t)) {
      dim = maybe_wrap_dim(dim, t.dim());
      break;
    }
  FT_CHECK(!ts.empty(), "torch.cat(): expected a non-empty list of Tensors");
  CatPlan p{DimVector{0}, ts[0].dtype(), dim};
  for (size_t i = 1; i < ts.size(); ++i) p.dtype = promote_types(p.dtype, ts[i].dtype());
  size_t valid = ts.size();
  for (size_t i = 0; i < ts.size() && valid == ts.size(); ++i)
    if (!cat_skips(ts[i])) valid = i;
  if (valid == ts.size()) return p;  // every input skipped: an empty [0] result
  const Tensor& first = ts[valid];
  int64_t at_dim = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    const Tensor& t = ts[i];
    if (cat_skips(t)) continue;
    FT_CHECK(t.dim() == first.dim(), "Tensors must have same number of dimensions: got ", first.dim(), " and ",
             t.dim());
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (d == dim) continue;
      FT_CHECK(t.sizes()[size_t(d)] == first.sizes()[size_t(d)], "Sizes of tensors must match except in dimension ",
               dim, ". Expected size ", first.sizes()[size_t(d)], " but got size ", t.sizes()[size_t(d)],
               " for tensor number ", i, " in the list.");
    }
    at_dim += t.sizes()[size_t(dim)];
  }
  p.sizes = DimVector(first.sizes());
  p.sizes[size_t(dim)] = at_dim;
  return p;
}

// Copies every non-skipped input into its slice of `result` (not recorded).
void fill_cat(const Tensor& result, TensorList ts, int64_t dim) {
  autograd::NoGradGuard ng;
  int64_t offset = 0;
  for (const Tensor& t : ts) {
    if (cat_skips(t)) continue;
    int64_t len = t.sizes()[size_t(dim)];
    if (len > 0 && t.numel() > 0) result.narrow(dim, offset, len).copy_(t);
    offset += len;
  }
}

std::vector<Tensor> unsqueeze_all(TensorList ts, int64_t dim) {
  std::vector<Tensor> r;
  for (const Tensor& t : ts) r.push_back(t.unsqueeze(dim));
  return r;
}

// stack: every tensor the same shape, then cat of the inputs unsqueezed at dim.
std::vector<Tensor> stack_inputs(TensorList ts, int64_t dim) {
  FT_CHECK(!ts.empty(), "stack expects a non-empty TensorList");
  int64_t d = maybe_wrap_dim(dim, ts[0].dim() + 1);
  for (size_t i = 1; i < ts.size(); ++i)
    FT_CHECK(ts[i].sizes().equals(ts[0].sizes()), "stack expects each tensor to be equal size, but got ",
             shape_str(ts[0].sizes()), " at entry 0 and ", shape_str(ts[i].sizes()), " at entry ", i);
  return unsqueeze_all(ts, d);
}

// atleast_1d / atleast_2d of hstack / vstack.
std::vector<Tensor> at_least(TensorList ts, int64_t rank) {
  std::vector<Tensor> r;
  for (const Tensor& t : ts) {
    if (t.dim() == 0) r.push_back(rank == 1 ? t.reshape({1}) : t.reshape({1, 1}));
    else if (t.dim() == 1 && rank == 2) r.push_back(t.unsqueeze(0));
    else r.push_back(t);
  }
  return r;
}

std::vector<Tensor> hstack_inputs(TensorList ts, int64_t& dim) {
  FT_CHECK(!ts.empty(), "hstack expects a non-empty TensorList");
  std::vector<Tensor> r = at_least(ts, 1);
  dim = r[0].dim() == 1 ? 0 : 1;
  return r;
}

std::vector<Tensor> vstack_inputs(TensorList ts) {
  FT_CHECK(!ts.empty(), "vstack expects a non-empty TensorList");
  return at_least(ts, 2);
}

}  // namespace

Tensor cat(TensorList tensors, int64_t dim) {
  FT_OP_SCOPE("cat");
  CatPlan p = plan_cat(tensors, dim);
  Tensor out = empty(p.sizes, p.dtype);
  fill_cat(out, tensors, p.dim);
  autograd::record_cat(tensors.vec(), p.dim, out);
  return out;
}

Tensor& cat_out(Tensor& out, TensorList tensors, int64_t dim) {
  FT_OP_SCOPE("cat");
  for (const Tensor& t : tensors) FT_CHECK(!(autograd::is_grad_enabled() && t.requires_grad()),
                                           "cat(): functions with out=... arguments don't support automatic "
                                           "differentiation, but one of the arguments requires grad.");
  CatPlan p = plan_cat(tensors, dim);
  FT_CHECK(ops::can_cast(p.dtype, out.dtype()), "torch.cat(): input types can't be cast to the desired output type ",
           dtype_torch_name(out.dtype()));
  autograd::NoGradGuard ng;
  Tensor r = empty(p.sizes, p.dtype);
  fill_cat(r, tensors, p.dim);
  return ops::write_out(out, r);
}

Tensor stack(TensorList tensors, int64_t dim) {
  FT_OP_SCOPE("stack");
  std::vector<Tensor> ins = stack_inputs(tensors, dim);
  return cat(ins, maybe_wrap_dim(dim, tensors[0].dim() + 1));
}
Tensor& stack_out(Tensor& out, TensorList tensors, int64_t dim) {
  FT_OP_SCOPE("stack");
  std::vector<Tensor> ins = stack_inputs(tensors, dim);
  return cat_out(out, ins, maybe_wrap_dim(dim, tensors[0].dim() + 1));
}

Tensor hstack(TensorList tensors) {
  int64_t d = 0;
  std::vector<Tensor> ins = hstack_inputs(tensors, d);
  return cat(ins, d);
}
Tensor& hstack_out(Tensor& out, TensorList tensors) {
  int64_t d = 0;
  std::vector<Tensor> ins = hstack_inputs(tensors, d);
  return cat_out(out, ins, d);
}
Tensor vstack(TensorList tensors) { return cat(vstack_inputs(tensors), 0); }
Tensor& vstack_out(Tensor& out, TensorList tensors) { return cat_out(out, vstack_inputs(tensors), 0); }

}  // namespace ft
