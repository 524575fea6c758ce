// Backward formulas of the shape family (cat, flip, roll, repeat,
// repeat_interleave, tril/triu, diag, diag_embed) and diagonal_backward,
// matching PyTorch 1.13's derivatives.yaml. Every formula is a linear map of
// the gradient written with engine ops (views, copies, sums), so it is
// recorded under create_graph and double backward works. The view ops of
// the family (diagonal, unfold, split/chunk/unbind outputs, movedim) go
// through record_view (derivatives.cpp) instead.
#include <numeric>

#include "formula.h"
#include "ft/ops.h"
#include "record_shape.h"

namespace ft::autograd {
namespace {

// make_node for a list of inputs of any length (cat's TensorList).
std::shared_ptr<FormulaNode> make_list_node(const char* name, FormulaNode::Fn fn, const std::vector<Tensor>& ins) {
  if (!is_grad_enabled()) return nullptr;
  bool any = false;
  for (const Tensor& t : ins) any = any || (t.defined() && t.requires_grad());
  if (!any) return nullptr;
  auto n = std::allocate_shared<FormulaNode>(pool::Allocator<FormulaNode>(), name, fn);
  n->next_edges().reserve(ins.size());
  n->input_meta.reserve(ins.size());
  for (const Tensor& t : ins) {
    n->next_edges().push_back(gradient_edge(t));
    n->input_meta.push_back({DimVector(t.sizes()), t.dtype()});
  }
  return n;
}

bool is_legacy_empty(IntArrayRef s) { return s.size() == 1 && s[0] == 0; }

}  // namespace

// d cat(x_0..x_k, dim) / d x_i = grad.narrow(dim, offset_i, size_i): the
// gradient is split back along dim. Inputs cat skipped (1-D, size 0) get an
// empty gradient (cat_tensors_backward).
void record_cat(const std::vector<Tensor>& ins, int64_t dim, Tensor& out) {
  auto n = make_list_node("CatBackward0",
                          [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                            std::vector<Tensor> r(n.input_meta.size());
                            int64_t offset = 0;
                            for (size_t i = 0; i < r.size(); ++i) {
                              const DimVector& s = n.input_meta[i].first;
                              if (is_legacy_empty(s)) {
                                if (n.needs(i)) r[i] = zeros({0}, g.dtype());
                                continue;
                              }
                              int64_t len = s[size_t(n.dim)];
                              if (n.needs(i)) r[i] = g.narrow(n.dim, offset, len);
                              offset += len;
                            }
                            return r;
                          },
                          ins);
  if (!n) return;
  n->dim = dim;
  set_history(out, n);
}

// flip is its own inverse (a permutation matrix that is symmetric): grad.flip(dims).
void record_flip(const Tensor& in, DimVector dims, Tensor& out) {
  auto n = make_node("FlipBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> { return {g.flip(n.dims)}; }, {&in});
  if (!n) return;
  n->dims = std::move(dims);
  set_history(out, n);
}

// roll is a cyclic permutation; its adjoint is the opposite roll: grad.roll(-shifts, dims).
void record_roll(const Tensor& in, std::vector<int64_t> shifts, std::vector<int64_t> dims, Tensor& out) {
  auto n = make_node("RollBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       std::vector<int64_t> neg(n.ints.size());
                       for (size_t i = 0; i < neg.size(); ++i) neg[i] = -n.ints[i];
                       return {g.roll(neg, n.dims)};
                     },
                     {&in});
  if (!n) return;
  n->ints = std::move(shifts);
  n->dims = DimVector(IntArrayRef(dims));
  set_history(out, n);
}

// repeat tiles x r_d times along each dim (new leading dims for extra
// repeats): d/dx = the sum of grad over the tiles. View grad as
// (r_0, s_0, r_1, s_1, ...) and sum the r dims (repeat_backward); a zero
// repeat means no element of x was used.
void record_repeat(const Tensor& in, std::vector<int64_t> repeats, Tensor& out) {
  auto n = make_node("RepeatBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const DimVector& in_shape = n.input_meta[0].first;
                       const std::vector<int64_t>& rep = n.ints;
                       if (std::find(rep.begin(), rep.end(), 0) != rep.end()) return {zeros(in_shape, g.dtype())};
                       size_t lead = rep.size() - in_shape.size();
                       DimVector split_shape, sum_dims;
                       for (size_t d = 0; d < rep.size(); ++d) {
                         int64_t s = d < lead ? 1 : in_shape[d - lead];
                         sum_dims.push_back(int64_t(split_shape.size()));
                         split_shape.push_back(rep[d]);
                         split_shape.push_back(s);
                       }
                       Tensor r = g.reshape(split_shape);
                       if (!sum_dims.empty()) r = r.sum(sum_dims);
                       return {r.reshape(in_shape)};
                     },
                     {&in});
  if (!n) return;
  n->ints = std::move(repeats);
  set_history(out, n);
}

