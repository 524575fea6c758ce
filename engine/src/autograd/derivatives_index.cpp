// Backward formulas of the indexing family, as derivatives.yaml (1.13)
// states them, written with the family's own differentiable ops so that
// double backward records through them: a gather's adjoint is a scatter_add
// into zeros and back, index_select's is index_add, index's is index_put
// with accumulate, masked_select's is masked_scatter, take's is put with
// accumulate. Index tensors and masks are never differentiable.
#include "../ops/index_internal.h"
#include "formula.h"
#include "record_index.h"

namespace ft::autograd {
namespace {

using index_detail::Reduce;

Tensor zeros_of(const FormulaNode& n, size_t input, const Tensor& like) {
  return zeros(n.input_meta[input].first, like.dtype());
}

// source's gradient of index_add / index_copy: the selected slices of grad
// (a 0-dim source takes the single slice).
Tensor source_slices(const Tensor& g, int64_t dim, const Tensor& index, const Tensor& source) {
  return source.dim() > 0 ? g.index_select(dim, index).expand_as(source) : g.index_select(dim, index.squeeze(0));
}

// index lists: the defined tensors are saved in order; n.ints marks which slots hold one.
void save_index_list(FormulaNode& n, const std::vector<std::optional<Tensor>>& indices) {
  for (const auto& i : indices) {
    bool def = i && i->defined();
    n.ints.push_back(def);
    if (def) n.saved.emplace_back(*i, false);
  }
}
List<optional<Tensor>> load_index_list(const FormulaNode& n, size_t first_saved) {
  List<optional<Tensor>> l;
  size_t k = first_saved;
  for (int64_t def : n.ints) l.push_back(def ? optional<Tensor>(n.saved_at(k++)) : std::nullopt);
  return l;
}

// PyTorch's DelayedError: an identity whose backward raises (a derivative
// that exists only to first order).
Tensor delayed_error(const Tensor& t, const char* msg) {
  auto n = make_node("DelayedError",
                     [](FormulaNode& n, const Tensor&) -> std::vector<Tensor> { FT_ERROR(n.str); }, {&t});
  if (!n) return t;
  Tensor r = t.detach();
  n->str = msg;
  set_history(r, n);
  return r;
}

}  // namespace

// ---- gather / scatter ----------------------------------------------------------------------------
// y = x[.., index, ..] along dim: dx = zeros.scatter_add(dim, index, g).
void record_gather(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out) {
  auto n = make_node("GatherBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {ft::scatter_add(zeros_of(n, 0, g), n.dim, n.saved_at(1), g)};
                     },
                     {&self});
  if (!n) return;
  n->saved = {SavedTensor(self, false), SavedTensor(index, false)};
  n->dim = dim;
  set_history(out, n);
}

// y = x with src (or a value) written at index: dx = g with those positions
// zeroed, dsrc = g gathered at index.
void record_scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src, Tensor& out) {
  FormulaNode::Fn fn = [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
    std::vector<Tensor> r(n.next_edges().size());
    const Tensor index = n.saved_at(0);
    if (n.needs(0)) r[0] = g.scatter(n.dim, index, 0);
    if (n.needs(1)) r[1] = g.gather(n.dim, index);
    return r;
  };
  auto n = src ? make_node("ScatterBackward0", fn, {&self, src}) : make_node("ScatterBackward1", fn, {&self});
  if (!n) return;
  n->saved = {SavedTensor(index, false)};
  n->dim = dim;
  set_history(out, n);
}

void record_scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Tensor& out) {
  auto n = make_node("ScatterAddBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {n.needs(0) ? g : Tensor(), n.needs(1) ? g.gather(n.dim, n.saved_at(0)) : Tensor()};
                     },
                     {&self, &src});
  if (!n) return;
  n->saved = {SavedTensor(index, false)};
  n->dim = dim;
  set_history(out, n);
}

