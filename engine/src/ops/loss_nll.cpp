// nll_loss and nll_loss2d (primitives with NllLossBackward0 and
// NllLoss2DBackward0, backward in autograd/derivatives_loss.cpp), nll_loss_nd
// (libtorch's dispatch over the input's rank) and cross_entropy_loss
// (composite, as in libtorch 1.13: log_softmax + nll_loss_nd, or the
// class-probability and label-smoothing forms built from the primitive ops).
//
// NOTE [ nll_loss semantics ]
// out_i = -w[t_i] * x[i, t_i] (0 where t_i == ignore_index). "mean" divides
// the sum by total_weight = sum of w[t_i] over non-ignored i (NaN when every
// target is ignored, 0/0, as in PyTorch 1.13); "sum" does not divide. A 1-D
// input is one sample and always gives a 0-dim result. Targets outside
// [0, C) other than ignore_index raise PyTorch's IndexError. nll_loss2d is
// the same over (N, C, H, W) inputs and (N, H, W) targets, each position a
// sample; the kernels see every input as (N, C, M) with M the product of the
// spatial sizes (1 for nll_loss).
// The sums use ATen's cascade (NOTE [ nll_loss's cascade sum ]) so that
// they round as libtorch's.
#include <array>
#include <limits>
#include <vector>

#include "../autograd/record_loss.h"
#include "loss_internal.h"

