// nll_loss: forward kernel plus an autograd node whose backward is written
// with engine ops, so double backward works.
//
// NOTE [ nll_loss semantics ]
// out_i = -w[t_i] * x[i, t_i] (0 where t_i == ignore_index). "mean" divides
// the sum by total_weight = sum of w[t_i] over non-ignored i (NaN when every
// target is ignored, 0/0, as in PyTorch 1.13); "sum" does not divide. Targets
// outside [0, C) other than ignore_index raise PyTorch's message.
// d out / d x[i, c] = -w[c] * [c == t_i] (/ total_weight for "mean").
#include "../autograd/formula.h"
#include "../ops/op_helpers.h"
#include "ft/nn/functional.h"

namespace ft::nn::functional {
namespace {

enum class Reduction { None, Mean, Sum };

Reduction parse_reduction(const std::string& r) {
  if (r == "none") return Reduction::None;
  if (r == "mean") return Reduction::Mean;
  if (r == "sum") return Reduction::Sum;
  FT_CHECK_KIND(ErrorKind::Value, false, r, " is not a valid value for reduction");
  return Reduction::Mean;
}

// (N, C) one-hot coefficients: coef[i, t_i] = w[t_i] for non-ignored i; also
// the per-sample weights (N) and the forward's per-sample losses.
struct NllPlan {
  Tensor coef;     // (N, C), input dtype: w[t_i] at the target, else 0
  Tensor sample_w; // (N), input dtype
};

template <typename T>
NllPlan nll_plan(const Tensor& x2, const Tensor& t1, const Tensor& w, int64_t ignore_index) {
  const int64_t N = x2.size(0), C = x2.size(1);
  NllPlan p;
  p.coef = zeros({N, C}, x2.dtype());
  p.sample_w = zeros({N}, x2.dtype());
  Tensor tc = t1.contiguous();
  const int64_t* tp = tc.data_ptr<int64_t>();
  Tensor wc = w.defined() ? w.contiguous() : Tensor();
  const T* wp = wc.defined() ? wc.data_ptr<T>() : nullptr;
  T* cp = p.coef.data_ptr<T>();
  T* sp = p.sample_w.data_ptr<T>();
  for (int64_t i = 0; i < N; ++i) {
    int64_t t = tp[i];
    if (t == ignore_index) continue;
    FT_CHECK_KIND(ErrorKind::Index, t >= 0 && t < C, "Target ", t, " is out of bounds.");
    T wt = wp ? wp[t] : T(1);
    cp[i * C + t] = wt;
    sp[i] = wt;
  }
  return p;
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, const std::string& reduction,
                int64_t ignore_index) {
  FT_OP_SCOPE("nll_loss");
  Reduction red = parse_reduction(reduction);
  FT_CHECK(input.dim() == 1 || input.dim() == 2, "input tensor should be 1D or 2D");
  FT_CHECK(target.dim() <= 1, "0D or 1D target tensor expected, multi-target not supported");
  const bool no_batch = input.dim() == 1;
  FT_CHECK(no_batch ? target.dim() == 0 : target.dim() == 1 && target.size(0) == input.size(0),
           "Expected input batch_size (", no_batch ? 1 : input.size(0), ") to match target batch_size (",
           target.dim() == 0 ? 1 : target.size(0), ").");
  FT_CHECK(target.dtype() == DType::Int64, "expected scalar type Long but found ", dtype_torch_name(target.dtype()));
  FT_CHECK(is_floating(input.dtype()), "\"nll_loss_out_frame\" not implemented for '",
           dtype_torch_name(input.dtype()), "'");
  const int64_t C = input.size(-1);
  FT_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == C), "weight tensor should be defined either ",
           "for all ", C, " classes or no classes but got weight tensor of shape: [",
           weight.defined() ? weight.numel() : 0, "]");
  Tensor x2 = no_batch ? input.unsqueeze(0) : input;
  Tensor t1 = no_batch ? target.reshape({1}) : target;
  NllPlan plan;
  {
    autograd::NoGradGuard ng;
    Tensor wcast = weight.defined() ? weight.to(input.dtype()) : Tensor();
    FT_DISPATCH_FLOATING(input.dtype(), "nll_loss_out_frame",
                         [&] { plan = nll_plan<scalar_t>(x2.detach(), t1, wcast, ignore_index); });
  }
  // Composite in engine ops (keeps autograd and double backward for free):
  // per-sample loss = -(coef * x).sum(1).
  Tensor per_sample = (plan.coef * x2).sum({1}).neg();
  Tensor out;
  if (red == Reduction::None) {
    out = no_batch ? per_sample.reshape({}) : per_sample;
  } else if (red == Reduction::Sum) {
    out = per_sample.sum();
  } else {
    out = per_sample.sum() / plan.sample_w.sum();
  }
  return out;
}

}  // namespace ft::nn::functional
