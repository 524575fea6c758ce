// gradcheck / gradgradcheck (see ft/gradcheck.h).
#include "ft/gradcheck.h"

#include <cmath>
#include <random>
#include <sstream>

#include "ft/autograd.h"
#include "ft/ops.h"

namespace ft::autograd {
namespace {

// Evaluates f and flattens every output into one float64 vector. Grad mode
// stays as the caller has it: gradgradcheck's function computes gradients
// itself, which under no_grad would come out empty.
std::vector<double> eval_flat(const DiffFn& f, const std::vector<Tensor>& xs) {
  std::vector<double> out;
  for (const Tensor& y : f(xs)) {
    if (!y.defined() || !y.is_floating_point()) continue;
    auto v = y.to_double_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

// Detached float64 copies of the inputs, requires_grad as the originals.
std::vector<Tensor> fresh_inputs(const std::vector<Tensor>& xs) {
  std::vector<Tensor> r;
  for (const Tensor& x : xs) {
    Tensor c = x.detach().clone();
    if (x.requires_grad()) c.requires_grad_(true);
    r.push_back(c);
  }
  return r;
}

// Perturbed copies are new leaves: they must require grad as the original
// does, or a function that differentiates its inputs (gradgradcheck's)
// would see a different function.
void keep_requires_grad(Tensor& p, Tensor& m, const Tensor& original) {
  if (!original.requires_grad()) return;
  p.requires_grad_(true);
  m.requires_grad_(true);
}

// Every evaluation of the function must return as many elements as the first.
void check_same_size(const std::vector<double>& a, const std::vector<double>& b, size_t n) {
  FT_CHECK(a.size() == n && b.size() == n, "gradcheck: the function returned ", a.size(), " and ", b.size(),
           " output elements where its first evaluation returned ", n, "; it must return the same outputs every time");
}

// The element `k` (row-major) of a contiguous copy, by pointer.
double* elem(Tensor& contiguous_f64, int64_t k) { return contiguous_f64.data_ptr<double>() + k; }

// Numerical J column for input i, element k: (f(x + eps e_k) - f(x - eps e_k)) / 2eps.
std::vector<double> numeric_column(const DiffFn& f, const std::vector<Tensor>& xs, size_t i, int64_t k, double eps,
                                   size_t n_out) {
  std::vector<Tensor> p = fresh_inputs(xs), m = fresh_inputs(xs);
  {
    NoGradGuard ng;
    p[i] = p[i].contiguous().clone();
    m[i] = m[i].contiguous().clone();
    *elem(p[i], k) += eps;
    *elem(m[i], k) -= eps;
  }
  keep_requires_grad(p[i], m[i], xs[i]);
  auto fp = eval_flat(f, p), fm = eval_flat(f, m);
  check_same_size(fp, fm, n_out);
  std::vector<double> col(fp.size());
  for (size_t r = 0; r < fp.size(); ++r) col[r] = (fp[r] - fm[r]) / (2 * eps);
  return col;
}

// Analytical v^T J for every input (grad with grad_outputs built from the flat v).
std::vector<std::vector<double>> analytic_vjp(const DiffFn& f, const std::vector<Tensor>& xs,
                                              const std::vector<double>& v, bool create_graph) {
  std::vector<Tensor> in = fresh_inputs(xs);
  std::vector<Tensor> outs = f(in), diff_outs, gos;
  size_t off = 0;
  for (const Tensor& y : outs) {
    if (!y.defined() || !y.is_floating_point()) continue;
    FT_CHECK(off + size_t(y.numel()) <= v.size(), "gradcheck: the function returned ", off + size_t(y.numel()),
                      " output elements, more than the ", v.size(), " of an earlier evaluation (is it deterministic?)");
    std::vector<double> slice(v.begin() + long(off), v.begin() + long(off + size_t(y.numel())));
    off += size_t(y.numel());
    if (!y.requires_grad()) continue;
    diff_outs.push_back(y);
    gos.push_back(from_vector(slice, y.sizes(), y.dtype()));
  }
  std::vector<Tensor> wrt;
  for (const Tensor& x : in)
    if (x.requires_grad()) wrt.push_back(x);
  std::vector<std::vector<double>> res;
  if (diff_outs.empty()) {
    for (const Tensor& x : wrt) res.emplace_back(size_t(x.numel()), 0.0);
    return res;
  }
  auto gs = grad(diff_outs, wrt, gos, std::nullopt, create_graph, /*allow_unused=*/true);
  for (size_t i = 0; i < gs.size(); ++i)
    res.push_back(gs[i].defined() ? gs[i].to_double_vector() : std::vector<double>(size_t(wrt[i].numel()), 0.0));
  return res;
}

bool close(double a, double n, const GradcheckOptions& o) { return std::fabs(a - n) <= o.atol + o.rtol * std::fabs(n); }

}  // namespace

GradcheckResult gradcheck(const DiffFn& f, const std::vector<Tensor>& inputs, const GradcheckOptions& opt) {
  GradcheckResult res;
  for (const Tensor& x : inputs)
    FT_CHECK(!x.requires_grad() || x.dtype() == DType::Float64,
             "gradcheck expects float64 inputs (finite differences in lower precision are meaningless)");
  const size_t n_out = eval_flat(f, inputs).size();
  std::vector<size_t> diff_idx;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].requires_grad()) diff_idx.push_back(i);
  auto fail = [&](const std::string& m, double err) {
    if (res.ok) res.message = m;
    res.ok = false;
    res.max_abs_err = std::max(res.max_abs_err, err);
  };

