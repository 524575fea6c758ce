// Backward of the primitive losses, written with engine ops so that double
// backward works, in the order of ATen 1.13's backward kernels. With
// d = x - t, g the incoming gradient and norm = 1 / numel(x) for "mean"
// (else 1); the target's gradient is the same formula with x and t swapped
// (mse, smooth_l1, huber), as libtorch's derivatives.yaml has it:
//   mse:        dx = 2 norm d g
//   smooth_l1:  dx = norm g * (-1 | d / beta | 1)     (d <= -beta | inside | d >= beta)
//   huber:      dx = norm g * (-delta | d | delta)
//   bce:        dx = g (x - t) / max((1 - x) x, eps) w norm,   dt = -logit(x) g w norm
//   bce logits: dx = ((pw t + 1 - t) sigmoid(x) - pw t) g w norm   (pw = 1: sigmoid(x) - t)
//               dt = (log sigmoid(-x) - pw log sigmoid(x)) g w norm (pw = 1: -x)
//   nll:        dx[i, t_i] = -w[t_i] g (/ total_weight for "mean"), 0 elsewhere
// bce's backward is itself a node (BinaryCrossEntropyBackwardBackward0)
// whose formulas are libtorch's (with its eps placement), so the second
// derivative agrees at the clamped ends x = 0 and x = 1 too.
#include "../ops/loss_internal.h"
#include "formula.h"
#include "ft/ops.h"
#include "record_loss.h"

