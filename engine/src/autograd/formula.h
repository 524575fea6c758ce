// FormulaNode: the autograd node of every differentiable op, plus the two
// helpers that create and attach it. Shared by derivatives.cpp and the
// per-family derivatives_<family>.cpp files.
//
// Pattern for an op `f(a, b) -> out`:
//   if (auto n = make_node("FBackward0", backward_fn, {&a, &b})) {
//     n->saved = {SavedTensor(a, false)};   // what the formula needs
//     set_history(out, n);
//   }
// backward_fn(node, grad) returns one gradient per input (undefined when
// !node.needs(i)); the engine reduces broadcast gradients and casts dtypes.
#pragma once

#include <functional>
#include <memory>

#include "ft/autograd.h"

namespace ft::autograd {

class FormulaNode : public Node {
 public:
  using Fn = std::vector<Tensor> (*)(FormulaNode&, const Tensor& grad);
  FormulaNode(const char* name, Fn fn) : name_(name), fn_(fn) {}
  std::vector<Tensor> apply(std::vector<Tensor>&& grads) override {
    if (!grads[0].defined()) return std::vector<Tensor>(next_edges_.size());
    for (const auto& s : saved) s.check(this);  // as PyTorch: every saved tensor, read or not
    return fn_(*this, grads[0]);
  }
  std::string name() const override { return name_; }
  // In-place view ops reuse their functional form's node under PyTorch's
  // own name for the in-place overload (squeeze_ -> SqueezeBackward2).
  void rename(const char* name) { name_ = name; }
  void release_saved() override {
    for (auto& s : saved) s.release();
    replay = nullptr;
  }
  std::vector<const SavedTensor*> saved_tensors() const override {
    std::vector<const SavedTensor*> v;
    for (const auto& st : saved) v.push_back(&st);
    return v;
  }
  bool needs(size_t i) const { return i < next_edges_.size() && next_edges_[i].valid(); }
  Tensor saved_at(size_t i) const { return saved[i].unpack(this); }

  // Payload: what the formulas need besides the gradient.
  PoolVector<SavedTensor> saved;
  Scalar alpha;
  DimVector dims;
  uint64_t mask = 0;
  bool keepdim = false;
  int64_t count = 1;
  std::function<Tensor(const Tensor&)> replay;
  // Generic slots for op parameters the formulas of the op families need.
  Scalar scalar, scalar2;
  int64_t dim = 0;
  bool flag = false;
  std::string str;
  std::vector<int64_t> ints;

 private:
  const char* name_;
  Fn fn_;
};

// Creates a node with edges to `inputs` when any of them requires grad.
// Null when grad mode is off or no input requires grad (then record nothing).
std::shared_ptr<FormulaNode> make_node(const char* name, FormulaNode::Fn fn, std::initializer_list<const Tensor*> inputs);
// Makes `node` the grad_fn of `out` (output slot `output_nr`).
void set_history(Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr = 0);

}  // namespace ft::autograd
