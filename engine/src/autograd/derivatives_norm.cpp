// Backward of layer_norm, group_norm and batch_norm, written with engine ops
// so that double backward works (PyTorch: NativeLayerNormBackward0,
// NativeGroupNormBackward0, NativeBatchNormBackward0).
//
// With xhat = (x - mean) * rstd over a group of n elements and
// ghat = dL/dxhat = g * weight:
//   dx = rstd * (ghat - mean(ghat) - xhat * mean(ghat * xhat))   (batch statistics)
//   dx = rstd * ghat                                              (batch_norm eval: constant statistics)
//   dweight = sum(g * xhat), dbias = sum(g) over all but the affine dims.
// Under create_graph the statistics are recomputed from x with engine ops,
// so the second derivative also flows through mean and rstd.
#include "../ops/nn_norm_bf16.h"
#include "formula.h"
#include "ft/ops.h"
#include "record_norm.h"

namespace ft::autograd {
namespace {

// The input as groups (the shape mean/rstd broadcast against) and the dims
// a group spans.
Tensor grouped(const NormSpec& s, const Tensor& x) {
  if (s.kind != NormKind::Group) return x;
  const int64_t n = x.size(0), per_group = n == 0 ? 0 : x.numel() / (n * s.param);
  return x.reshape({n, s.param, per_group});
}
std::vector<int64_t> group_dims(const NormSpec& s, const Tensor& xg) {
  std::vector<int64_t> d;
  if (s.kind == NormKind::Layer)
    for (int64_t i = xg.dim() - s.param; i < xg.dim(); ++i) d.push_back(i);
  else if (s.kind == NormKind::Group)
    d.push_back(2);
  else
    for (int64_t i = 0; i < xg.dim(); ++i)
      if (i != 1) d.push_back(i);
  return d;
}
// Dims summed for the weight/bias gradients, and weight's broadcast shape.
std::vector<int64_t> affine_sum_dims(const NormSpec& s, int64_t nd) {
  std::vector<int64_t> d;
  for (int64_t i = 0; i < nd; ++i)
    if (s.kind == NormKind::Layer ? i < nd - s.param : i != 1) d.push_back(i);
  return d;
}
Tensor affine_view(const NormSpec& s, const Tensor& w, int64_t nd) {
  if (s.kind == NormKind::Layer) return w;
  std::vector<int64_t> shape(size_t(nd), 1);
  shape[1] = w.numel();
  return w.reshape(shape);
}

NormSpec spec_of(const FormulaNode& n) {
  NormSpec s;
  s.kind = NormKind(n.dim);
  s.param = n.ints[0];
  s.eps = n.scalar.to_double();
  s.batch_stats = n.flag;
  return s;
}

// A first-order backward of a bfloat16 norm runs ATen's kernel arithmetic
// (NOTE [ bfloat16 normalization ] in ops/nn_norm_bf16.cpp) on the saved
// float statistics; under create_graph the formula below (engine ops) runs.
std::vector<Tensor> norm_backward_bf16(FormulaNode& n, const NormSpec& s, const Tensor& g, bool has_w, bool has_b) {
  Tensor x = n.saved_at(0).contiguous(), dy = g.to(DType::BFloat16).contiguous();
  Tensor mean = n.saved_at(1).contiguous(), rstd = n.saved_at(2).contiguous();
  Tensor w = has_w ? n.saved_at(3).contiguous() : Tensor();
  const size_t iw = 1, ib = has_w ? 2 : 1;
  const bool need_w = has_w && n.needs(iw), need_b = has_b && n.needs(ib);
  std::vector<Tensor> out(1 + size_t(has_w) + size_t(has_b));
  if (n.needs(0)) out[0] = empty(x.sizes(), DType::BFloat16);
  auto ptr = [](const Tensor& t) { return t.defined() ? t.data_ptr<BFloat16>() : nullptr; };
  const int64_t N = x.dim() > 0 ? x.size(0) : 1, C = x.dim() > 1 ? x.size(1) : 1;
  const int64_t S = N == 0 || C == 0 ? 0 : x.numel() / (N * C);
  if (s.kind == NormKind::Batch) {
    std::vector<float> wv, dw(static_cast<size_t>(C)), db(static_cast<size_t>(C));
    if (has_w)
      for (double v : w.to_double_vector()) wv.push_back(float(v));
    // ATen's "mixed" batch_norm: float32 parameters for a bfloat16 input
    const bool mixed = (has_w && n.input_meta[iw].second == DType::Float32) ||
                       (has_b && n.input_meta[ib].second == DType::Float32);
    // ATen's contiguous kernels need input and gradient in the same layout;
    // otherwise its generic path runs (with at::sum of the gradient).
    const Tensor xs = n.saved_at(0);
    const norm_bf16::BnLayout lx = norm_bf16::batch_norm_layout(xs), lg = norm_bf16::batch_norm_layout(g);
    if (lx == norm_bf16::BnLayout::Strided || lx != lg) {
      std::vector<float> gsum = norm_bf16::bf16_sum_except_dim1(g.to(DType::BFloat16), true);  // at::sum(grad_out)
      norm_bf16::batch_norm_generic_backward(ptr(dy), ptr(x), mean.data_ptr<float>(), rstd.data_ptr<float>(),
                                             has_w ? wv.data() : nullptr, gsum.data(), N, C, S, s.batch_stats, mixed,
                                             ptr(out[0]), dw.data(), db.data());
    } else {
      norm_bf16::batch_norm_backward(ptr(dy), ptr(x), mean.data_ptr<float>(), rstd.data_ptr<float>(),
                                     has_w ? wv.data() : nullptr, N, C, S, s.batch_stats,
                                     norm_bf16::batch_norm_sums_by_rows(xs), ptr(out[0]), dw.data(), db.data());
    }
    // float sums; the engine casts them to the parameters' dtype (ATen's param_t store)
    auto param_grad = [&](const std::vector<float>& v, size_t i) {
      return from_vector(std::vector<double>(v.begin(), v.end()), n.input_meta[i].first, DType::Float32);
    };
    if (need_w) out[iw] = param_grad(dw, iw);
    if (need_b) out[ib] = param_grad(db, ib);
    return out;
  }
  if (need_w) out[iw] = empty(n.input_meta[iw].first, DType::BFloat16);
  if (need_b) out[ib] = empty(n.input_meta[ib].first, DType::BFloat16);
  BFloat16* pdw = need_w ? ptr(out[iw]) : nullptr;
  BFloat16* pdb = need_b ? ptr(out[ib]) : nullptr;
  if (s.kind == NormKind::Layer) {
    int64_t M = 1, K = 1;
    for (int64_t i = 0; i < x.dim(); ++i) (i < x.dim() - s.param ? M : K) *= x.size(i);
    norm_bf16::layer_norm_backward(ptr(dy), ptr(x), mean.data_ptr<float>(), rstd.data_ptr<float>(), ptr(w), M, K,
                                   ptr(out[0]), pdw, pdb);
  } else {
    norm_bf16::group_norm_backward(ptr(dy), ptr(x), mean.data_ptr<float>(), rstd.data_ptr<float>(), ptr(w), N, C, S,
                                   s.param, ptr(out[0]), pdw, pdb);
  }
  return out;
}

std::vector<Tensor> norm_backward(FormulaNode& n, const Tensor& g) {
  const NormSpec s = spec_of(n);
  const bool has_w = n.ints[1] != 0, has_b = n.ints[2] != 0;
  if (n.saved_at(0).dtype() == DType::BFloat16 && !is_grad_enabled()) return norm_backward_bf16(n, s, g, has_w, has_b);
  Tensor x = n.saved_at(0);
  Tensor w = has_w ? n.saved_at(3) : Tensor();
  Tensor xg = grouped(s, x);
  std::vector<int64_t> dims = group_dims(s, xg);
  Tensor mean = n.saved_at(1), rstd = n.saved_at(2);
  if (mean.dtype() != x.dtype()) mean = mean.to(x.dtype()), rstd = rstd.to(x.dtype());  // bfloat16's float stats
  if (s.batch_stats && is_grad_enabled()) {
    // create_graph: statistics as functions of x.
    Tensor saved_rstd = rstd;
    mean = xg.mean(dims, true);
    Tensor c = xg - mean;
    Tensor var = (c * c).mean(dims, true);
    if (s.kind == NormKind::Batch && s.eps == 0) {
      // batch_norm's invstd is 0 where var and eps are both 0 (ATen's
      // InvStd); those groups are held at 0 without an inf on the way, so
      // that their derivatives stay 0 instead of 0 * inf.
      Tensor zero = saved_rstd.eq(Scalar(0.0));
      rstd = var.masked_fill(zero, 1.0).rsqrt().masked_fill(zero, 0.0);
    } else {
      rstd = (var + Scalar(s.eps)).rsqrt();
    }
  }
  Tensor xhat = (xg - mean) * rstd;
  const size_t iw = 1, ib = has_w ? 2 : 1;
  std::vector<Tensor> out(1 + size_t(has_w) + size_t(has_b));
  if (n.needs(0)) {
    Tensor ghat = grouped(s, has_w ? g * affine_view(s, w, x.dim()) : g);
    Tensor dx = s.batch_stats
                    ? rstd * (ghat - ghat.mean(dims, true) - xhat * (ghat * xhat).mean(dims, true))
                    : ghat * rstd;
    out[0] = dx.reshape(x.sizes());
  }
  std::vector<int64_t> adims = affine_sum_dims(s, x.dim());
  if (has_w && n.needs(iw)) {
    Tensor gx = g * xhat.reshape(x.sizes());
    out[iw] = (adims.empty() ? gx : gx.sum(adims)).reshape(n.input_meta[iw].first);
  }
  if (has_b && n.needs(ib)) out[ib] = (adims.empty() ? g : g.sum(adims)).reshape(n.input_meta[ib].first);
  return out;
}

const char* norm_name(NormKind k) {
  return k == NormKind::Layer ? "NativeLayerNormBackward0"
         : k == NormKind::Group ? "NativeGroupNormBackward0"
                                : "NativeBatchNormBackward0";
}

}  // namespace

void record_norm(const NormSpec& spec, const Tensor& input, const Tensor& weight, const Tensor& bias,
                 const Tensor& mean, const Tensor& rstd, Tensor& out) {
  const bool has_w = weight.defined(), has_b = bias.defined();
  const char* name = norm_name(spec.kind);
  std::shared_ptr<FormulaNode> n;
  if (has_w && has_b) n = make_node(name, norm_backward, {&input, &weight, &bias});
  else if (has_w) n = make_node(name, norm_backward, {&input, &weight});
  else if (has_b) n = make_node(name, norm_backward, {&input, &bias});
  else n = make_node(name, norm_backward, {&input});
  if (!n) return;
  n->dim = int64_t(spec.kind);
  n->ints = {spec.param, has_w, has_b};
  n->scalar = spec.eps;
  n->flag = spec.batch_stats;
  n->saved = {SavedTensor(input, false), SavedTensor(mean, false), SavedTensor(rstd, false)};
  if (has_w) n->saved.push_back(SavedTensor(weight, false));
  set_history(out, n);
}

}  // namespace ft::autograd
