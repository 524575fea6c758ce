// Backward formulas of the reduce family (amax/amin, max/min, median,
// cummax/cummin, nansum, prod, logsumexp, var/std, vector norms, cumsum,
// cumprod, softmax/log_softmax), matching PyTorch 1.13's derivatives.yaml.
//
// Gradients are written with engine ops (so they are recorded under
// create_graph); masks and index maps that PyTorch builds from comparisons
// are constants (not differentiable there either) built by `constant_like`.
#include <cmath>
#include <limits>
#include <numeric>

#include "../kernels/cpu/reduce_rows.h"
#include "formula.h"

namespace ft::autograd {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

DimVector mask_dims(uint64_t mask, int64_t ndim) {
  DimVector d;
  for (int64_t i = 0; i < ndim; ++i)
    if (mask & (uint64_t(1) << i)) d.push_back(i);
  return d;
}

// Restores the reduced dims (size 1) of a non-keepdim result.
Tensor restore(const Tensor& t, uint64_t mask, int64_t ndim, bool keepdim) {
  if (keepdim) return t;
  Tensor r = t;
  for (int64_t d = 0; d < ndim; ++d)
    if (mask & (uint64_t(1) << d)) r = r.unsqueeze(d);
  return r;
}

// A constant tensor shaped like `x` (x's dtype): f(x_i, y_i) with y broadcast
// to x's shape. Values pass through double (exact for f32/f64).
template <typename F>
Tensor constant_like(const Tensor& x, const Tensor& y, F f) {
  NoGradGuard ng;
  std::vector<double> xv = x.to_double_vector();
  std::vector<double> yv = y.defined() ? y.detach().expand(x.sizes()).to_double_vector() : std::vector<double>(xv.size());
  std::vector<double> r(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) r[i] = f(xv[i], yv[i]);
  return from_vector(r, x.sizes(), x.dtype());
}

double sgn(double v) { return double((0 < v) - (v < 0)); }  // sgn(NaN) = 0 as PyTorch CPU

// Coordinate along `dim` of every element of `shape`, in logical order.
std::vector<int64_t> coords_along(IntArrayRef shape, int64_t dim) {
  int64_t n = 1, inner = 1;
  for (int64_t s : shape) n *= s;
  for (size_t d = size_t(dim) + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<int64_t> c(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) c[size_t(i)] = shape.empty() ? 0 : (i / inner) % shape[size_t(dim)];
  return c;
}

Tensor sum_keep(const Tensor& t, uint64_t mask, int64_t ndim) {
  DimVector d = mask_dims(mask, ndim);
  return ndim == 0 ? t : t.sum(d, true);
}

}  // namespace

// ---- amax / amin ------------------------------------------------------------------
// mask = (x == amax(x)); d/dx = mask / count(mask): ties share the gradient.
// A NaN result matches nothing: count 0 => g/0 * 0 = NaN over the slice.
void record_amax_like(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       int64_t nd = x.dim();
                       Tensor y = restore(n.saved_at(1), n.mask, nd, n.keepdim);
                       Tensor m = constant_like(x, y, [](double a, double b) { return a == b ? 1.0 : 0.0; });
                       return {(restore(g, n.mask, nd, n.keepdim) / sum_keep(m, n.mask, nd)) * m};
                     },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- max() / min() / median() --------------------------------------------------------
// evenly_distribute_backward: mask = isnan(v) ? isnan(x) : x == v; d/dx = mask * g / count.
void record_evenly(const Tensor& in, Tensor& out, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       Tensor v = n.saved_at(1);
                       bool vnan = std::isnan(v.to_double_vector()[0]);
                       Tensor m = constant_like(x, v, [vnan](double a, double b) {
                         return (vnan ? std::isnan(a) : a == b) ? 1.0 : 0.0;
                       });
                       return {m * (g / m.sum())};
                     },
                     {&in});
  if (!n) return;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- max.dim / min.dim / median.dim ---------------------------------------------------
