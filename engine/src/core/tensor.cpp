// Tensor handle methods that are not ops: geometry access, view methods,
// autograd accessors, printing.
#include <algorithm>
#include <iomanip>
#include <sstream>

#include "../autograd/record.h"
#include "../kernels/cpu/convert.h"
#include "../kernels/cpu/loops.h"
#include "ft/autograd.h"
#include "ft/ops.h"

namespace ft {

int64_t Tensor::size(int64_t d) const { return impl_->size(maybe_wrap_dim(d, dim(), false)); }
int64_t Tensor::stride(int64_t d) const { return impl_->stride(maybe_wrap_dim(d, dim(), false)); }

template <typename T>
T Tensor::item() const {
  FT_CHECK(numel() == 1, "a Tensor with ", numel(), " elements cannot be converted to Scalar");
  T r{};
  FT_DISPATCH_EVERY(dtype(), "item", [&] { r = kernels::convert<T>(*reinterpret_cast<const scalar_t*>(data_ptr())); });
  return r;
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int32_t Tensor::item<int32_t>() const;
template bool Tensor::item<bool>() const;

Scalar Tensor::item() const {
  if (is_floating_point()) return Scalar(item<double>());
  if (dtype() == DType::Bool) return Scalar(item<bool>());
  return Scalar(item<int64_t>());
}

Tensor Tensor::view(IntArrayRef s) const { return ft::view(*this, s); }
Tensor Tensor::reshape(IntArrayRef s) const { return ft::reshape(*this, s); }
Tensor Tensor::permute(IntArrayRef d) const { return ft::permute(*this, d); }
Tensor Tensor::transpose(int64_t a, int64_t b) const { return ft::transpose(*this, a, b); }
Tensor Tensor::expand(IntArrayRef s) const { return ft::expand(*this, s); }
Tensor Tensor::expand_as(const Tensor& o) const { return ft::expand(*this, o.sizes()); }
Tensor Tensor::squeeze() const { return ft::squeeze(*this); }
Tensor Tensor::squeeze(int64_t d) const { return ft::squeeze(*this, d); }
Tensor Tensor::unsqueeze(int64_t d) const { return ft::unsqueeze(*this, d); }
Tensor Tensor::narrow(int64_t d, int64_t s, int64_t l) const { return ft::narrow(*this, d, s, l); }
Tensor Tensor::slice(int64_t d, std::optional<int64_t> s, std::optional<int64_t> e, int64_t st) const {
  return ft::slice(*this, d, s, e, st);
}
Tensor Tensor::select(int64_t d, int64_t i) const { return ft::select(*this, d, i); }
Tensor Tensor::as_strided(IntArrayRef s, IntArrayRef st, std::optional<int64_t> off) const {
  return ft::as_strided(*this, s, st, off);
}
Tensor Tensor::flatten(int64_t a, int64_t b) const { return ft::flatten(*this, a, b); }

Tensor Tensor::detach() const {
  auto impl = make_intrusive<TensorImpl>(impl_->storage(), dtype(), sizes(), strides(), storage_offset());
  impl->set_version_counter(impl_->shared_version());
  impl->set_inference(impl_->is_inference());  // an alias: inference-ness follows the data
  return Tensor(std::move(impl));
}

Tensor& Tensor::detach_() {
  FT_CHECK(!impl_->is_view(),
           "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for "
           "training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence "
           "detach_() cannot be called on these gradients. To fix this error, please refer to the "
           "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
  if (auto* m = impl_->autograd_meta()) {
    m->grad_fn.reset();
    m->requires_grad = false;
    m->output_nr = 0;
  }
  return *this;
}

bool Tensor::requires_grad() const {
  return autograd::view_aware_requires_grad(impl_.get());
}

Tensor& Tensor::requires_grad_(bool r) {
  FT_CHECK(!(r && impl_->is_inference() && !autograd::is_inference_mode_enabled()),
           "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  auto* m = impl_->autograd_meta();
  if (!r && m && m->grad_fn)
    FT_ERROR("you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
             "in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  FT_CHECK(!r || is_floating_point(), "only Tensors of floating point and complex dtype can require gradients");
  if (r || m) impl_->ensure_autograd_meta().requires_grad = r;
  return *this;
}

bool Tensor::is_leaf() const {
  // The grad_fn field as it stands, without regenerating a stale view's (as
  // libtorch's C++ is_leaf; PyTorch's in-place checks see the same).
  auto* m = impl_->autograd_meta();
  return !m || !m->grad_fn;
}

Tensor Tensor::grad() const {
  auto* m = impl_->autograd_meta();
  if (!m) return Tensor();
  if (m->grad_fn) return m->retained_grad ? *m->retained_grad : Tensor();  // non-leaf: only with retain_grad
  return m->grad;
}

void Tensor::retain_grad() const {
  FT_CHECK(requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  autograd::grad_fn_of(*this);  // a stale view's grad_fn is regenerated first
  auto& m = impl_->ensure_autograd_meta();
  if (!m.grad_fn || m.retained_grad) return;  // leaves always keep .grad
  auto slot = std::make_shared<Tensor>();
  m.retained_grad = slot;
  // The hook shares the slot, not the tensor: no reference cycle.
  m.grad_fn->pre_hooks.push_back({autograd::next_hook_id(), m.output_nr, [slot](const Tensor& g) {
                                    if (!g.defined()) return Tensor();
                                    Tensor d = g.detach();
                                    *slot = slot->defined() ? *slot + d : d.clone();
                                    return Tensor();
                                  }});
}

bool Tensor::retains_grad() const {
  auto* m = impl_->autograd_meta();
  return m && m->grad_fn && m->retained_grad;
}

uint64_t Tensor::register_hook(std::function<Tensor(const Tensor&)> hook) const {
  FT_CHECK(requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  autograd::grad_fn_of(*this);  // a stale view's grad_fn is regenerated first
  auto& m = impl_->ensure_autograd_meta();
  uint64_t id = autograd::next_hook_id();
  if (m.grad_fn) m.grad_fn->pre_hooks.push_back({id, m.output_nr, std::move(hook)});
  else m.hooks.push_back({id, std::move(hook)});
  return id;
}

void Tensor::remove_hook(uint64_t handle) const {
  auto* m = impl_->autograd_meta();
  if (!m) return;
  auto drop = [handle](auto& v, auto key) { v.erase(std::remove_if(v.begin(), v.end(), key), v.end()); };
  drop(m->hooks, [&](const auto& h) { return h.first == handle; });
  drop(m->post_accumulate_hooks, [&](const auto& h) { return h.first == handle; });
  if (m->grad_fn) drop(m->grad_fn->pre_hooks, [&](const auto& h) { return h.id == handle; });
}

uint64_t Tensor::register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook) const {
  FT_CHECK(is_leaf() && requires_grad(), "post accumulate grad hooks cannot be registered on non-leaf tensors");
  uint64_t id = autograd::next_hook_id();
  impl_->ensure_autograd_meta().post_accumulate_hooks.push_back({id, std::move(hook)});
  return id;
}

bool Tensor::is_view() const { return impl_->is_view(); }
bool Tensor::is_inference() const { return impl_->is_inference(); }
Tensor Tensor::_base() const { return impl_->is_view() ? Tensor(impl_->view_base_ptr()) : Tensor(); }

Tensor& Tensor::mutable_grad() { return impl_->ensure_autograd_meta().grad; }

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  return autograd::grad_fn_of(*this);
}

std::string Tensor::grad_fn_name() const {
  auto fn = grad_fn();
  return fn ? fn->name() : "";
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph) const {
  FT_CHECK(requires_grad(), "element 0 of tensors does not require grad and does not have a grad_fn");
  Tensor g = gradient;
  if (!g.defined()) {
    FT_CHECK(numel() == 1, "grad can be implicitly created only for scalar outputs");
    g = ones(sizes(), dtype());
  }
  autograd::backward({*this}, {g}, retain_graph, create_graph);
}

std::vector<double> Tensor::to_double_vector() const {
  std::vector<double> out(static_cast<size_t>(numel()));
  if (numel() == 0) return out;
  Tensor c = detach().contiguous();  // detached: reading values never touches autograd
  FT_DISPATCH_EVERY(dtype(), "to_double_vector", [&] {
    const scalar_t* p = reinterpret_cast<const scalar_t*>(c.data_ptr());
    for (int64_t i = 0; i < numel(); ++i) out[size_t(i)] = kernels::convert<double>(p[i]);
  });
  return out;
}

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream os;
  os << "tensor(";
  auto v = to_double_vector();
  os << std::setprecision(8);
  // Flat print with shape: enough for messages and logs.
  os << "[";
  size_t shown = std::min<size_t>(v.size(), 64);
  for (size_t i = 0; i < shown; ++i) os << (i ? ", " : "") << v[i];
  if (shown < v.size()) os << ", ...";
  os << "], size=" << shape_str(sizes()) << ", dtype=" << dtype_name(dtype());
  if (auto fn = grad_fn()) os << ", grad_fn=<" << fn->name() << ">";
  else if (requires_grad()) os << ", requires_grad=True";
  os << ")";
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.str(); }

}  // namespace ft