namespace ft::autograd {
namespace {

// ATen's binary_cross_entropy_backward clamps with a float constant
// (1e-12f = 9.99999996e-13); its double-backward formulas use the double 1e-12.
constexpr double kBceEps = 1e-12;
constexpr double kBceBackwardEps = double(1e-12f);

double mean_norm(int64_t reduction, const Tensor& t, double scale = 1.0) {
  return reduction == Reduction::Mean ? scale / double(t.numel()) : scale;
}

// ---- mse / smooth_l1 / huber -------------------------------------------------------------

// d/dx of the loss at x for the other operand y, scaled by g (x's numel for the mean).
Tensor point_grad(PointLoss kind, const Tensor& x, const Tensor& y, const Tensor& g, int64_t reduction, double p) {
  Tensor d = x - y;
  if (kind == PointLoss::Mse) return d * Scalar(mean_norm(reduction, x, 2.0)) * g;
  const double norm = mean_norm(reduction, x);
  if (kind == PointLoss::SmoothL1) {
    // beta = 0 never takes the quadratic branch; zeros there keep its
    // second derivative 0 instead of 0 / 0 (libtorch's special case too).
    Tensor quad = p > 0 ? div(d * Scalar(norm) * g, Scalar(p)) : zeros_like(d);
    return where(d.le(Scalar(-p)), g * Scalar(-norm), where(d.ge(Scalar(p)), g * Scalar(norm), quad));
  }
  return where(d.le(Scalar(-p)), g * Scalar(-norm) * Scalar(p),
               where(d.ge(Scalar(p)), g * Scalar(norm) * Scalar(p), d * Scalar(norm) * g));
}

std::vector<Tensor> point_loss_backward(FormulaNode& n, const Tensor& g) {
  const PointLoss kind = PointLoss(n.dim);
  Tensor x = n.saved_at(0), t = n.saved_at(1);
  // libtorch 1.13's mse and smooth_l1 backward kernels have no Half (huber's has).
  FT_CHECK_KIND(ErrorKind::NotImplemented, kind == PointLoss::Huber || g.dtype() != DType::Float16, "\"",
                kind == PointLoss::Mse ? "mse_backward_cpu_out" : "smooth_l1_backward_cpu_out",
                "\" not implemented for 'Half'");
  const double p = n.scalar.to_double();
  std::vector<Tensor> out(2);
  if (n.needs(0)) out[0] = point_grad(kind, x, t, g, n.count, p);
  // libtorch differentiates the target with the same backward, operands
  // swapped (which differs from -dx only where both branch tests hold: d = 0, beta = 0).
  if (n.needs(1)) out[1] = point_grad(kind, t, x, g, n.count, p);
  return out;
}

const char* point_name(PointLoss k) {
  return k == PointLoss::Mse ? "MseLossBackward0" : k == PointLoss::SmoothL1 ? "SmoothL1LossBackward0"
                                                                            : "HuberLossBackward0";
}

void check_not_differentiable(const Tensor& t, const char* op, const char* arg) {
  FT_CHECK(!t.defined() || !t.requires_grad() || !is_grad_enabled(), "The function '", op,
           "' is not differentiable with respect to argument '", arg, "'. This input cannot have requires_grad True.");
}

// ---- binary_cross_entropy ----------------------------------------------------------------

Tensor weighted(const Tensor& v, const Tensor& w, int64_t reduction, const Tensor& numel_of) {
  Tensor r = w.defined() ? v * w : v;
  return reduction == Reduction::Mean ? div(r, Scalar(double(numel_of.numel()))) : r;
}

// 1 - x as -x + 1 (the same value in IEEE arithmetic).
Tensor one_minus_(const Tensor& x) { return x.neg() + Scalar(1); }

void record_bce_backward(const Tensor& grad, const Tensor& x, const Tensor& t, const Tensor& w, int64_t reduction,
                         Tensor& out);

// g (x - t) / max((1 - x) x, eps) [* w] [/ numel]: binary_cross_entropy_backward.
Tensor bce_backward(const Tensor& g, const Tensor& x, const Tensor& t, const Tensor& w, int64_t reduction) {
  Tensor r;
  {
    NoGradGuard ng;
    r = weighted(g * (x - t) / (one_minus_(x) * x).clamp(Scalar(kBceBackwardEps)), w, reduction, x);
  }
  record_bce_backward(g, x, t, w, reduction, r);
  return r;
}

// libtorch's binary_cross_entropy_double_backward{,_grad_output,_target}.
std::vector<Tensor> bce_backward_backward(FormulaNode& n, const Tensor& gg) {
  Tensor g = n.saved_at(0), x = n.saved_at(1), t = n.saved_at(2);
  Tensor w = n.flag ? n.saved_at(3) : Tensor();
  const int64_t red = n.count;
  Tensor xe = x + Scalar(kBceEps), ome = one_minus_(x) + Scalar(kBceEps);
  std::vector<Tensor> out(3);
  if (n.needs(0)) {
    Tensor ggo = weighted((x - t) / (xe * ome) * gg, w, Reduction::None, x);
    out[0] = red == Reduction::Mean ? div(ggo.sum(), Scalar(double(x.numel())))
             : red == Reduction::Sum ? ggo.sum() : ggo;
  }
  if (n.needs(1)) {
    Tensor num = x * x - x * t * Scalar(2) + t;
    out[1] = weighted(num / (xe * xe * ome * ome) * (gg * g), w, red, x);
  }
  if (n.needs(2)) {
    Tensor denom;
    {
      NoGradGuard ng;
      denom = (one_minus_(x) * x).clamp(Scalar(kBceEps));
    }
    out[2] = weighted((gg * g).neg(), w, Reduction::None, x) / denom;
    if (red == Reduction::Mean) out[2] = div(out[2], Scalar(double(t.numel())));
  }
  return out;
}

void record_bce_backward(const Tensor& grad, const Tensor& x, const Tensor& t, const Tensor& w, int64_t reduction,
                         Tensor& out) {
  auto n = make_node("BinaryCrossEntropyBackwardBackward0", bce_backward_backward, {&grad, &x, &t});
  if (!n) return;
  n->count = reduction;
  n->flag = w.defined();
  n->saved = {SavedTensor(grad, false), SavedTensor(x, false), SavedTensor(t, false)};
  if (w.defined()) n->saved.push_back(SavedTensor(w, false));
  set_history(out, n);
}

std::vector<Tensor> bce_loss_backward(FormulaNode& n, const Tensor& g) {
  Tensor x = n.saved_at(0), t = n.saved_at(1);
  Tensor w = n.flag ? n.saved_at(2) : Tensor();
  std::vector<Tensor> out(2);
  if (n.needs(0)) out[0] = bce_backward(g, x, t, w, n.count);
  if (n.needs(1)) out[1] = weighted(x.logit().neg() * g, w, n.count, t);
  return out;
}

// ---- binary_cross_entropy_with_logits ----------------------------------------------------

// x: ((pw t + 1 - t) sigmoid(x) - pw t) g, or (sigmoid(x) - t) g; t:
// (logsig(-x) - pw logsig(x)) g, or -x g; then [* w] [/ numel].
std::vector<Tensor> bce_logits_backward(FormulaNode& n, const Tensor& g) {
  Tensor x = n.saved_at(0), t = n.saved_at(1);
  Tensor w = n.ints[0] ? n.saved_at(2) : Tensor();
  Tensor pw = n.ints[1] ? n.saved_at(n.ints[0] ? 3 : 2) : Tensor();
  std::vector<Tensor> out(2);
  if (n.needs(0)) {
    Tensor gi;
    if (pw.defined()) {
      Tensor pt = pw * t;
      gi = (pt + Scalar(1) - t) * x.sigmoid() - pt;
    } else {
      gi = x.sigmoid() - t;
    }
    out[0] = weighted(gi * g, w, n.count, x);
  }
  if (n.needs(1)) {
    // logsig(-x) = -softplus(x), logsig(x) = -softplus(-x).
    Tensor gt = pw.defined() ? softplus(x.neg()) * pw - softplus(x) : x.neg();
    out[1] = weighted(gt * g, w, n.count, t);
  }
  return out;
}

// ---- nll_loss ------------------------------------------------------------------------------

std::vector<Tensor> nll_backward(FormulaNode& n, const Tensor& g) {
  if (!n.needs(0)) return {Tensor()};
  Tensor x = n.saved_at(0), t = n.saved_at(1);
  // libtorch's nll_loss2d_backward writes into zeros_like(self), which keeps
  // the strides of a dense permuted input, and then refuses it.
  FT_CHECK(n.ints.empty() || x.is_contiguous() || !ops::is_non_overlapping_and_dense(x),
           "grad_input must be contiguous");
  Tensor w = n.flag ? n.saved_at(3) : Tensor();
  // Only the targets' positions are written (elsewhere 0 even when the
  // scale is inf or NaN, e.g. every target ignored under "mean").
  Tensor coef, at_target;
  {
    NoGradGuard ng;
    coef = detail::nll_target_weights(x.detach(), t, w, n.dim);
    at_target = detail::nll_target_weights(x.detach(), t, Tensor(), n.dim).ne(Scalar(0));
  }
  Tensor scale;
  if (n.count == Reduction::None && x.dim() >= 2) scale = g.neg().unsqueeze(1);  // (N, 1, ...)
  else if (n.count == Reduction::Mean) scale = (g / n.saved_at(2)).neg();
  else scale = g.neg();
  return {where(at_target, coef * scale, Scalar(0.0))};
}

}  // namespace

void record_point_loss(PointLoss kind, const Tensor& self, const Tensor& target, int64_t reduction, double param,
                       Tensor& out) {
  auto n = make_node(point_name(kind), point_loss_backward, {&self, &target});
  if (!n) return;
  n->dim = int64_t(kind);
  n->count = reduction;
  n->scalar = param;
  n->saved = {SavedTensor(self, false), SavedTensor(target, false)};
  set_history(out, n);
}

void record_bce(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction, Tensor& out) {
  check_not_differentiable(weight, "binary_cross_entropy", "weight");
  auto n = make_node("BinaryCrossEntropyBackward0", bce_loss_backward, {&self, &target});
  if (!n) return;
  n->count = reduction;
  n->flag = weight.defined();
  n->saved = {SavedTensor(self, false), SavedTensor(target, false)};
  if (weight.defined()) n->saved.push_back(SavedTensor(weight, false));
  set_history(out, n);
}

void record_bce_with_logits(const Tensor& self, const Tensor& target, const Tensor& weight, const Tensor& pos_weight,
                            int64_t reduction, Tensor& out) {
  check_not_differentiable(weight, "binary_cross_entropy_with_logits", "weight");
  check_not_differentiable(pos_weight, "binary_cross_entropy_with_logits", "pos_weight");
  auto n = make_node("BinaryCrossEntropyWithLogitsBackward0", bce_logits_backward, {&self, &target});
  if (!n) return;
  n->count = reduction;
  n->ints = {weight.defined(), pos_weight.defined()};
  n->saved = {SavedTensor(self, false), SavedTensor(target, false)};
  if (weight.defined()) n->saved.push_back(SavedTensor(weight, false));
  if (pos_weight.defined()) n->saved.push_back(SavedTensor(pos_weight, false));
  set_history(out, n);
}

void record_nll(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index, const Tensor& total_weight, Tensor& out, const char* node_name) {
  const bool spatial = node_name[7] == '2';  // NllLoss2DBackward0
  check_not_differentiable(weight, spatial ? "nll_loss2d_forward" : "nll_loss_forward", "weight");
  auto n = make_node(node_name, nll_backward, {&self});
  if (!n) return;
  n->count = reduction;
  n->dim = ignore_index;
  n->flag = weight.defined();
  n->saved = {SavedTensor(self, false), SavedTensor(target, false), SavedTensor(total_weight, false)};
  if (weight.defined()) n->saved.push_back(SavedTensor(weight, false));
  if (spatial) n->ints = {1};  // nll_backward's stride check
  set_history(out, n);
}

}  // namespace ft::autograd
