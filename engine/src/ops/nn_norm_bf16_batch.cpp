// bfloat16 batch_norm with libtorch 1.13's roundings: its contiguous and
// channels-last kernels, and its generic TensorIterator path for other
// strides (NOTE [ bfloat16 normalization ] in nn_norm_bf16.cpp; compiled
// without FMA contraction for the same reason).
#include <algorithm>
#include <cmath>
#include <vector>

#include "ft/tensor.h"
#include "nn_norm_bf16.h"

namespace ft::norm_bf16 {
namespace {

// at::vec::vec_reduce_all(f, v, 8): lane 0 plus each other lane in turn.
float seq8(const float* v) {
  float a = v[0];
  for (int l = 1; l < 8; ++l) a = a + v[l];
  return a;
}

// batch_norm's per-channel sum of f over the N planes of S: 8-lane float
// vectors over 16-element blocks (both halves into one accumulator), the
// tails of all planes in a scalar, the lanes added last.
// by_rows: ATen's channels-last kernels (which also take every input of
// image size 1: "NC11 is also channels last") add each channel's values in
// order, one row after the other.
template <typename F>
float channel_sum(int64_t N, int64_t C, int64_t S, int64_t c, bool by_rows, F f) {
  if (by_rows) {
    float a = 0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t k = 0; k < S; ++k) a = a + f((n * C + c) * S + k);
    return a;
  }
  float lanes[8] = {0}, tail = 0;
  for (int64_t n = 0; n < N; ++n) {
    const int64_t base = (n * C + c) * S;
    int64_t d = 0;
    for (; d < S - S % 16; d += 16)
      for (int h = 0; h < 16; h += 8)
        for (int l = 0; l < 8; ++l) lanes[l] = lanes[l] + f(base + d + h + l);
    for (; d < S; ++d) tail = tail + f(base + d);
  }
  return tail + seq8(lanes);
}

// ATen's InvStd: 0 (not inf) when the variance and eps are both 0; the sum
// var + eps is in double (eps is a double), the result a float.
float inv_std(float var, double eps) {
  if (var == 0 && eps == 0) return 0.0f;
  return float(1.0 / std::sqrt(double(var) + eps));
}

}  // namespace

void batch_norm_stats(const BFloat16* x, int64_t N, int64_t C, int64_t S, double eps, bool mixed, bool by_rows,
                      float* mean, float* invstd, float* var_sum) {
  const int64_t n = N * S;
  for (int64_t c = 0; c < C; ++c) {
    const float m = channel_sum(N, C, S, c, by_rows, [&](int64_t i) { return float(x[i]); }) / float(n);
    // The channels-last kernel centres the variance on the stored (rounded) mean.
    const float mc = by_rows && !mixed ? rb(m) : m;
    const float vs = channel_sum(N, C, S, c, by_rows, [&](int64_t i) {
      const float d = float(x[i]) - mc;
      return d * d;
    });
    if (mixed) {
      mean[c] = m, var_sum[c] = vs;
      invstd[c] = inv_std(vs / float(n), eps);
    } else {
      // BFloat16 / int64_t divides in BFloat16 (c10 rounds both operands).
      mean[c] = rb(m), var_sum[c] = rb(vs);
      invstd[c] = rb(inv_std(rb(var_sum[c] / rb_count(n)), eps));
    }
  }
}

void batch_norm_update_running(float* rm, float* rv, const float* mean, const float* var_sum, int64_t C, int64_t n,
                               double momentum, bool mixed) {
  for (int64_t c = 0; c < C; ++c) {
    if (mixed) {  // float parameters: float arithmetic
      const float mom = float(momentum);
      if (rm) rm[c] = mom * mean[c] + (1 - mom) * rm[c];
      if (rv) rv[c] = mom * (var_sum[c] / float(n - 1)) + (1 - mom) * rv[c];
    } else {  // BFloat16 parameters: c10's BFloat16 operators round each step
      const float mom = rb(float(momentum)), keep = rb(1.0f - mom);
      if (rm) rm[c] = rb(rb(mom * mean[c]) + rb(keep * rm[c]));
      // unbiased variance: BFloat16 / int64_t, then a float sum (stored rounded)
      if (rv) rv[c] = rb(mom * rb(var_sum[c] / rb_count(n - 1)) + rb(keep * rv[c]));
    }
  }
}

BnLayout batch_norm_layout(const Tensor& x) {
  if (x.is_contiguous()) return BnLayout::Contiguous;
  if (x.dim() != 4 && x.dim() != 5) return BnLayout::Strided;
  // at::MemoryFormat::ChannelsLast(3d): dims C, W, (D,) H... N densely in that order (size-1 dims skipped)
  const std::vector<int64_t> order = x.dim() == 4 ? std::vector<int64_t>{1, 3, 2, 0} : std::vector<int64_t>{1, 4, 3, 2, 0};
  int64_t expected = 1;
  for (int64_t d : order) {
    if (x.size(d) == 1) continue;
    if (x.stride(d) != expected) return BnLayout::Strided;
    expected *= x.size(d);
  }
  return BnLayout::ChannelsLast;
}