// value_selecting_reduction_backward: the grad lands on the selected index.
void record_select(const Tensor& in, int64_t dim, bool keepdim, Tensor& values, const Tensor& indices,
                   const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const DimVector& shape = n.input_meta[0].first;
                       int64_t nd = int64_t(shape.size());
                       uint64_t mask = nd == 0 ? 0 : uint64_t(1) << n.dim;
                       Tensor idx = restore(n.saved_at(0), mask, nd, n.keepdim);
                       Tensor gk = restore(g, mask, nd, n.keepdim).expand(shape);
                       std::vector<double> iv = idx.expand(shape).to_double_vector();
                       std::vector<int64_t> c = coords_along(shape, n.dim);
                       std::vector<double> oh(iv.size());
                       for (size_t i = 0; i < iv.size(); ++i) oh[i] = double(c[i]) == iv[i] ? 1.0 : 0.0;
                       return {gk * from_vector(oh, shape, g.dtype())};
                     },
                     {&in});
  if (!n) return;
  n->dim = in.dim() == 0 ? 0 : maybe_wrap_dim(dim, in.dim());
  n->keepdim = keepdim;
  n->saved = {SavedTensor(indices, false)};
  set_history(values, n, 0);
}

// ---- cummax / cummin -----------------------------------------------------------------
// zeros.scatter_add(dim, indices, grad): each output's grad goes to the index
// it copied, accumulated in output order. Built from the differentiable
// scatter_add, so the double backward has grad's part (a gather).
void record_cum_select(const Tensor& in, int64_t dim, Tensor& values, const Tensor& indices, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor idx = n.saved_at(0);
                       // scatter_add_ checks the dim even for a 0-dim input (the
                       // forward accepted any dim there)
                       if (idx.numel() == 0) return {g};
                       if (idx.dim() == 0) (void)maybe_wrap_dim(n.ints.at(0), 0);
                       if (idx.dim() == 0) return {g};
                       return {zeros_like(g).scatter_add(n.dim, idx, g)};
                     },
                     {&in});
  if (!n) return;
  n->dim = (in.dim() == 0 || in.numel() == 0) ? 0 : maybe_wrap_dim(dim, in.dim());
  n->ints = {dim};
  n->saved = {SavedTensor(indices, false)};
  set_history(values, n, 0);
}

// ---- nansum ----------------------------------------------------------------------------
// d/dx nansum = 1 where x is not NaN, else 0.
void record_nansum(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out) {
  auto n = make_node("NansumBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       Tensor m = constant_like(x, Tensor(), [](double a, double) { return std::isnan(a) ? 0.0 : 1.0; });
                       return {restore(g, n.mask, x.dim(), n.keepdim).expand(x.sizes()) * m};
                     },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  n->saved = {SavedTensor(in, false)};
  set_history(out, n);
}

// ---- prod --------------------------------------------------------------------------------
// No zero anywhere: d/dx_i = prod / x_i. Otherwise (prod_safe_zeros_backward)
// d/dx_i = (prod_{j<i} x_j) * (prod_{j>i} x_j): [a, b, c] -> left exclusive
// products [1, a, ab] times right ones [bc, c, 1] = [bc, ac, ab]. Both are
// cumprod ops on a cat/flip of x, so create_graph records them and the second
// derivative exists with zeros in x (libtorch's is built the same way).
// prod() with >= 2 zeros: an all-zero gradient outside the graph, in any grad
// mode (libtorch 1.13's shortcut: its second derivative is zero there too).
namespace {
Tensor prod_exclusive_backward(const Tensor& g, const Tensor& x, int64_t dim) {
  if (x.numel() == 0) return g.expand(x.sizes());
  const int64_t k = x.size(dim);
  if (k == 1) return g;
  DimVector one_sz(x.sizes());
  one_sz[size_t(dim)] = 1;
  Tensor one = ones(one_sz, TensorOptions(g.dtype()));
  Tensor left = cat({one, x.narrow(dim, 0, k - 1)}, dim).cumprod(dim);
  Tensor right = cat({one, x.narrow(dim, 1, k - 1).flip({dim})}, dim).cumprod(dim).flip({dim});
  return g * (left * right);
}
}  // namespace

