// Autograd of views under in-place writes (NOTE [ Views and their base ]):
// the in-place checks, history rebasing with CopySlices, and the lazy
// regeneration of a stale view's grad_fn.
//
// NOTE [ CopySlices ]
// After `view.op_(...)`, the base's new value is its old value with the view's
// region replaced by r = op(old view, ...). The base gets a CopySlices node
// with two edges: (0) the base's old history, receiving the gradient with
// the view's region zeroed, and (1) r's node, receiving the gradient of the
// view's region. r's node leads back to the old view's value and through the
// view's node into the base's old history again, so the region's gradient
// reaches the old base exactly once (x + 0 is exact: no rounding is added).
// PyTorch splices r's node into CopySlices instead; the gradients are the
// same numbers. The view's own grad_fn becomes an AsStridedBackward0 of the
// base, as in PyTorch.
#include <cstring>

#include "../ops/op_helpers.h"
#include "formula.h"
#include "record.h"

namespace ft::autograd {
namespace {

bool impl_requires_grad(const TensorImpl* impl) {
  auto* m = impl->autograd_meta();
  if (m && (m->requires_grad || m->grad_fn)) return true;
  if (!impl->is_view()) return false;
  auto* bm = impl->view_base()->autograd_meta();
  return bm && (bm->requires_grad || bm->grad_fn);
}

// PyTorch's handle_view_on_rebase: a view made in no_grad mode or by a
// multi-output function may not be rebased (`indirect`: the write was to its
// base or a sibling view, found when its grad_fn is next needed).
void refuse_restricted_view(const Tensor& view, bool indirect) {
  const TensorImpl* impl = view.impl();
  ViewCreation c = impl->view_creation();
  if (c == ViewCreation::Default || c == ViewCreation::NotView) return;
  auto* m = impl->autograd_meta();
  const Node* fn = m ? m->grad_fn.get() : nullptr;
  const char* what = indirect ? "its base or another view of its base has been" : "is being";
  std::string msg;
  if (c == ViewCreation::InferenceMode)
    msg = detail::str_cat("A view was created in inference mode and ", what, " modified inplace in normal mode.");
  else if (c == ViewCreation::NoGradMode || !fn)
    msg = detail::str_cat(fn ? detail::str_cat("Output ", impl->view_output_nr(), " of ", fn->name(),
                                               " is a view of a view which was created in")
                             : std::string("A view was created in"),
                          " no_grad mode and ", what, " modified inplace with grad mode enabled.");
  else
    msg = detail::str_cat("Output ", impl->view_output_nr(), " of ", fn->name(), " is a view and ", what,
                          " modified inplace.");
  if (c == ViewCreation::InferenceMode)
    msg += " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
           "moving both the view and the inplace either both inside the inference_mode block (if you don't want "
           "the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
  else if (c == ViewCreation::MultiOutput)
    msg += " This view is the output of a function that returns multiple views. Such functions do not allow the "
           "output views to be modified inplace. You should replace the inplace operation by an out-of-place one.";
  else
    msg += " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
           "moving both the view and the inplace either both inside the no_grad block (if you don't want the "
           "inplace to be tracked) or both outside (if you want the inplace to be tracked).";
  FT_ERROR(msg);
}

// Makes view's grad_fn an AsStridedBackward0 from its base's current history:
// the view's geometry replayed on the base (offsets relative to the base's).
void regenerate_view_grad_fn(const Tensor& view) {
  TensorImpl* impl = view.impl();
  Tensor base(impl->view_base_ptr());
  DimVector sz(view.sizes()), st(view.strides());
  int64_t off = view.storage_offset() - base.storage_offset();
  Tensor self = view;  // a handle: the history lives in the shared impl
  EnableGradGuard eg;  // may run inside backward or under no_grad (a user's grad_fn())
  record_view(base, self, ViewKind::Strided, DimVector(base.strides()),
              [sz, st, off](const Tensor& x) { return x.as_strided(sz, st, x.storage_offset() + off); },
              "AsStridedBackward0");
  impl->set_view_attr_version(impl->version());
}

// Mask of the view's region inside a tensor laid out like the base.
Tensor region_mask(const FormulaNode& n, IntArrayRef base_sizes) {
  NoGradGuard ng;
  Tensor mask = empty_strided(base_sizes, n.dims, DType::Bool);
  std::memset(mask.data_ptr(), 0, mask.impl()->storage()->nbytes());
  size_t nd = size_t(n.ints[0]);
  IntArrayRef vs(n.ints.data() + 1, nd), vst(n.ints.data() + 1 + nd, nd);
  mask.as_strided(vs, vst, mask.storage_offset() + n.count).fill_(true);
  return mask;
}

// CopySlices' formula (NOTE [ CopySlices ]); written with engine ops, so it
// is recorded under create_graph.
std::vector<Tensor> copy_slices_backward(FormulaNode& n, const Tensor& g) {
  const DimVector& base_sizes = n.input_meta[0].first;
  Tensor laid = empty_strided(base_sizes, n.dims, g.dtype());  // g laid out like the base
  laid.copy_(g);
  std::vector<Tensor> out(2);
  if (n.needs(1)) {
    size_t nd = size_t(n.ints[0]);
    IntArrayRef vs(n.ints.data() + 1, nd), vst(n.ints.data() + 1 + nd, nd);
    out[1] = laid.as_strided(vs, vst, laid.storage_offset() + n.count);
  }
  if (n.needs(0)) out[0] = laid.masked_fill(region_mask(n, base_sizes), Scalar(0.0));
  return out;
}

// Rebases `view`'s base onto CopySlices(base's old history, result_edge).
void rebase_view(Tensor& view, Edge result_edge, IntArrayRef result_sizes, DType result_dtype) {
  TensorImpl* impl = view.impl();
  Tensor base(impl->view_base_ptr());
  auto cs = std::allocate_shared<FormulaNode>(pool::Allocator<FormulaNode>(), "torch::autograd::CopySlices", &copy_slices_backward);
  cs->next_edges().push_back(gradient_edge(base));
  cs->input_meta.push_back({DimVector(base.sizes()), base.dtype()});
  cs->next_edges().push_back(std::move(result_edge));
  cs->input_meta.push_back({DimVector(result_sizes), result_dtype});
  cs->dims = DimVector(base.strides());
  cs->ints.push_back(view.dim());
  for (int64_t s : view.sizes()) cs->ints.push_back(s);
  for (int64_t s : view.strides()) cs->ints.push_back(s);
  cs->count = view.storage_offset() - base.storage_offset();
  set_history(base, cs);
  regenerate_view_grad_fn(view);
}

}  // namespace

bool view_aware_requires_grad(const TensorImpl* impl) { return impl_requires_grad(impl); }

std::shared_ptr<Node> grad_fn_of(const Tensor& t) {
  TensorImpl* impl = t.impl();
  auto* m = impl->autograd_meta();
  if (!impl->is_view()) return m ? m->grad_fn : nullptr;
  if (!(m && m->grad_fn) && !impl_requires_grad(impl->view_base())) return m ? m->grad_fn : nullptr;
  if (impl->view_attr_version() != impl->version()) {
    refuse_restricted_view(t, /*indirect=*/true);
    regenerate_view_grad_fn(t);
  }
  m = impl->autograd_meta();
  return m ? m->grad_fn : nullptr;
}

void check_inplace(const Tensor& self, bool op_requires_grad) {
  if (!op_requires_grad || !is_grad_enabled()) return;
  if (self.impl()->is_view()) {
    refuse_restricted_view(self, /*indirect=*/false);
    Tensor base(self.impl()->view_base_ptr());
    FT_CHECK(!(self.requires_grad() && base.is_leaf()),
             "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
  FT_CHECK(!(self.requires_grad() && self.is_leaf()),
           "a leaf Variable that requires grad is being used in an in-place operation.");
}

void rebase_history(Tensor& self, const std::shared_ptr<Node>& fn, uint32_t output_nr, IntArrayRef result_sizes,
                    DType result_dtype) {
  if (!fn) return;
  if (self.impl()->is_view()) {
    rebase_view(self, Edge{fn, output_nr}, result_sizes, result_dtype);
    return;
  }
  set_history(self, fn, output_nr);
}

void rebase_history(Tensor& self, const Tensor& result) {
  auto* rm = result.impl()->autograd_meta();
  if (!rm || !rm->grad_fn) return;
  rebase_history(self, rm->grad_fn, rm->output_nr, result.sizes(), result.dtype());
}

void set_view_history(Tensor& self, const Tensor& result, const char* node_name) {
  auto* rm = result.impl()->autograd_meta();
  if (!rm || !rm->grad_fn) return;
  if (auto* f = dynamic_cast<FormulaNode*>(rm->grad_fn.get())) f->rename(node_name);
  set_history(self, rm->grad_fn, rm->output_nr);
}

}  // namespace ft::autograd