namespace ft {
namespace detail {

// (N, C, M): the sizes of the kernels' view of an nll input (NOTE [ nll_loss semantics ]).
std::array<int64_t, 3> nll_layout(const Tensor& self) {
  if (self.dim() == 1) return {1, self.size(0), 1};
  int64_t M = 1;
  for (int64_t d = 2; d < self.dim(); ++d) M *= self.size(d);
  return {self.size(0), self.size(1), M};
}

Tensor nll_target_weights(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t ignore_index) {
  const auto [N, C, M] = nll_layout(self);
  Tensor coef = zeros(self.sizes(), self.dtype());
  Tensor tc = target.contiguous();
  const int64_t* tp = tc.data_ptr<int64_t>();  // (N, M)
  FT_DISPATCH_FLOATING_AND_BF16(self.dtype(), "nll_loss_backward_out_frame", [&] {
    Tensor wc = weight.defined() ? weight.contiguous() : Tensor();
    const scalar_t* wp = wc.defined() ? wc.data_ptr<scalar_t>() : nullptr;  // (C)
    scalar_t* cp = coef.data_ptr<scalar_t>();                                 // (N, C, M)
    for (int64_t i = 0; i < N * M; ++i) {
      const int64_t t = tp[i];
      if (t == ignore_index) continue;
      FT_CHECK_INDEX(t >= 0 && t < C, "Target ", t, " is out of bounds.");
      cp[(i / M * C + t) * M + i % M] = wp ? wp[t] : scalar_t(1);
    }
  });
  return coef;
}

}  // namespace detail

namespace {

// a + b, a - b, a * b in T: BFloat16 rounds each result (ATen's BFloat16
// kernel runs in BFloat16, c10's operators round every step).
template <typename T>
T nll_add(T a, T b) {
  if constexpr (is_reduced_float_v<T>) return T(float(a) + float(b));
  else return a + b;
}
template <typename T>
T nll_mul(T a, T b) {
  if constexpr (is_reduced_float_v<T>) return T(float(a) * float(b));
  else return a * b;
}

// NOTE [ nll_loss's cascade sum ]
// ATen sums the per-sample losses (and weights) into 8 partial sums: each
// sample is added to level 0, and every 16th sample (b & 15 == 0) level j
// is pushed into level j + 1 as long as the next 4 bits of b are zero too.
// The result is the levels added in order. This keeps the rounding error
// logarithmic in the batch size; reproducing it gives libtorch's bits.
template <typename T>
void nll_reduced(const T* x, const int64_t* tp, const T* wp, int64_t N, int64_t C, int64_t M, int64_t ignore_index,
                 int64_t reduction, T& out, T& total_weight) {
  constexpr int kLevels = 8, kPower = 4;  // ATen: max(4, CeilLog2(N * M) / 8) == 4 for N * M < 2^32
  constexpr int64_t kMask = (int64_t(1) << kPower) - 1;
  std::array<T, kLevels> loss{}, wsum{};
  int64_t ignored = 0;
  for (int64_t b = 0; b < N * M; ++b) {  // b: the sample's linear index (batch, position)
    const int64_t t = tp[b];
    if (t == ignore_index) {
      ++ignored;
      continue;
    }
    FT_CHECK_INDEX(t >= 0 && t < C, "Target ", t, " is out of bounds.");
    const T v = x[(b / M * C + t) * M + b % M];
    if (wp) {
      loss[0] = nll_add(loss[0], T(-nll_mul(v, wp[t])));
      wsum[0] = nll_add(wsum[0], wp[t]);
    } else {
      loss[0] = nll_add(loss[0], T(-v));
    }
    for (int j = 0; j + 1 < kLevels; ++j) {
      if ((b & (kMask << (j * kPower))) != 0) break;
      loss[j + 1] = nll_add(loss[j + 1], loss[j]);
      wsum[j + 1] = nll_add(wsum[j + 1], wsum[j]);
      loss[j] = 0;
      wsum[j] = 0;
    }
  }
  T lsum = 0, wtot = 0;
  for (int j = 0; j < kLevels; ++j) {
    lsum = nll_add(lsum, loss[j]);
    wtot = nll_add(wtot, wsum[j]);
  }
  total_weight = wp ? wtot : T(N * M - ignored);
  out = reduction == Reduction::Mean ? T(lsum / total_weight) : lsum;
}

// (N, M) per-sample losses, reduction none.
template <typename T>
void nll_unreduced(const T* x, const int64_t* tp, const T* wp, int64_t N, int64_t C, int64_t M, int64_t ignore_index,
                   T* out) {
  for (int64_t b = 0; b < N * M; ++b) {
    const int64_t t = tp[b];
    if (t == ignore_index) {
      out[b] = 0;
      continue;
    }
    FT_CHECK_INDEX(t >= 0 && t < C, "Target ", t, " is out of bounds.");
    out[b] = T(-x[(b / M * C + t) * M + b % M] * (wp ? wp[t] : T(1)));
  }
}

// The forward of nll_loss and nll_loss2d after their shape checks: the
// weight's dtype, the empty reduced case (before the target's dtype is
// read), then the kernels; `spatial` picks nll_loss2d's node.
Tensor nll_forward(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction,
                   int64_t ignore_index, bool spatial) {
  FT_CHECK(reduction >= Reduction::None && reduction < Reduction::END,
           "reduction must be 0 (none), 1 (mean) or 2 (sum), got ", reduction);
  Tensor out, total_weight;
  const char* frame = spatial ? "nll_loss2d_forward_out_frame" : "nll_loss_out_frame";
  FT_DISPATCH_FLOATING_AND_BF16(self.dtype(), frame, [&] {
    FT_CHECK(!weight.defined() || weight.dtype() == self.dtype(), "expected scalar type ",
             dtype_torch_name(self.dtype()), " but found ", dtype_torch_name(weight.dtype()));
    const bool unreduced = reduction == Reduction::None && self.dim() >= 2;
    if (!unreduced && (spatial ? target.numel() == 0 : self.dim() == 2 && self.size(0) == 0)) {
      // An empty batch returns before the target is read (its dtype unchecked):
      // the mean is 0 / 0, the sum 0.
      out = scalar_tensor(Scalar(reduction == Reduction::Mean ? std::numeric_limits<double>::quiet_NaN() : 0.0),
                          self.dtype());
      total_weight = zeros({}, self.dtype());
      return;
    }
    FT_CHECK(target.dtype() == DType::Int64, "expected scalar type Long but found ", dtype_torch_name(target.dtype()));
    Tensor xc = self.detach().contiguous(), tc = target.contiguous();
    Tensor wc = weight.defined() ? weight.detach().contiguous() : Tensor();
    const scalar_t* xp = xc.data_ptr<scalar_t>();                           // (N, C, M)
    const int64_t* tp = tc.data_ptr<int64_t>();                              // (N, M)
    const scalar_t* wp = wc.defined() ? wc.data_ptr<scalar_t>() : nullptr;  // (C)
    const auto [N, C, M] = detail::nll_layout(self);
    if (unreduced) {
      out = empty(target.sizes(), self.dtype());
      nll_unreduced(xp, tp, wp, N, C, M, ignore_index, out.data_ptr<scalar_t>());
      total_weight = zeros({}, self.dtype());
    } else {
      scalar_t o = 0, tw = 0;
      nll_reduced(xp, tp, wp, N, C, M, ignore_index, reduction, o, tw);
      out = scalar_tensor(Scalar(double(o)), self.dtype());
      total_weight = scalar_tensor(Scalar(double(tw)), self.dtype());
    }
  });
  autograd::record_nll(self, target, weight, reduction, ignore_index, total_weight, out,
                       spatial ? "NllLoss2DBackward0" : "NllLossBackward0");
  return out;
}

}  // namespace

Tensor nll_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight_opt, int64_t reduction,
                int64_t ignore_index) {
  FT_OP_SCOPE("nll_loss");
  const Tensor weight = detail::defined_or_none(weight_opt);
  FT_CHECK(self.dim() > 0 && self.dim() <= 2, "input tensor should be 1D or 2D");
  FT_CHECK(target.dim() <= 1, "0D or 1D target tensor expected, multi-target not supported");
  const bool no_batch = self.dim() == 1 && target.dim() == 0;
  FT_CHECK(no_batch || self.size(0) == target.size(0), "size mismatch (got input: ", shape_str(self.sizes()),
           ", target: ", shape_str(target.sizes()), ")");
  const int64_t C = self.size(-1);
  FT_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == C), "weight tensor should be defined either ",
           "for all ", C, " classes or no classes but got weight tensor of shape: ",
           shape_str(weight.defined() ? weight.sizes() : IntArrayRef{0}));
  return nll_forward(self, target, weight, reduction, ignore_index, /*spatial=*/false);
}