// scatter_reduce.two (FunctionsManual's scatter_reduce_backward, 1.13):
//  sum:  dself = g, dsrc = g.gather
//  prod: exclusive products (zeros in self/src handled by masking them to 1)
//  mean: g / N, N = contributions per position (+1 for self)
//  amax/amin: g shared evenly among the elements equal to the result
// without include_self, self's positions that received src get no gradient.
void record_scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, int reduce,
                           bool include_self, Tensor& out) {
  auto n = make_node(
      "ScatterReduceBackward0",
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        const Tensor self = n.saved_at(0), index = n.saved_at(1), src = n.saved_at(2), result = n.saved_at(3);
        const int64_t dim = n.dim;
        const bool inc = n.flag;
        const char* names[] = {"", "sum", "prod", "mean", "amax", "amin"};
        const Reduce r = Reduce(n.count);
        Tensor gs, gsrc;
        if (r == Reduce::Sum) {
          gs = g;
          gsrc = g.gather(dim, index);
        } else if (r == Reduce::Prod) {
          Tensor masked_self = self.masked_fill(self.eq(0), 1);
          Tensor masked_self_result = masked_self.scatter_reduce(dim, index, src, names[n.count], inc);
          gs = g * masked_self_result / masked_self;
          Tensor src_zero = src.eq(0);
          Tensor src_num_zeros =
              ft::zeros_like(self).scatter_add(dim, index, src_zero.to(self.dtype())).gather(dim, index);
          Tensor src_single_zero = ft::bitwise_and(src_zero, src_num_zeros.eq(1));
          Tensor masked_src = src.masked_fill(src_single_zero, 1);
          Tensor masked_src_result = self.scatter_reduce(dim, index, masked_src, names[n.count], inc);
          Tensor gsrc1 = ft::where(src_single_zero, (g * masked_src_result).gather(dim, index),
                                   (g * result).gather(dim, index) / src.masked_fill(src_zero, 1));
          bool many_zeros;
          {
            NoGradGuard ng;
            many_zeros = ft::any(src_num_zeros.gt(1)).item<bool>();
          }
          gsrc = many_zeros ? delayed_error(gsrc1, "scatter_reduce(): Double backward is unsupported for src when "
                                                   ">1 zeros in src are scattered to the same position in self")
                            : gsrc1;
        } else if (r == Reduce::Mean) {
          Tensor N = inc ? ft::ones_like(g) : ft::zeros_like(g);
          N = N.scatter_add(dim, index, ft::ones_like(src));
          N = N.masked_fill(N.eq(0), 1);
          gs = g / N;
          gsrc = g.gather(dim, index) / N.gather(dim, index);
        } else {
          Tensor value = result.gather(dim, index);
          Tensor self_is_result = self.eq(result).to(self.dtype());
          Tensor src_is_result = src.eq(value).to(self.dtype());
          Tensor n_dist = self_is_result.scatter_add(dim, index, src_is_result);
          Tensor g_dist = g / n_dist;
          gs = self.eq(result) * g_dist;
          gsrc = src.eq(value) * g_dist.gather(dim, index);
        }
        if (!inc) gs = gs.scatter(dim, index, 0);
        return {n.needs(0) ? gs : Tensor(), n.needs(1) ? gsrc : Tensor()};
      },
      {&self, &src});
  if (!n) return;
  n->saved = {SavedTensor(self, false), SavedTensor(index, false), SavedTensor(src, false), SavedTensor(out, true)};
  n->dim = dim;
  n->count = reduce;
  n->flag = include_self;
  set_history(out, n);
}

// ---- one dim ----------------------------------------------------------------------------------------
void record_index_select(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out) {
  auto n = make_node("IndexSelectBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {ft::index_add(zeros_of(n, 0, g), n.dim, n.saved_at(0), g)};
                     },
                     {&self});
  if (!n) return;
  n->saved = {SavedTensor(index, false)};
  n->dim = dim;
  set_history(out, n);
}

void record_index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                      const Scalar& alpha, Tensor& out) {
  auto n = make_node("IndexAddBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       std::vector<Tensor> r(2);
                       if (n.needs(0)) r[0] = g;
                       if (n.needs(1)) {
                         r[1] = source_slices(g, n.dim, n.saved_at(0), n.saved_at(1));
                         if (!(n.alpha.is_integral() && n.alpha.to_int() == 1)) r[1] = r[1] * n.alpha;
                       }
                       return r;
                     },
                     {&self, &source});
  if (!n) return;
  n->saved = {SavedTensor(index, false), SavedTensor(source, false)};
  n->dim = dim;
  n->alpha = alpha;
  set_history(out, n);
}

void record_index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Tensor& out) {
  auto n = make_node("IndexCopyBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const Tensor index = n.saved_at(0);
                       return {n.needs(0) ? g.index_fill(n.dim, index, 0) : Tensor(),
                               n.needs(1) ? source_slices(g, n.dim, index, n.saved_at(1)) : Tensor()};
                     },
                     {&self, &source});
  if (!n) return;
  n->saved = {SavedTensor(index, false), SavedTensor(source, false)};
  n->dim = dim;
  set_history(out, n);
}