bool batch_norm_sums_by_rows(const Tensor& x) {
  return batch_norm_layout(x) == BnLayout::ChannelsLast || x.numel() == x.size(0) * x.size(1);
}

std::vector<float> bf16_sum_except_dim1(const Tensor& t, bool round) {
  // Operands as TensorIterator sees them: the output (C) has stride 0 on
  // every reduced dim; strides in elements (the same element size).
  const int64_t nd = t.dim(), C = t.size(1);
  struct Dim {
    int64_t size, in, out;
  };
  std::vector<Dim> dims;
  for (int64_t d = nd - 1; d >= 0; --d) dims.push_back({t.size(d), t.stride(d), d == 1 ? 1 : 0});
  // reorder_dimensions: reduced dims first, then ascending input strides
  // (ties: the smaller size first); stride-0 (broadcast) dims tie.
  auto should_swap = [](const Dim& a, const Dim& b) {
    if ((a.out == 0) != (b.out == 0)) return b.out == 0 ? 1 : -1;
    for (auto [s0, s1] : {std::pair{a.out, b.out}, std::pair{a.in, b.in}}) {
      if (s0 == 0 || s1 == 0) continue;
      if (s0 != s1) return s0 < s1 ? -1 : 1;
      if (a.size > b.size) return 1;
    }
    return 0;
  };
  for (size_t i = 1; i < dims.size(); ++i)
    for (size_t d1 = i, d0 = i; d0-- > 0;) {
      const int c = should_swap(dims[d0], dims[d1]);
      if (c > 0) std::swap(dims[d0], dims[d1]), d1 = d0;
      else if (c < 0) break;
    }
  // coalesce_dimensions
  std::vector<Dim> co;
  for (const Dim& d : dims) {
    if (co.empty()) { co.push_back(d); continue; }
    Dim& p = co.back();
    if (p.size == 1 || d.size == 1 || (p.in * p.size == d.in && p.out * p.size == d.out)) {
      if (p.size == 1) p.in = d.in, p.out = d.out;
      p.size *= d.size;
    } else {
      co.push_back(d);
    }
  }
  while (co.size() < 2) co.push_back({1, 0, 0});
  // cascade_sum's 2D loop: the reduced dim first; each run along it summed in
  // float, then added into the output's element and stored (rounded).
  if (co[0].out != 0 && co[1].out == 0) std::swap(co[0], co[1]);
  std::vector<float> out(static_cast<size_t>(C), 0.0f);
  // The run's sum is rounded to bfloat16 before it is added (measured: this
  // reproduces torch.sum of strided and expanded bfloat16 inputs).
  auto store = [&](int64_t o, float v) { out[size_t(o)] = round ? rb(out[size_t(o)] + rb(v)) : out[size_t(o)] + v; };
  const BFloat16* base = t.data_ptr<BFloat16>();
  int64_t outer = 1;
  for (size_t k = 2; k < co.size(); ++k) outer *= co[k].size;
  for (int64_t o = 0; o < outer; ++o) {
    int64_t in_off = 0, out_off = 0, rem = o;
    for (size_t k = 2; k < co.size(); ++k) {
      const int64_t i = rem % co[k].size;
      rem /= co[k].size;
      in_off += i * co[k].in, out_off += i * co[k].out;
    }
    for (int64_t j = 0; j < co[1].size; ++j) {
      const BFloat16* p = base + in_off + j * co[1].in;
      const int64_t oj = out_off + j * co[1].out;
      if (co[0].out != 0) {  // not a reduction: each element into its own output
        for (int64_t i = 0; i < co[0].size; ++i) store(oj + i * co[0].out, float(p[i * co[0].in]));
        continue;
      }
      float acc = 0;
      for (int64_t i = 0; i < co[0].size; ++i) acc = acc + float(p[i * co[0].in]);
      store(oj, acc);
    }
  }
  return out;
}

namespace {
// The generic path's parameter-typed arithmetic: BFloat16 operators round,
// float ones (mixed) do not.
inline float pr(float v, bool mixed) { return mixed ? v : rb(v); }
}  // namespace

void batch_norm_generic_stats(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean, double eps,
                              bool mixed, float* invstd, float* var_sum) {
  const int64_t n = N * S;
  for (int64_t c = 0; c < C; ++c) {
    float vs = 0;  // float accumulator of (x - mean)^2, mean the at::mean result
    for (int64_t b = 0; b < N; ++b)
      for (int64_t k = 0; k < S; ++k) {
        const float d = float(x[(b * C + c) * S + k]) - mean[c];
        vs = vs + d * d;
      }
    var_sum[c] = vs;
    invstd[c] = pr(inv_std(vs / float(n), eps), mixed);
  }
}