Tensor nll_loss2d(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight_opt,
                  int64_t reduction, int64_t ignore_index) {
  FT_OP_SCOPE("nll_loss2d");
  const Tensor weight = detail::defined_or_none(weight_opt);
  FT_CHECK(target.dim() == 3, "only batches of spatial targets supported (3D tensors) but got targets of dimension: ",
           target.dim());
  FT_CHECK(self.dim() == 4, "only batches of spatial inputs supported (4D tensors), but got input of dimension: ",
           self.dim());
  FT_CHECK(!weight.defined() || weight.numel() == self.size(1),
           "weight tensor should be defined either for all or no classes");
  // PyTorch's message lacks the closing parenthesis too.
  FT_CHECK(self.size(0) == target.size(0) && self.size(2) == target.size(1) && self.size(3) == target.size(2),
           "size mismatch (got input: ", shape_str(self.sizes()), " , target: ", shape_str(target.sizes()));
  return nll_forward(self, target, weight, reduction, ignore_index, /*spatial=*/true);
}

// at::nll_loss_nd: nll_loss for 1-D and 2-D inputs, nll_loss2d for 4-D, and
// for 3-D or 5+-D inputs nll_loss2d on an (N, C, 1, -1) view of the
// contiguous input and target (unreduced results viewed back to (N, d1, ...)).
Tensor nll_loss_nd(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight, int64_t reduction,
                   int64_t ignore_index) {
  FT_OP_SCOPE("nll_loss_nd");
  FT_CHECK_VALUE(self.dim() >= 1, "Expected 1 or more dimensions (got ", self.dim(), ")");
  FT_CHECK_VALUE(self.dim() == 1 || (target.dim() >= 1 && self.size(0) == target.size(0)),
                 "Expected input batch_size (", self.size(0), ") to match target batch_size (",
                 target.dim() >= 1 ? target.size(0) : int64_t(1), ").");
  if (self.dim() <= 2) return nll_loss(self, target, weight, reduction, ignore_index);
  if (self.dim() == 4) return nll_loss2d(self, target, weight, reduction, ignore_index);
  const int64_t n = self.size(0), c = self.size(1);
  std::vector<int64_t> out_size = {n};
  for (int64_t d = 2; d < self.dim(); ++d) out_size.push_back(self.size(d));
  std::vector<int64_t> tsizes(target.sizes().begin() + 1, target.sizes().end());
  FT_CHECK(std::vector<int64_t>(out_size.begin() + 1, out_size.end()) == tsizes, "Expected target size ",
           shape_str(out_size), ", got ", shape_str(target.sizes()));
  Tensor input = self.numel() > 0 ? self.contiguous().view({n, c, 1, -1}) : self.reshape({n, c, 0, 0});
  Tensor tgt = target.numel() > 0 ? target.contiguous().view({n, 1, -1}) : target.reshape({n, 0, 0});
  Tensor out = nll_loss2d(input, tgt, weight, reduction, ignore_index);
  return reduction == Reduction::None ? out.view(out_size) : out;
}

