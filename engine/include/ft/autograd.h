// Autograd: graph nodes, edges, grad mode, and the backward entry points.
//
// NOTE [ Autograd graph ]
// Each differentiable op that sees an input requiring grad creates one Node.
// A Node owns its saved tensors and `next_edges` (one per differentiable
// input: the producer's Node and that producer's output slot). Leaves get an
// AccumulateGrad node, held weakly by the leaf so the graph owns the leaf and
// not the other way round. Every Node has a sequence number from a global
// counter; the engine runs ready nodes highest-sequence-first, so the order of
// execution and of gradient accumulation is a pure function of the program
// (the Deterministic Autograd Contract, promise 1).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ft/tensor.h"

namespace ft::autograd {

class Node;

// Node bookkeeping lives in the small-object pool (NOTE [ Small-object pool ]).
template <typename T>
using PoolVector = std::vector<T, pool::Allocator<T>>;

struct Edge {
  std::shared_ptr<Node> fn;  // null: the input does not need a gradient
  uint32_t input_nr = 0;     // which input slot of fn receives the gradient
  bool valid() const { return bool(fn); }
};

// A tensor saved for backward with the version it had when saved.
class SavedTensor {
 public:
  SavedTensor() = default;
  SavedTensor(const Tensor& t, bool is_output);
  // After a backward without retain_graph: later unpacks raise PyTorch's
  // "Trying to backward through the graph a second time" error.
  void release() { data_ = Tensor(); released_ = true; }
  // Raises PyTorch's "modified by an inplace operation" error if the tensor
  // was written in place since it was saved.
  Tensor unpack(const Node* owner) const;
  // The checks of unpack without the unpacking: PyTorch unpacks every saved
  // tensor of a node before running its formula, so a stale one raises even
  // when the formula would not read it.
  void check(const Node* owner) const;
  bool defined() const { return data_.defined(); }
  // For provenance records: the data (no version check) and its saved version.
  const Tensor& peek() const { return data_; }
  uint32_t saved_version() const { return saved_version_; }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  bool is_output_ = false;
  bool released_ = false;
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // grads[i] is the gradient w.r.t. output i (may be undefined = zero);
  // returns one gradient per next edge (undefined = no contribution).
  virtual std::vector<Tensor> apply(std::vector<Tensor>&& grads) = 0;
  virtual std::string name() const = 0;
  virtual void release_saved() {}
  // Saved tensors, for provenance records (versions and content hashes).
  virtual std::vector<const SavedTensor*> saved_tensors() const { return {}; }

  // Hooks on the gradient of forward output `output_nr`, run before the node
  // (Tensor::register_hook on a non-leaf, retain_grad). A hook may return a
  // replacement gradient (defined) or leave it (undefined return).
  using GradHook = std::function<Tensor(const Tensor&)>;
  struct PreHook {
    uint64_t id;
    uint32_t output_nr;
    GradHook fn;
  };
  std::vector<PreHook> pre_hooks;

  uint64_t sequence_nr() const { return seq_; }
  // Anomaly mode: the forward op that created this node (else null).
  const char* forward_op() const { return forward_op_; }
  PoolVector<Edge>& next_edges() { return next_edges_; }
  const PoolVector<Edge>& next_edges() const { return next_edges_; }
  uint32_t num_outputs() const { return num_outputs_; }
  void set_num_outputs(uint32_t n) { num_outputs_ = n; }
  // Forward-output metadata (to make zero gradients for unused outputs) and
  // forward-input metadata per next edge (the engine reduces broadcast
  // gradients and casts dtypes to match, as PyTorch's validate_outputs does).
  PoolVector<std::pair<DimVector, DType>> output_meta;
  PoolVector<std::pair<DimVector, DType>> input_meta;

 protected:
  PoolVector<Edge> next_edges_;
  uint64_t seq_;                 // INVARIANT: unique, increasing in creation order
  const char* forward_op_ = nullptr;
  uint32_t num_outputs_ = 1;
};

// Accumulates incoming gradients into a leaf's .grad.
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(Tensor variable);
  std::vector<Tensor> apply(std::vector<Tensor>&& grads) override;
  std::string name() const override { return "torch::autograd::AccumulateGrad"; }
  Tensor variable;  // strong: the graph keeps the leaf alive
};