void record_prod(const Tensor& in, std::optional<int64_t> dim, bool keepdim, Tensor& out, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       Tensor res = n.saved_at(1);
                       if (x.dim() == 0) return {g};
                       Tensor gg = g;
                       if (n.flag && !n.keepdim) {
                         gg = gg.unsqueeze(n.dim);
                         res = res.unsqueeze(n.dim);
                       }
                       int64_t zeros_n = 0;
                       for (double v : x.to_double_vector()) zeros_n += v == 0;
                       if (zeros_n == 0) return {gg * (res / x)};
                       if (n.flag) return {prod_exclusive_backward(gg, x, n.dim)};
                       if (zeros_n > 1) return {zeros(x.sizes(), x.dtype())};
                       return {prod_exclusive_backward(gg, x.reshape({-1}), 0).view(x.sizes())};
                     },
                     {&in});
  if (!n) return;
  n->flag = dim.has_value();  // per-dim form
  n->dim = dim && in.dim() > 0 ? maybe_wrap_dim(*dim, in.dim()) : 0;
  n->keepdim = keepdim;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- logsumexp ----------------------------------------------------------------------------
// d/dx logsumexp = exp(x - logsumexp(x)) = softmax(x)
void record_logsumexp(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out) {
  auto n = make_node("LogsumexpBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       int64_t nd = x.dim();
                       Tensor gk = restore(g, n.mask, nd, n.keepdim), rk = restore(n.saved_at(1), n.mask, nd, n.keepdim);
                       return {gk * (x - rk).exp()};
                     },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- var / std ------------------------------------------------------------------------------
// d var/dx = 2 (x - mean) / (n - correction) with n the reduced count (an
// empty dim list counts as n = 1 here, as PyTorch 1.13's _safe_size does);
// a 0-dim input with n == correction gives g * inf (measured on 1.13).
// d std/dx = d var/dx * g / (2 std), 0 where std == 0.
void record_var_std(const Tensor& in, uint64_t mask, int64_t correction, bool keepdim, bool is_std, Tensor& out,
                    const char* name, bool empty_dim_list) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0);
                       int64_t nd = x.dim();
                       Tensor gg = g;
                       if (n.flag) {  // std: g / (2 std) masked where std == 0
                         Tensor s = n.saved_at(1);
                         Tensor zero = constant_like(s, Tensor(), [](double a, double) { return a == 0 ? 1.0 : 0.0; });
                         Tensor keep = constant_like(s, Tensor(), [](double a, double) { return a == 0 ? 0.0 : 1.0; });
                         gg = (gg / ((s + zero) * scalar_tensor(2.0, std::nullopt, true))) * keep;
                       }
                       int64_t dof = n.count - n.alpha.to_int();
                       if (nd == 0) {
                         if (dof == 0) return {gg * scalar_tensor(kInf, std::nullopt, true)};  // 2/0, whatever x is
                         return {scalar_tensor(2.0 / double(dof), std::nullopt, true) * gg * (x - x.mean())};
                       }
                       if (!n.keepdim && nd > 1) gg = restore(gg, n.mask, nd, false);
                       Tensor mean = x.mean(mask_dims(n.mask, nd), true);
                       return {scalar_tensor(2.0 / double(dof), std::nullopt, true) * gg * (x - mean)};
                     },
                     {&in});
  if (!n) return;
  n->mask = mask;
  n->keepdim = keepdim;
  n->flag = is_std;
  n->alpha = Scalar(correction);
  int64_t cnt = 1;
  if (!empty_dim_list)
    for (int64_t d = 0; d < in.dim(); ++d)
      if (mask & (uint64_t(1) << d)) cnt *= in.size(d);
  n->count = cnt;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- vector norms ------------------------------------------------------------------------