// repeat_interleave copies slice i of src (along dim) counts[i] times in a
// row: d/dsrc_i = the sum of grad over its counts[i] consecutive slices. With
// one count r for all: view grad's dim as (n, r) and sum r; otherwise sum
// each segment. A flattened input gets the gradient reshaped back.
void record_repeat_interleave(const Tensor& in, std::vector<int64_t> counts, int64_t dim, bool flattened, Tensor& out) {
  auto n = make_node("RepeatInterleaveBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const DimVector& in_shape = n.input_meta[0].first;
                       const std::vector<int64_t>& c = n.ints;
                       int64_t d = n.dim;
                       DimVector src_shape = n.flag ? DimVector{std::accumulate(in_shape.begin(), in_shape.end(),
                                                                                int64_t(1), std::multiplies<>())}
                                                    : in_shape;
                       bool uniform = std::all_of(c.begin(), c.end(), [&](int64_t v) { return v == c[0]; });
                       Tensor r;
                       if (c.empty() || (uniform && c[0] == 0)) {
                         r = zeros(src_shape, g.dtype());
                       } else if (uniform) {
                         DimVector split_shape(src_shape);
                         split_shape.insert(size_t(d) + 1, c[0]);
                         r = g.reshape(split_shape).sum({d + 1});
                       } else {
                         std::vector<Tensor> parts;
                         int64_t offset = 0;
                         for (int64_t k : c) {
                           parts.push_back(g.narrow(d, offset, k).sum({d}, /*keepdim=*/true));
                           offset += k;
                         }
                         r = cat(parts, d);
                       }
                       return {r.reshape(in_shape)};
                     },
                     {&in});
  if (!n) return;
  n->ints = std::move(counts);
  n->dim = dim;
  n->flag = flattened;
  set_history(out, n);
}

// tril/triu zero a fixed set of positions: the gradient is masked the same way.
void record_tri(const Tensor& in, int64_t k, bool lower, Tensor& out) {
  auto n = make_node(lower ? "TrilBackward0" : "TriuBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {n.flag ? g.tril(n.dim) : g.triu(n.dim)};
                     },
                     {&in});
  if (!n) return;
  n->dim = k;
  n->flag = lower;
  set_history(out, n);
}

// diag(v, k) for a vector places v on the k-th diagonal: d/dv = grad.diagonal(k).
// diag(M, k) for a matrix reads the k-th diagonal: d/dM = zeros with grad on
// that diagonal (diagonal_backward).
void record_diag(const Tensor& in, int64_t k, Tensor& out) {
  auto n = make_node("DiagBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const DimVector& s = n.input_meta[0].first;
                       if (s.size() == 1) return {g.diagonal(n.dim)};
                       return {diagonal_backward(g, s, n.dim, 0, 1)};
                     },
                     {&in});
  if (!n) return;
  n->dim = k;
  set_history(out, n);
}

// diag_embed writes x on the (offset, dim1, dim2) diagonal of zeros: d/dx = grad.diagonal(offset, dim1, dim2).
void record_diag_embed(const Tensor& in, int64_t offset, int64_t dim1, int64_t dim2, Tensor& out) {
  auto n = make_node("DiagEmbedBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {g.diagonal(n.ints[0], n.ints[1], n.ints[2])};
                     },
                     {&in});
  if (!n) return;
  n->ints = {offset, dim1, dim2};
  set_history(out, n);
}

void record_raising(const Tensor& in, const char* node_name, std::string message, Tensor& out) {
  auto n = make_node(node_name, [](FormulaNode& n, const Tensor&) -> std::vector<Tensor> { FT_ERROR(n.str); }, {&in});
  if (!n) return;
  n->str = std::move(message);
  set_history(out, n);
}

void record_not_implemented(const Tensor& in, const char* op, Tensor& out) {
  record_raising(in, "NotImplemented", std::string("the derivative for '") + op + "' is not implemented.", out);
}

}  // namespace ft::autograd

namespace ft {

// zeros(input_sizes) with grad written on the diagonal. Linear in grad; its
// own derivative reads that diagonal back: d/dgrad = gz.diagonal(offset, dim1, dim2).
Tensor diagonal_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t offset, int64_t dim1, int64_t dim2) {
  FT_OP_SCOPE("diagonal_backward");
  Tensor z;
  {
    autograd::NoGradGuard ng;
    z = zeros(input_sizes, grad.dtype());
    z.diagonal(offset, dim1, dim2).copy_(grad);
  }
  auto n = autograd::make_node("DiagonalBackwardBackward0",
                               [](autograd::FormulaNode& n, const Tensor& gz) -> std::vector<Tensor> {
                                 return {gz.diagonal(n.ints[0], n.ints[1], n.ints[2])};
                               },
                               {&grad});
  if (n) {
    n->ints = {offset, dim1, dim2};
    autograd::set_history(z, n);
  }
  return z;
}

}  // namespace ft