  if (opt.fast_mode) {
    std::mt19937_64 rng(opt.seed);
    std::normal_distribution<double> nd;
    std::vector<double> v(n_out);
    for (double& x : v) x = nd(rng);
    auto vj = analytic_vjp(f, inputs, v, false);
    for (size_t j = 0; j < diff_idx.size(); ++j) {
      size_t i = diff_idx[j];
      int64_t n = inputs[i].numel();
      std::vector<double> u(static_cast<size_t>(n));
      for (double& x : u) x = nd(rng);
      // Numerical directional derivative along u, projected on v.
      std::vector<Tensor> p = fresh_inputs(inputs), m = fresh_inputs(inputs);
      {
        NoGradGuard ng;
        Tensor ut = from_vector(u, inputs[i].sizes(), DType::Float64);
        p[i] = p[i].detach() + ut * opt.eps;
        m[i] = m[i].detach() - ut * opt.eps;
      }
      keep_requires_grad(p[i], m[i], inputs[i]);
      auto fp = eval_flat(f, p), fm = eval_flat(f, m);
      check_same_size(fp, fm, n_out);
      double num = 0, ana = 0;
      for (size_t r = 0; r < n_out; ++r) num += v[r] * (fp[r] - fm[r]) / (2 * opt.eps);
      for (size_t k = 0; k < u.size(); ++k) ana += vj[j][k] * u[k];
      double err = std::fabs(ana - num);
      res.max_abs_err = std::max(res.max_abs_err, err);
      if (!close(ana, num, opt)) {
        std::ostringstream os;
        os << "Jacobian mismatch for input " << i << " (fast mode): v^T J u analytical " << ana << " vs numerical " << num;
        fail(os.str(), err);
      }
    }
    return res;
  }

  // Slow mode: analytical rows via one-hot grad_outputs, numerical columns by differences.
  std::vector<std::vector<std::vector<double>>> rows(n_out);  // rows[r][j][k] = dOut_r / dIn_j[k]
  for (size_t r = 0; r < n_out; ++r) {
    std::vector<double> v(n_out, 0.0);
    v[r] = 1.0;
    rows[r] = analytic_vjp(f, inputs, v, false);
    if (opt.nondet_tol >= 0) {
      auto again = analytic_vjp(f, inputs, v, false);
      for (size_t j = 0; j < again.size(); ++j)
        for (size_t k = 0; k < again[j].size(); ++k)
          if (std::fabs(again[j][k] - rows[r][j][k]) > opt.nondet_tol) {
            std::ostringstream os;
            os << "Backward is not reentrant: two evaluations of output " << r << " w.r.t. input " << diff_idx[j]
               << " element " << k << " differ by " << std::fabs(again[j][k] - rows[r][j][k])
               << " (nondet_tol " << opt.nondet_tol << ")";
            fail(os.str(), 0);
          }
    }
  }
  for (size_t j = 0; j < diff_idx.size(); ++j) {
    size_t i = diff_idx[j];
    for (int64_t k = 0; k < inputs[i].numel(); ++k) {
      auto col = numeric_column(f, inputs, i, k, opt.eps, n_out);
      for (size_t r = 0; r < n_out; ++r) {
        double a = rows[r][j][size_t(k)], n = col[r];
        double err = std::fabs(a - n);
        res.max_abs_err = std::max(res.max_abs_err, err);
        if (!close(a, n, opt)) {
          std::ostringstream os;
          os << "Jacobian mismatch for output " << r << " with respect to input " << i << " element " << k
             << ": analytical " << a << " vs numerical " << n;
          fail(os.str(), err);
        }
      }
    }
  }
  return res;
}

GradcheckResult gradgradcheck(const DiffFn& f, const std::vector<Tensor>& inputs, const GradcheckOptions& opt) {
  // Outputs' shapes decide the extra grad_output inputs v (random, requiring grad).
  std::vector<Tensor> outs;
  {
    NoGradGuard ng;
    outs = f(fresh_inputs(inputs));
  }
  std::mt19937_64 rng(opt.seed + 1);
  std::normal_distribution<double> nd;
  std::vector<Tensor> all = inputs;
  std::vector<size_t> out_idx;
  for (size_t o = 0; o < outs.size(); ++o) {
    if (!outs[o].defined() || !outs[o].is_floating_point()) continue;
    std::vector<double> v(size_t(outs[o].numel()));
    for (double& x : v) x = nd(rng);
    all.push_back(from_vector(v, outs[o].sizes(), DType::Float64).requires_grad_(true));
    out_idx.push_back(o);
  }
  const size_t n_in = inputs.size();
  DiffFn g = [f, n_in, out_idx](const std::vector<Tensor>& xs) {
    std::vector<Tensor> x(xs.begin(), xs.begin() + long(n_in));
    std::vector<Tensor> ys = f(x), diff_outs, gos, wrt;
    for (size_t k = 0; k < out_idx.size(); ++k)
      if (ys[out_idx[k]].requires_grad()) {
        diff_outs.push_back(ys[out_idx[k]]);
        gos.push_back(xs[n_in + k]);
      }
    for (const Tensor& t : x)
      if (t.requires_grad()) wrt.push_back(t);
    // Unused inputs get zeros, so that every evaluation has the same outputs.
    std::vector<Tensor> gs;
    if (!diff_outs.empty()) gs = grad(diff_outs, wrt, gos, true, /*create_graph=*/true, /*allow_unused=*/true);
    gs.resize(wrt.size());
    for (size_t i = 0; i < wrt.size(); ++i)
      if (!gs[i].defined()) gs[i] = zeros(wrt[i].sizes(), wrt[i].dtype());
    return gs;
  };
  return gradcheck(g, all, opt);
}

}  // namespace ft::autograd