// p = 0: no gradient (undefined, as PyTorch). p = 1: sgn(x) g.
// p = 2: g x / norm, 0 where norm == 0. p = +-inf: sgn(x) g / count on the
// elements with |x| == norm (or NaN), 0 elsewhere.
void record_vector_norm(const Tensor& in, double p, uint64_t mask, bool keepdim, Tensor& out, const char* name,
                        bool zero_norm_masked) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       double p = n.scalar.to_double();
                       if (p == 0) return {Tensor()};
                       Tensor x = n.saved_at(0);
                       int64_t nd = x.dim();
                       Tensor gk = restore(g, n.mask, nd, n.keepdim);
                       Tensor nk = restore(n.saved_at(1), n.mask, nd, n.keepdim);
                       if (p == 1) return {constant_like(x, Tensor(), [](double a, double) { return sgn(a); }) * gk};
                       if (p == 2 && n.flag) return {x * (gk / nk)};  // sqrt(sum(x * x))'s chain
                       if (p == 2) {
                         Tensor safe = nk + constant_like(nk, Tensor(), [](double a, double) { return a == 0 ? 1.0 : 0.0; });
                         return {gk * (x / safe)};
                       }
                       FT_CHECK(std::isinf(p), "linalg_vector_norm backward: ord ", p, " is not supported by the engine yet");
                       Tensor m = constant_like(x, nk, [](double a, double b) {
                         return (std::fabs(a) == b || std::isnan(a)) ? 1.0 : 0.0;
                       });
                       Tensor s = constant_like(x, Tensor(), [](double a, double) { return sgn(a); });
                       return {s * ((gk / sum_keep(m, n.mask, nd)) * m)};
                     },
                     {&in});
  if (!n) return;
  n->scalar = Scalar(p);
  n->mask = mask;
  n->keepdim = keepdim;
  n->flag = !zero_norm_masked;
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- cumsum -----------------------------------------------------------------------------------
// d/dx_i cumsum = sum_{j >= i} g_j: the reversed cumsum of the gradient.
void record_cumsum(const Tensor& in, int64_t dim, Tensor& out, bool reverse) {
  auto n = make_node("CumsumBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       DType in_dt = DType(n.ints.at(0));
                       Tensor gi = g.dtype() == in_dt ? g : g.to(in_dt);
                       // ATen's cumsum_backward passes a gradient with at most one
                       // element along dim through unscanned (so Half never dispatches)
                       if (gi.numel() <= 1 || gi.size(n.dim) == 1) return {gi};
                       return {cumsum_scan(gi, n.dim, !n.flag)};
                     },
                     {&in});
  if (!n) return;
  n->dim = dim;
  n->flag = reverse;  // the backward runs the opposite direction
  n->ints = {int64_t(in.dtype())};
  set_history(out, n);
}

// ---- cumprod ---------------------------------------------------------------------------------
// No zero in the input: d/dx_i = (sum_{j >= i} g_j y_j) / x_i. With zeros,
// per row (PyTorch's O(n) formula): before the first zero z1 the same
// formula on the prefix; at z1: y_{z1-1} * sum_{z1 <= j < z2} g_j prod_{z1<k<=j} x_k;
// after z1: 0. That O(n) pass is a kernel; it runs only without grad mode, as
// in libtorch, whose O(n) path is not differentiable either.
// Under create_graph (libtorch's O(n^2) path): for each k,
// dx_k = sum_{j >= k} g_j * prod_{i <= j, i != k} x_i, the omitted products
// built as prod(x[:k]) * cumprod(x[k+1:]) with engine ops, so they record.
namespace {
Tensor cumprod_backward_graph(const Tensor& g, const Tensor& x, int64_t dim) {
  const int64_t k = x.size(dim);
  DimVector one_sz(x.sizes());
  one_sz[size_t(dim)] = 1;
  Tensor one = ones(one_sz, TensorOptions(g.dtype()));
  std::vector<Tensor> cols;
  cols.reserve(size_t(k));
  for (int64_t i = 0; i < k; ++i) {
    Tensor omitted;  // prod_{c <= j, c != i} x_c for j = i .. k-1
    if (i == 0) {
      omitted = cat({one, x.narrow(dim, 1, k - 1).cumprod(dim)}, dim);
    } else {
      Tensor until = x.narrow(dim, 0, i).prod(dim, true);
      if (i == k - 1) {
        omitted = until;
      } else {
        Tensor from = x.narrow(dim, i + 1, k - i - 1).cumprod(dim);
        omitted = cat({until, until.expand(from.sizes()) * from}, dim);
      }
    }
    cols.push_back((g.narrow(dim, i, k - i) * omitted).sum({dim}));
  }
  return stack(cols, dim);
}
}  // namespace

