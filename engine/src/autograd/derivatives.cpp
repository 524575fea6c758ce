// ALL backward formulas, each next to the function that records its node.
//
// Formulas are written with engine ops, so with create_graph they are
// themselves recorded (double backward). Broadcast reduction and dtype casts
// of the returned gradients happen in the engine (see validate() in engine.cpp).
#include <numeric>

#include "../kernels/cpu/pointwise.h"
#include "../ops/op_helpers.h"
#include "record.h"

namespace ft::autograd {
namespace {

class FormulaNode : public Node {
 public:
  using Fn = std::vector<Tensor> (*)(FormulaNode&, const Tensor& grad);
  FormulaNode(const char* name, Fn fn) : name_(name), fn_(fn) {}
  std::vector<Tensor> apply(std::vector<Tensor>&& grads) override {
    if (!grads[0].defined()) return std::vector<Tensor>(next_edges_.size());
    return fn_(*this, grads[0]);
  }
  std::string name() const override { return name_; }
  void release_saved() override {
    for (auto& s : saved) s.release();
    replay = nullptr;
  }
  bool needs(size_t i) const { return i < next_edges_.size() && next_edges_[i].valid(); }
  Tensor saved_at(size_t i) const { return saved[i].unpack(this); }

  // Payload: what the formulas need besides the gradient.
  std::vector<SavedTensor> saved;
  Scalar alpha;
  DimVector dims;
  uint64_t mask = 0;
  bool keepdim = false;
  int64_t count = 1;
  std::function<Tensor(const Tensor&)> replay;

 private:
  const char* name_;
  Fn fn_;
};

// Creates a node with edges to `inputs` when any of them requires grad.
std::shared_ptr<FormulaNode> make_node(const char* name, FormulaNode::Fn fn, std::initializer_list<const Tensor*> inputs) {
  if (!any_requires_grad(inputs)) return nullptr;
  auto n = std::make_shared<FormulaNode>(name, fn);
  for (const Tensor* t : inputs) {
    n->next_edges().push_back(gradient_edge(*t));
    n->input_meta.push_back({DimVector(t->sizes()), t->dtype()});
  }
  return n;
}

void set_history(Tensor& out, const std::shared_ptr<Node>& node) {
  auto& m = out.impl()->ensure_autograd_meta();
  m.grad_fn = node;
  m.output_nr = 0;
  node->output_meta.push_back({DimVector(out.sizes()), out.dtype()});
}

// 0 where x <= 0 else 1, in x's dtype (not differentiable: a constant mask).
// NaN gets 1: PyTorch's threshold_backward passes the gradient where
// !(result <= 0).
Tensor positive_mask(const Tensor& x) {
  NoGradGuard ng;
  Tensor out = empty(x.sizes(), x.dtype());
  Tensor xc = x.contiguous();
  FT_DISPATCH_ALL(x.dtype(), "threshold_backward", [&] {
    using T = scalar_t;
    kernels::unary_loop<T>(out, xc, xc.strides(), [](T v) { return v <= T(0) ? T(0) : T(1); });
  });
  return out;
}

// Gradient of a reduction: unsqueeze the reduced dims (unless keepdim) and expand.
Tensor expand_reduced(const Tensor& g, const FormulaNode& n) {
  const DimVector& in_shape = n.input_meta[0].first;
  Tensor r = g;
  if (!n.keepdim)
    for (size_t d = 0; d < in_shape.size(); ++d)
      if (n.mask & (uint64_t(1) << d)) r = r.unsqueeze(int64_t(d));
  return r.expand(in_shape);
}

}  // namespace

// ---- add / sub ---------------------------------------------------------------
// d(a + alpha*b)/da = 1, d/db = alpha (sub: -alpha)
void record_add(const Tensor& a, const Tensor& b, const Scalar& alpha, bool is_sub, Tensor& out) {
  auto n = make_node(is_sub ? "SubBackward0" : "AddBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor gb;
                       if (n.needs(1)) gb = n.alpha.to_double() == 1.0 ? g : g * n.alpha;
                       return {n.needs(0) ? g : Tensor(), gb};
                     },
                     {&a, &b});
  if (!n) return;
  n->alpha = is_sub ? Scalar(-alpha.to_double()) : Scalar(alpha.to_double());
  set_history(out, n);
}