void batch_norm_generic_update_running(float* rm, float* rv, const float* mean, const float* var_sum, int64_t C,
                                       int64_t n, double momentum) {
  for (int64_t c = 0; c < C; ++c) {  // double arithmetic (momentum is a double here)
    if (rm) rm[c] = float(momentum * double(mean[c]) + (1 - momentum) * double(rm[c]));
    if (rv) rv[c] = float(momentum * double(var_sum[c] / float(n - 1)) + (1 - momentum) * double(rv[c]));
  }
}

float batch_norm_generic_eval_invstd(float running_var, double eps, bool mixed) {
  // 1 / at::sqrt(running_var + eps) as tensor ops in the parameters' dtype
  return pr(1.0f / pr(std::sqrt(pr(running_var + float(eps), mixed)), mixed), mixed);
}

void batch_norm_generic_apply(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean,
                              const float* invstd, const float* w, const float* b, bool mixed, BFloat16* y) {
  for (int64_t c = 0; c < C; ++c) {
    const float wv = w ? w[c] : 1.0f, bv = b ? b[c] : 0.0f;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t k = 0; k < S; ++k) {
        const int64_t i = (n * C + c) * S + k;
        y[i] = BFloat16(pr(pr(pr(float(x[i]) - mean[c], mixed) * invstd[c], mixed) * wv, mixed) + bv);
      }
  }
}

void batch_norm_generic_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* invstd,
                                 const float* w, const float* dy_sum, int64_t N, int64_t C, int64_t S, bool train,
                                 bool mixed, BFloat16* dx, float* dw, float* db) {
  const int64_t n = N * S;
  const float nf = mixed ? float(n) : rb_count(n);
  for (int64_t c = 0; c < C; ++c) {
    const float m = mean[c], is = pr(invstd[c], mixed), wv = w ? w[c] : 1.0f;
    float dotp = 0;
    for (int64_t b = 0; b < N; ++b)
      for (int64_t k = 0; k < S; ++k) {
        const int64_t i = (b * C + c) * S + k;
        dotp = dotp + pr(pr(float(x[i]) - m, mixed) * float(dy[i]), mixed);
      }
    if (dx) {
      // scalar_t k = (scalar_t) dotp * invstd * invstd / n; grad_mean = sum / n (BFloat16 / int64_t)
      const float kk = rb(pr(pr(pr(rb(dotp) * is, mixed) * is, mixed) / nf, mixed));
      const float gm = rb(dy_sum[c] / rb_count(n));
      for (int64_t b = 0; b < N; ++b)
        for (int64_t k = 0; k < S; ++k) {
          const int64_t i = (b * C + c) * S + k;
          const float g = float(dy[i]);
          if (train) {
            const float gi = rb(pr(float(x[i]) - m, mixed) * kk);
            dx[i] = BFloat16(pr(pr(rb(rb(g - gm) - gi) * is, mixed) * wv, mixed));
          } else {
            dx[i] = BFloat16(pr(pr(g * is, mixed) * wv, mixed));
          }
        }
    }
    if (dw) dw[c] = pr(dotp * is, mixed);
    if (db) db[c] = dy_sum[c];
  }
}

float batch_norm_eval_invstd(float running_var, double eps) { return 1.0f / std::sqrt(running_var + float(eps)); }

void batch_norm_apply(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean, const float* invstd,
                      const float* w, const float* b, BFloat16* y) {
  for (int64_t c = 0; c < C; ++c) {
    const float alpha = invstd[c] * (w ? w[c] : 1.0f);
    const float beta = (b ? b[c] : 0.0f) - mean[c] * alpha;
    for (int64_t n = 0; n < N; ++n) {
      const int64_t base = (n * C + c) * S;
      for (int64_t k = 0; k < S; ++k) y[base + k] = BFloat16(float(x[base + k]) * alpha + beta);
    }
  }
}

void batch_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* invstd,
                         const float* w, int64_t N, int64_t C, int64_t S, bool train, bool by_rows, BFloat16* dx,
                         float* dw, float* db) {
  const int64_t n = N * S;
  for (int64_t c = 0; c < C; ++c) {
    const float m = mean[c], is = invstd[c], wv = w ? w[c] : 1.0f;
    const float sum = channel_sum(N, C, S, c, by_rows, [&](int64_t i) { return float(dy[i]); });
    const float dotp =
        channel_sum(N, C, S, c, by_rows, [&](int64_t i) { return (float(x[i]) - m) * float(dy[i]); });
    if (dx) {
      const float k = dotp * is * is / float(n), grad_mean = sum / float(n);
      for (int64_t b = 0; b < N; ++b) {
        const int64_t base = (b * C + c) * S;
        for (int64_t j = 0; j < S; ++j) {
          const float g = float(dy[base + j]);
          dx[base + j] = train ? BFloat16((g - grad_mean - (float(x[base + j]) - m) * k) * is * wv)
                               : BFloat16(g * is * wv);
        }
      }
    }
    if (dw) dw[c] = dotp * is;
    if (db) db[c] = sum;
  }
}

}  // namespace ft::norm_bf16