void record_cumprod(const Tensor& in, int64_t dim, Tensor& out) {
  auto n = make_node("CumprodBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0), y = n.saved_at(1);
                       Tensor gx = g.dtype() == x.dtype() ? g : g.to(x.dtype());  // grad.to(self.dtype)
                       if (x.numel() <= 1 || x.dim() == 0 || x.size(n.dim) == 1) return {gx};
                       bool any_zero = false;
                       for (double v : x.to_double_vector()) any_zero = any_zero || v == 0;
                       if (!any_zero) return {cumsum_scan(y * gx, n.dim, true) / x};
                       if (is_grad_enabled()) return {cumprod_backward_graph(gx, x, n.dim)};
                       // PyTorch 1.13 masked_scatters w = y * grad (promoted) into a
                       // grad-dtype buffer here, which refuses a dtype= result.
                       DType wdt = promote_types(x.dtype(), y.dtype());
                       FT_CHECK(wdt == x.dtype(), "masked_scatter: expected self and source to have same dtypes but got",
                                dtype_torch_name(x.dtype()), " and ", dtype_torch_name(wdt));
                       NoGradGuard ng;
                       // BFloat16 (libtorch composes this pass of BFloat16 tensor ops):
                       // the float pass, rounded once at the end.
                       const bool bf16 = x.dtype() == DType::BFloat16;
                       Tensor xk = bf16 ? x.to(DType::Float32) : x;
                       uint64_t bit = uint64_t(1) << n.dim;
                       kernels::Rows rx = kernels::to_rows(xk, bit), ry = kernels::to_rows(y.to(xk.dtype()), bit),
                                     rg = kernels::to_rows(gx.to(xk.dtype()), bit);
                       Tensor r = zeros({rx.m, rx.k}, xk.dtype());
                       FT_DISPATCH_FLOATING(xk.dtype(), "cumprod_backward", [&] {
                         using T = scalar_t;
                         const int64_t k = rx.k;
                         for (int64_t i = 0; i < rx.m; ++i) {
                           const T* xr = rx.data.data_ptr<T>() + i * k;
                           const T* yr = ry.data.data_ptr<T>() + i * k;
                           const T* gr = rg.data.data_ptr<T>() + i * k;
                           T* rr = r.data_ptr<T>() + i * k;
                           int64_t z1 = 0;
                           while (z1 < k && xr[z1] != 0) ++z1;
                           // [0, z1): reversed cumsum (double acc, as cumsum) of w = y*g, / x
                           // Products go through a volatile so they round before the add:
                           // with -mfma GCC would contract acc + y*g into one fma, which
                           // keeps inf instead of libtorch's inf - inf = NaN (y*g overflowing).
                           double acc = 0;
                           for (int64_t j = z1; j-- > 0;) {
                             volatile T w = yr[j] * gr[j];
                             acc += double(w);
                             rr[j] = T(T(acc) / xr[j]);
                           }
                           if (z1 == k) continue;
                           int64_t z2 = z1 + 1;
                           while (z2 < k && xr[z2] != 0) ++z2;
                           double cp = 1;  // cumprod of x with 1 outside (z1, z2)
                           T sum = 0;
                           for (int64_t j = z1; j < z2; ++j) {
                             if (j > z1) cp *= double(xr[j]);
                             volatile T term = T(cp) * gr[j];  // rounded, as above
                             sum += term;
                           }
                           rr[z1] = T(sum * (z1 == 0 ? T(1) : yr[z1 - 1]));
                         }
                       });
                       Tensor dx = kernels::from_rows(r, xk, rx);
                       return {bf16 ? dx.to(x.dtype()) : dx};
                     },
                     {&in});
  if (!n) return;
  n->dim = in.dim() == 0 ? 0 : maybe_wrap_dim(dim, in.dim());
  n->saved = {SavedTensor(in, false), SavedTensor(out, true)};
  set_history(out, n);
}

// ---- softmax / log_softmax -----------------------------------------------------------------------
// softmax:     dx = y * (g - sum(g * y))
// log_softmax: dx = g - exp(y) * sum(g)
void record_softmax(const Tensor& in, int64_t dim, bool log, Tensor& out) {
  auto n = make_node(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor y = n.saved_at(0);
                       // ATen's backward kernels return before dispatch on an empty
                       // tensor (Half has no exp kernel on CPU)
                       if (y.numel() == 0) return {g};
                       if (y.dim() == 0) return {n.flag ? g - y.exp() * g : y * (g - g * y)};
                       DimVector d{n.dim};
                       if (n.flag) return {g - y.exp() * g.sum(d, true)};
                       return {y * (g - (g * y).sum(d, true))};
                     },
                     {&in});
  if (!n) return;
  n->dim = in.dim() == 0 ? 0 : maybe_wrap_dim(dim, in.dim());
  n->flag = log;
  n->saved = {SavedTensor(out, true)};
  set_history(out, n);
}

}  // namespace ft::autograd