// ---- mul -------------------------------------------------------------------------
// d(a*b)/da = b, d(a*b)/db = a
void record_mul(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node("MulBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor ga, gb;
                       if (n.needs(0)) ga = g * n.saved_at(1);
                       if (n.needs(1)) gb = g * n.saved_at(0);
                       return {ga, gb};
                     },
                     {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// ---- div -------------------------------------------------------------------------
// d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -(a/b)/b
void record_div(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node("DivBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor ga, gb;
                       Tensor bb = n.saved_at(1);
                       if (n.needs(0)) ga = g / bb;
                       if (n.needs(1)) gb = -g * ((n.saved_at(0) / bb) / bb);
                       return {ga, gb};
                     },
                     {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// ---- unary -----------------------------------------------------------------------
void record_unary(Unary k, const Tensor& in, Tensor& out) {
  std::shared_ptr<FormulaNode> n;
  switch (k) {
    case Unary::Neg:  // d(-x) = -1
      n = make_node("NegBackward0", [](FormulaNode&, const Tensor& g) -> std::vector<Tensor> { return {-g}; }, {&in});
      break;
    case Unary::Exp:  // d/dx exp = exp(x) = result
      n = make_node("ExpBackward0",
                    [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {g * n.saved_at(0)}; }, {&in});
      if (n) n->saved = {SavedTensor(out, true)};
      break;
    case Unary::Log:  // d/dx log = 1/x
      n = make_node("LogBackward0",
                    [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {g / n.saved_at(0)}; }, {&in});
      if (n) n->saved = {SavedTensor(in, false)};
      break;
    case Unary::Tanh:  // d/dx tanh = 1 - tanh^2
      n = make_node("TanhBackward0",
                    [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                      Tensor y = n.saved_at(0);
                      return {g * (ones({}, y.dtype()) - y * y)};
                    },
                    {&in});
      if (n) n->saved = {SavedTensor(out, true)};
      break;
    case Unary::Relu:  // d/dx relu = 1 if result > 0 else 0 (0 at the kink, as PyTorch)
      n = make_node("ReluBackward0",
                    [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                      return {g * positive_mask(n.saved_at(0))};
                    },
                    {&in});
      if (n) n->saved = {SavedTensor(out, true)};
      break;
  }
  if (n) set_history(out, n);
}

// ---- reductions ------------------------------------------------------------------
// d sum/dx_i = 1: the gradient broadcast back over the reduced dims.
void record_sum(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out) {
  auto n = make_node("SumBackward1",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {expand_reduced(g, n)}; },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  set_history(out, n);
}

// d mean/dx_i = 1/count
void record_mean(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out) {
  auto n = make_node("MeanBackward1",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {expand_reduced(g, n) / scalar_tensor(double(n.count), std::nullopt, true)};
                     },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  for (int64_t d = 0; d < in.dim(); ++d)
    if (mask & (uint64_t(1) << d)) n->count *= in.sizes()[size_t(d)];
  set_history(out, n);
}

// ---- linear algebra ---------------------------------------------------------------
// C = A B: dA = dC B^T, dB = A^T dC
void record_mm(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node("MmBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor ga, gb;
                       if (n.needs(0)) ga = g.mm(n.saved_at(1).t());
                       if (n.needs(1)) gb = n.saved_at(0).t().mm(g);
                       return {ga, gb};
                     },
                     {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// matmul: promote 1-D operands to matrices, then dA = dC B^T and dB = A^T dC
// summed over broadcast batch dims, then back to the operands' shapes.
void record_matmul(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node("MatmulBackward0",  // PyTorch decomposes matmul; the name is ours
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor A = n.saved_at(0), B = n.saved_at(1);
                       const int64_t da = A.dim(), db = B.dim();
                       if (da == 1 && db == 1) return {n.needs(0) ? g * B : Tensor(), n.needs(1) ? g * A : Tensor()};
                       Tensor A2 = da == 1 ? A.unsqueeze(0) : A;
                       Tensor B2 = db == 1 ? B.unsqueeze(1) : B;
                       Tensor G = g;
                       if (da == 1) G = G.unsqueeze(-2);
                       if (db == 1) G = G.unsqueeze(-1);
                       Tensor ga, gb;
                       if (n.needs(0)) ga = sum_to(G.matmul(B2.transpose(-1, -2)), A2.sizes()).reshape(A.sizes());
                       if (n.needs(1)) gb = sum_to(A2.transpose(-1, -2).matmul(G), B2.sizes()).reshape(B.sizes());
                       return {ga, gb};
                     },
                     {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// ---- copies and conversions ---------------------------------------------------------
// clone / contiguous / to(dtype): the identity (the engine casts back to the input dtype).
void record_to(const Tensor& in, Tensor& out) {
  bool same = in.dtype() == out.dtype();
  auto n = make_node(same ? "CloneBackward0" : "ToCopyBackward0",
                     [](FormulaNode&, const Tensor& g) -> std::vector<Tensor> { return {g}; }, {&in});
  if (n) set_history(out, n);
}

// self.copy_(src): self's old value is overwritten (zero gradient), src gets
// the gradient reduced to its shape and cast to its dtype.
void record_copy(Tensor& self, const Tensor& src) {
  if (!any_requires_grad({&self, &src})) return;
  auto n = make_node("CopyBackwards",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {n.needs(0) ? zeros_like(g) : Tensor(), n.needs(1) ? g : Tensor()};
                     },
                     {&self, &src});
  set_history(self, n);
}

void rebase_history(Tensor& self, const Tensor& result) {
  auto* rm = result.impl()->autograd_meta();
  if (!rm || !rm->grad_fn) return;
  auto& m = self.impl()->ensure_autograd_meta();
  m.grad_fn = rm->grad_fn;
  m.output_nr = rm->output_nr;
}

// ---- views ------------------------------------------------------------------------------
// Reshape-like: reshape the gradient back. Permute: apply the inverse
// permutation. Expand: sum over the expanded dims. Strided (slice, select,
// as_strided): scatter the gradient into zeros shaped like the input.
void record_view(const Tensor& in, Tensor& out, ViewKind kind, DimVector dims,
                 std::function<Tensor(const Tensor&)> replay, const char* name) {
  FormulaNode::Fn fn = nullptr;
  switch (kind) {
    case ViewKind::Reshape:
      fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {g.reshape(n.input_meta[0].first)}; };
      break;
    case ViewKind::Permute:
      fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        DimVector inv(n.dims.size());
        for (size_t i = 0; i < n.dims.size(); ++i) inv[size_t(n.dims[i])] = int64_t(i);
        return {g.permute(inv)};
      };
      break;
    case ViewKind::Expand:
      fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {sum_to(g, n.input_meta[0].first)}; };
      break;
    case ViewKind::Strided:
      fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        Tensor z = zeros(n.input_meta[0].first, g.dtype());
        Tensor v = n.replay(z);
        v.copy_(g);
        return {z};
      };
      break;
  }
  auto n = make_node(name, fn, {&in});
  if (!n) return;
  n->dims = std::move(dims);
  n->replay = std::move(replay);
  set_history(out, n);
}

}  // namespace ft::autograd