namespace {

// The (C) weight viewed to broadcast along the class dim (dim 1) of a
// rank-`dim` input: (1, C, 1, ...), or as is for a 1-D input.
Tensor class_view(const Tensor& weight, int64_t dim) {
  if (dim <= 1) return weight;
  std::vector<int64_t> shape(size_t(dim), 1);
  shape[1] = weight.size(0);
  return weight.view(shape);
}

// -(log_softmax(x) * target [* weight]) over classes, target smoothed first.
Tensor cross_entropy_prob_target(const Tensor& logp, const Tensor& target_in, const Tensor& weight, int64_t reduction,
                                 double label_smoothing) {
  const int64_t class_dim = logp.dim() == 1 ? 0 : 1;
  const int64_t C = logp.size(class_dim);
  FT_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == C), "cross_entropy: weight tensor should be ",
           "defined either for all ", C, " classes or no classes but got weight tensor of shape: ",
           shape_str(weight.defined() ? weight.sizes() : IntArrayRef{0}));
  Tensor target = label_smoothing > 0.0 ? target_in * Scalar(1 - label_smoothing) + Scalar(label_smoothing / double(C))
                                        : target_in;
  Tensor prod = logp * target;
  if (weight.defined()) prod = prod * class_view(weight, logp.dim());
  switch (reduction) {
    case Reduction::Mean:
      if (logp.numel() == 0) return prod.sum().neg() * Scalar(std::numeric_limits<double>::quiet_NaN());
      return div(prod.sum().neg(), Scalar(double(logp.numel() / C)));
    case Reduction::Sum: return prod.sum().neg();
    default: return prod.sum({class_dim}).neg();
  }
}

// (1 - s) nll + s / C * smooth, smooth = -sum_c w_c logp_c per sample
// (0 for ignored samples), reduced like nll_loss.
Tensor cross_entropy_label_smoothing(const Tensor& logp, const Tensor& target, const Tensor& weight, int64_t reduction,
                                     int64_t ignore_index, double label_smoothing) {
  const int64_t class_dim = logp.dim() == 1 ? 0 : 1;
  const int64_t C = logp.size(class_dim);
  Tensor nll = nll_loss_nd(logp, target, weight, reduction, ignore_index);
  Tensor ignore_mask = target.eq(Scalar(ignore_index));
  Tensor smooth = weight.defined() ? (logp * class_view(weight, logp.dim())).sum({class_dim}).neg()
                                   : logp.sum({class_dim}).neg();
  smooth = smooth.masked_fill(ignore_mask, Scalar(0.0));
  Tensor ret;
  if (reduction == Reduction::Mean) {
    Tensor keep = ignore_mask.logical_not();
    ret = weight.defined() ? smooth.sum() / weight.gather(0, target.masked_select(keep).flatten()).sum()
                           : smooth.masked_select(keep).mean();
  } else {
    ret = reduction == Reduction::Sum ? smooth.sum() : smooth;
  }
  return nll * Scalar(1 - label_smoothing) + ret * Scalar(label_smoothing / double(C));
}

}  // namespace

Tensor cross_entropy_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight_opt,
                          int64_t reduction, int64_t ignore_index, double label_smoothing) {
  FT_OP_SCOPE("cross_entropy_loss");
  const Tensor weight = detail::defined_or_none(weight_opt);
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  if (self.sizes().equals(target.sizes())) {  // class probabilities
    FT_CHECK(is_floating(target.dtype()), "Expected floating point type for target with class probabilities, got ",
             dtype_torch_name(target.dtype()));
    FT_CHECK(ignore_index < 0, "ignore_index is not supported for floating point target");
    FT_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0,
             "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
    return cross_entropy_prob_target(self.log_softmax(class_dim), target, weight, reduction, label_smoothing);
  }
  if (label_smoothing > 0.0) {
    FT_CHECK(label_smoothing <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
    return cross_entropy_label_smoothing(self.log_softmax(class_dim), target, weight, reduction, ignore_index,
                                         label_smoothing);
  }
  return nll_loss_nd(self.log_softmax(class_dim), target, weight, reduction, ignore_index);
}

}  // namespace ft