void record_index_fill(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out) {
  auto n = make_node("IndexFillBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {g.index_fill(n.dim, n.saved_at(0), 0)};
                     },
                     {&self});
  if (!n) return;
  n->saved = {SavedTensor(index, false)};
  n->dim = dim;
  set_history(out, n);
}

// ---- flat --------------------------------------------------------------------------------------------
void record_take(const Tensor& self, const Tensor& index, Tensor& out) {
  auto n = make_node("TakeBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {ft::put(zeros_of(n, 0, g), n.saved_at(1), g, /*accumulate=*/true)};
                     },
                     {&self});
  if (!n) return;
  n->saved = {SavedTensor(self, false), SavedTensor(index, false)};
  set_history(out, n);
}

void record_put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate, Tensor& out) {
  auto n = make_node("PutBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const Tensor index = n.saved_at(0), source = n.saved_at(1);
                       std::vector<Tensor> r(2);
                       if (n.needs(0)) r[0] = n.flag ? g : g.put(index, ft::zeros_like(source), false);
                       if (n.needs(1)) r[1] = g.take(index).reshape(source.sizes());
                       return r;
                     },
                     {&self, &source});
  if (!n) return;
  n->saved = {SavedTensor(index, false), SavedTensor(source, false)};
  n->flag = accumulate;
  set_history(out, n);
}

// ---- masks -------------------------------------------------------------------------------------------
// dself: grad scattered into zeros of the broadcast shape (summed to self's
// by the engine). ATen scatters in place into zeros_like(expanded self),
// which keeps self's memory order, so grad's elements land in that order
// (NOTE [ Memory order ]): the scatter runs on the permuted view, then
// permutes back.
void record_masked_select(const Tensor& self, const Tensor& mask, Tensor& out) {
  auto n = make_node("MaskedSelectBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const Tensor self = n.saved_at(0), mask = n.saved_at(1);
                       const DimVector shape = broadcast_shapes(self.sizes(), mask.sizes());
                       const std::vector<int64_t> perm = index_detail::memory_order(self.expand(shape));
                       std::vector<int64_t> inv(perm.size());
                       for (size_t d = 0; d < perm.size(); ++d) inv[size_t(perm[d])] = int64_t(d);
                       Tensor m = mask.expand(shape).permute(perm);
                       Tensor z = zeros(m.sizes(), g.dtype());
                       return {z.masked_scatter(m, g).permute(inv)};
                     },
                     {&self});
  if (!n) return;
  n->saved = {SavedTensor(self, false), SavedTensor(mask, false)};
  set_history(out, n);
}

// dsource: the masked elements of grad in order, zero-padded to source's numel.
void record_masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source, Tensor& out) {
  auto n = make_node("MaskedScatterBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const Tensor mask = n.saved_at(0);
                       std::vector<Tensor> r(2);
                       if (n.needs(0)) r[0] = g.masked_fill(mask, 0);
                       if (n.needs(1)) {
                         const DimVector& sizes = n.input_meta[1].first;
                         int64_t numel = 1;
                         for (int64_t s : sizes) numel *= s;
                         Tensor sel = g.masked_select(mask);
                         if (numel > sel.numel()) sel = ft::cat({sel, zeros({numel - sel.numel()}, g.dtype())}, 0);
                         r[1] = sel.view(sizes);
                       }
                       return r;
                     },
                     {&self, &source});
  if (!n) return;
  n->saved = {SavedTensor(mask, false)};
  set_history(out, n);
}

// ---- advanced indexing -------------------------------------------------------------------------------
void record_index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, Tensor& out) {
  auto n = make_node("IndexBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {ft::index_put(zeros_of(n, 0, g), load_index_list(n, 0), g, /*accumulate=*/true)};
                     },
                     {&self});
  if (!n) return;
  save_index_list(*n, indices);
  set_history(out, n);
}

void record_index_put(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                      bool accumulate, Tensor& out) {
  auto n = make_node("IndexPutBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const List<optional<Tensor>> idx = load_index_list(n, 0);
                       std::vector<Tensor> r(2);
                       if (n.needs(0))
                         r[0] = n.flag ? g : ft::index_put(g, idx, zeros({}, g.dtype()).expand(n.input_meta[1].first),
                                                           false);
                       if (n.needs(1)) r[1] = ft::index(g, idx);
                       return r;
                     },
                     {&self, &values});
  if (!n) return;
  save_index_list(*n, indices);
  n->flag = accumulate;
  set_history(out, n);
}

}  // namespace ft::autograd
