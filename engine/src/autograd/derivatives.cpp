// ALL backward formulas, each next to the function that records its node.
//
// Formulas are written with engine ops, so with create_graph they are
// themselves recorded (double backward). Broadcast reduction and dtype casts
// of the returned gradients happen in the engine (see validate() in engine.cpp).
#include <algorithm>
#include <cstring>
#include <numeric>

#include "../kernels/cpu/pointwise.h"
#include "../ops/op_helpers.h"
#include "formula.h"
#include "record.h"

namespace ft::autograd {
namespace {

// threshold_backward(g, y) = g where !(y <= 0) else 0, as a differentiable
// function of g (itself again) with a zero derivative in y. Under
// create_graph the result stays connected to the graph, so a second
// backward through relu runs (and gives zeros for y) as in PyTorch.
Tensor threshold_backward(const Tensor& g, const Tensor& y) {
  Tensor out;
  {
    // A select, not a product: an infinite gradient where y <= 0 gives 0, not NaN.
    NoGradGuard ng;
    Tensor gc = g.contiguous(), yc = y.to(g.dtype()).contiguous();
    out = empty(g.sizes(), g.dtype());
    FT_DISPATCH_FLOATING_AND_BF16(g.dtype(), "threshold_backward", [&] {
      using T = scalar_t;
      kernels::binary_loop<T, T>(out, gc, gc.strides(), yc, yc.strides(),
                                 [](T gv, T yv) { return yv <= T(0) ? T(0) : gv; });
    });
  }
  if (auto n = make_node("ThresholdBackwardBackward0",
                         [](FormulaNode& n, const Tensor& gg) -> std::vector<Tensor> {
                           Tensor y = n.saved_at(0);
                           return {n.needs(0) ? threshold_backward(gg, y) : Tensor(),
                                   n.needs(1) ? zeros_like(y) : Tensor()};
                         },
                         {&g, &y})) {
    n->saved = {SavedTensor(y, false)};
    set_history(out, n);
  }
  return out;
}

// True when two different indices of t can address the same element (an
// as_strided view with overlapping windows): with dims sorted by stride, each
// stride must exceed the span reachable through the smaller ones.
bool may_overlap(const Tensor& t) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size)
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.size(d) > 1) dims.push_back({t.stride(d), t.size(d)});
  std::sort(dims.begin(), dims.end());
  int64_t span = 0;
  for (auto [stride, size] : dims) {
    if (stride <= span) return true;
    span += stride * (size - 1);
  }
  return false;
}

// Zeros shaped like a strided view's input; for as_strided (n.dims = the
// input's strides) also laid out like it, since its replay addresses memory.
Tensor zeros_laid_out_like_input(const FormulaNode& n, IntArrayRef shape, DType dt) {
  if (n.dims.empty()) return zeros(shape, dt);
  Tensor z = empty_strided(shape, n.dims, dt);
  std::memset(z.data_ptr(), 0, z.impl()->storage()->nbytes());  // (a stride-0 input cannot be zero_()ed)
  return z;
}

// PyTorch's names for the backward of a strided view's backward.
const char* scatter_backward_name(const std::string& view_node) {
  if (view_node == "SliceBackward0") return "SliceBackwardBackward0";
  if (view_node == "SelectBackward0") return "SelectBackwardBackward0";
  return "AsStridedBackward0";  // as_strided's backward is itself an as_strided view
}

// dst[i] += src[i] one element at a time, so an element of dst that several
// indices alias receives every contribution (scatter-add; not recorded).
// The 16-bit floats round after every addition, as ATen's kernel does.
void accumulate_into(const Tensor& dst, const Tensor& src) {
  NoGradGuard ng;
  DimVector sst = ops::expanded_strides(src, dst.sizes());
  FT_DISPATCH_FLOATING_AND2(dst.dtype(), "as_strided_backward", [&] {
    using T = scalar_t;
    using O = opmath_t<T>;
    auto geo = kernels::make_geometry<2>(dst.sizes(), {dst.strides(), IntArrayRef(sst)},
                                         {int64_t(sizeof(T)), int64_t(sizeof(T))});
    kernels::run_geometry(geo, {static_cast<char*>(dst.data_ptr()), static_cast<char*>(src.data_ptr())},
                          [](char** p, const int64_t* s, int64_t n) {
                            for (int64_t i = 0; i < n; ++i)
                              *reinterpret_cast<T*>(p[0] + i * s[0]) =
                                  T(O(*reinterpret_cast<T*>(p[0] + i * s[0])) +
                                    O(*reinterpret_cast<const T*>(p[1] + i * s[1])));
                          });
  });
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
  // Save only what the formula of an input that requires grad reads, as
  // PyTorch does (a tensor not saved cannot make backward raise).
  n->saved = {b.requires_grad() ? SavedTensor(a, false) : SavedTensor(),
              a.requires_grad() ? SavedTensor(b, false) : SavedTensor()};
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
  n->saved = {b.requires_grad() ? SavedTensor(a, false) : SavedTensor(), SavedTensor(b, false)};  // a: only for d/db
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
                      return {threshold_backward(g, n.saved_at(0))};
                    },
                    {&in});
      if (n) n->saved = {SavedTensor(out, true)};
      break;
  }
  if (n) set_history(out, n);
}

// ---- reductions ------------------------------------------------------------------
// d sum/dx_i = 1: the gradient broadcast back over the reduced dims.
void record_sum(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {expand_reduced(g, n)}; },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  set_history(out, n);
}

// d mean/dx_i = 1/count
void record_mean(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name) {
  auto n = make_node(name,
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
  rebase_history(self, n, 0, self.sizes(), self.dtype());
}

// self.fill_(v) / self.zero_(): the old value is overwritten, so the history
// before the write gets a zero gradient (PyTorch: FillBackward2 / ZeroBackward0).
void record_fill(Tensor& self, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode&, const Tensor& g) -> std::vector<Tensor> { return {zeros_like(g)}; }, {&self});
  rebase_history(self, n, 0, self.sizes(), self.dtype());
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
      // Scatter g into zeros shaped like the input. The scatter is linear in g
      // and its derivative is the view itself, so under create_graph z gets a
      // node that replays the view on its gradient (double backward).
      fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        Tensor z;
        {
          NoGradGuard ng;
          z = zeros_laid_out_like_input(n, n.input_meta[0].first, g.dtype());
          Tensor v = n.replay(z);
          if (may_overlap(v)) accumulate_into(v, g);  // overlapping as_strided windows: sum, don't overwrite
          else v.copy_(g);
        }
        auto back = make_node(scatter_backward_name(n.name()),
                              [](FormulaNode& b, const Tensor& gz) -> std::vector<Tensor> {
                                if (b.dims.empty()) return {b.replay(gz)};
                                Tensor laid = zeros_laid_out_like_input(b, gz.sizes(), gz.dtype());
                                laid.copy_(gz);  // recorded: differentiable w.r.t. gz
                                return {b.replay(laid)};
                              },
                              {&g});
        if (back) {
          back->replay = n.replay;
          back->dims = n.dims;
          set_history(z, back);
        }
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