struct AutogradMeta {
  FT_POOLED_CLASS  // NOTE [ Small-object pool ]
  Tensor grad;
  std::shared_ptr<Node> grad_fn;            // null for leaves
  std::weak_ptr<Node> grad_accumulator;     // leaves only
  uint32_t output_nr = 0;
  bool requires_grad = false;               // leaves: set by the user
  // Leaf hooks (run by AccumulateGrad before / after accumulating) and the
  // retained gradient of a non-leaf (shared with the hook that fills it, so
  // the node never points at the tensor).
  std::vector<std::pair<uint64_t, Node::GradHook>> hooks;
  std::vector<std::pair<uint64_t, std::function<void(const Tensor&)>>> post_accumulate_hooks;
  std::shared_ptr<Tensor> retained_grad;
};

// Grad mode (thread-local), as torch.no_grad / torch.enable_grad.
bool is_grad_enabled();
void set_grad_enabled(bool enabled);
struct NoGradGuard {
  bool prev;
  NoGradGuard() : prev(is_grad_enabled()) { set_grad_enabled(false); }
  ~NoGradGuard() { set_grad_enabled(prev); }
};

// Inference mode (thread-local), as torch.inference_mode: no autograd at
// all, and tensors made inside are "inference tensors", which may not be
// saved for backward, written in place outside inference mode, or made to
// require grad. A view made inside of a normal tensor is normal but refuses
// in-place writes outside (PyTorch's CreationMeta::INFERENCE_MODE).
bool is_inference_mode_enabled();
struct InferenceModeGuard {
  bool prev_inference, prev_grad;
  InferenceModeGuard();
  ~InferenceModeGuard();
};

// Anomaly detection (global, as torch.autograd.set_detect_anomaly): nodes
// remember the forward op that made them, and a backward node that returns a
// NaN raises naming itself and that op.
void set_detect_anomaly(bool enabled);
bool is_anomaly_enabled();
struct DetectAnomalyGuard {
  bool prev;
  DetectAnomalyGuard() : prev(is_anomaly_enabled()) { set_detect_anomaly(true); }
  ~DetectAnomalyGuard() { set_detect_anomaly(prev); }
};

// Clears the .grad of each tensor: set_to_none=true drops it, false zeroes it
// in place (PyTorch 1.13's default). Shared by Module and Optimizer.
void zero_grad(const std::vector<Tensor>& params, bool set_to_none);
struct EnableGradGuard {
  bool prev;
  EnableGradGuard() : prev(is_grad_enabled()) { set_grad_enabled(true); }
  ~EnableGradGuard() { set_grad_enabled(prev); }
};

// t's grad_fn; for a view whose base (or a sibling view) was written in place
// since its grad_fn was made, first regenerates it as an AsStridedBackward0
// from the base's current history (see NOTE [ Views and their base ]).
std::shared_ptr<Node> grad_fn_of(const Tensor& t);

// PyTorch's check_inplace: before an in-place write to `self` by an op whose
// result requires grad, refuse leaves that require grad, views of such
// leaves, and views made in no_grad mode or by multi-output functions.
void check_inplace(const Tensor& self, bool op_requires_grad);

// The edge that a gradient for `t` must flow into (grad_fn or the leaf's
// accumulator); invalid when t does not require grad.
Edge gradient_edge(const Tensor& t);
// True when grad mode is on and any input requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> ts);

// Runs backward from `roots` with `grad_roots` (same length), accumulating
// into the leaves' .grad (only into `inputs`' .grad when given). retain_graph
// defaults to create_graph, as in PyTorch.
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots,
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const std::vector<Tensor>& inputs = {});

// torch.autograd.grad: the gradients of `outputs` w.r.t. `inputs`, returned
// instead of accumulated. grad_outputs may be empty (one-element outputs get
// ones). An input the graph does not reach raises unless allow_unused (then
// its gradient is undefined).
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                         bool create_graph = false, bool allow_unused = false);

// Unique ids for hooks (Tensor::register_hook returns one).
uint64_t next_hook_id();

}  // namespace ft::autograd
