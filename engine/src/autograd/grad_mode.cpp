// Thread-local grad mode and the gradient-edge helpers used by every op.
#include "ft/autograd.h"
#include "ft/hardened.h"
#include "../ops/op_helpers.h"

namespace ft::autograd {
namespace {
thread_local bool grad_enabled = true;
thread_local bool inference_enabled = false;
std::atomic<bool> anomaly_enabled{false};
std::atomic<uint64_t> next_sequence_nr{0};
std::atomic<uint64_t> hook_ids{1};
}  // namespace

uint64_t next_hook_id() { return hook_ids.fetch_add(1, std::memory_order_relaxed); }

bool is_grad_enabled() { return grad_enabled; }
void set_grad_enabled(bool e) { grad_enabled = e; }

Node::Node() : seq_(next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {
  if (anomaly_enabled.load(std::memory_order_relaxed)) forward_op_ = detail::current_op;
}

bool is_inference_mode_enabled() { return inference_enabled; }
InferenceModeGuard::InferenceModeGuard() : prev_inference(inference_enabled), prev_grad(grad_enabled) {
  inference_enabled = true;
  grad_enabled = false;
}
InferenceModeGuard::~InferenceModeGuard() {
  inference_enabled = prev_inference;
  grad_enabled = prev_grad;
}

void set_detect_anomaly(bool enabled) { anomaly_enabled.store(enabled); }
bool is_anomaly_enabled() { return anomaly_enabled.load(std::memory_order_relaxed); }

Edge gradient_edge(const Tensor& t) {
  if (t.impl()->is_view()) {
    if (auto fn = grad_fn_of(t)) return {fn, t.impl()->autograd_meta()->output_nr};
  }
  auto* m = t.impl()->autograd_meta();
  if (!m) return {};
  if (m->grad_fn) return {m->grad_fn, m->output_nr};
  // Only a leaf the user marked gets an accumulator: a view made under
  // no_grad of a tensor that requires grad reports requires_grad (through
  // its base) but its gradient goes nowhere, as in PyTorch.
  if (!m->requires_grad) return {};
  auto acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

bool any_requires_grad(std::initializer_list<const Tensor*> ts) {
  if (!grad_enabled) return false;
  for (const Tensor* t : ts)
    if (t->defined() && t->requires_grad()) return true;
  return false;
}

SavedTensor::SavedTensor(const Tensor& t, bool is_output)
    : data_(is_output ? t.detach() : t), saved_version_(t._version()), is_output_(is_output) {
  FT_CHECK(!(t.defined() && t.impl()->is_inference()),
           "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal "
           "tensor and use it in autograd.");
  // Make sure the counter exists now, so a later in-place write is visible.
  if (t.defined()) t.impl()->shared_version();
}

Tensor SavedTensor::unpack(const Node* owner) const {
  check(owner);
  if (!data_.defined()) return data_;
  // A saved output is stored detached (a strong link back to its own node would
  // be a cycle). When a formula runs under create_graph it must see the output
  // of `owner`, or the gradient would not depend on the input (double backward
  // of exp/tanh): re-attach it on unpack, as PyTorch's SavedVariable does.
  if (is_output_ && owner && is_grad_enabled()) {
    Tensor t = data_.detach();  // same storage and version counter
    auto& m = t.impl()->ensure_autograd_meta();
    m.grad_fn = std::const_pointer_cast<Node>(owner->shared_from_this());
    m.output_nr = 0;
    return t;
  }
  return data_;
}

void SavedTensor::check(const Node* owner) const {
  FT_CHECK(!released_,
           "Trying to backward through the graph a second time (or directly access saved tensors after they have "
           "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
           "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
           "if you need to access saved tensors after calling backward.");
  if (!data_.defined()) return;
  uint32_t now = data_._version();
  if (now != saved_version_) {
    std::string who;
    if (is_output_) who = detail::str_cat(", which is output 0 of ", owner->name(), ",");
    else if (auto* m = data_.impl()->autograd_meta(); m && m->grad_fn)
      who = detail::str_cat(", which is output 0 of ", m->grad_fn->name(), ",");
    std::string msg = detail::str_cat(
        "one of the variables needed for gradient computation has been modified by an inplace operation: [",
        "torch.", dtype_torch_name(data_.dtype()), "Tensor ", shape_str(data_.sizes()), "]", who,
        " is at version ", now, "; expected version ", saved_version_,
        " instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True).");
    // NOTE [ Engine interventions ] in ft/hardened.h.
    if (hardened::active())
      hardened::report("saved_tensor_version",
                       detail::str_cat("a tensor saved by ", owner ? owner->name() : std::string("a node"),
                                       " was modified in place (version ", saved_version_, " -> ", now,
                                       ") before backward used it"));
    FT_ERROR(msg);
  }
}

namespace {
bool obeys_layout_contract(const Tensor& g, const Tensor& var) {
  if (!ops::is_non_overlapping_and_dense(var)) return g.is_contiguous();
  for (int64_t d = 0; d < g.dim(); ++d) {
    if (g.size(d) != 1) {
      if (g.stride(d) != var.stride(d)) return false;
    } else if (g.stride(d) == 0) {
      return false;
    }
  }
  return true;
}

Tensor clone_obey_contract(const Tensor& g, const Tensor& var) {
  NoGradGuard ng;
  Tensor out = ops::is_non_overlapping_and_dense(var) ? empty_strided(var.sizes(), var.strides(), g.dtype())
                                                      : empty(g.sizes(), g.dtype());
  out.copy_(g);
  return out;
}
}  // namespace

AccumulateGrad::AccumulateGrad(Tensor v) : variable(std::move(v)) {
  input_meta.push_back({DimVector(variable.sizes()), variable.dtype()});
}

std::vector<Tensor> AccumulateGrad::apply(std::vector<Tensor>&& grads) {
  Tensor g = std::move(grads[0]);
  if (!g.defined()) return {};
  auto& meta = variable.impl()->ensure_autograd_meta();
  for (auto& [id, hook] : meta.hooks) {  // leaf hooks see (and may replace) the incoming gradient
    Tensor r = hook(g);
    if (r.defined()) g = r;
  }
  if (!meta.grad.defined()) {
    if (is_grad_enabled()) {
      meta.grad = g;  // create_graph: keep the graph of the gradient
    } else {
      // Steal the buffer when nobody else holds it and it has the leaf's
      // layout; otherwise copy into the leaf's layout (PyTorch's gradient
      // layout contract: .grad strides match the parameter's, so optimizers
      // and later accumulations run over matching dense memory).
      meta.grad = g.impl_ptr().use_count() == 1 && obeys_layout_contract(g, variable) ? g.detach()
                                                                                        : clone_obey_contract(g, variable);
    }
  } else if (is_grad_enabled()) {
    meta.grad = meta.grad + g;
  } else {
    meta.grad.add_(g);  // in place: a user's reference to .grad sees the sum
  }
  for (auto& [id, hook] : meta.post_accumulate_hooks) hook(variable);
  return {};
}

void zero_grad(const std::vector<Tensor>& params, bool set_to_none) {
  for (Tensor p : params) {  // a handle copy: the grad slot lives in the shared impl
    Tensor& g = p.mutable_grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      g = Tensor();
    } else {
      NoGradGuard ng;
      g = g.detach();
      g.zero_();
    }
  }
}

}  // namespace ft::autograd
