// bfloat16 normalization with libtorch 1.13's roundings (nn_norm_bf16.h).
//
// NOTE [ bfloat16 normalization ]
// For float32/float64 the engine normalizes in double (NOTE [ Normalizing in
// double ] in nn_norm.cpp), which stays within the comparator of libtorch.
// For bfloat16 it cannot: ATen 1.13 rounds intermediates to bfloat16, and a
// rounded mean or rstd moves every output of its group by up to 2^-9 of the
// mean's magnitude; on a group of spread 1 around 10 that is 0.5 output units
// (engine 0, libtorch 0.5). So this file repeats ATen's arithmetic, rounding
// where ATen rounds (checked bit for bit against torch 1.13 on random inputs):
//  - layer_norm / group_norm statistics: at::native::utils::RowwiseMoments
//    instantiated for BFloat16, a Welford update over 16-lane
//    Vectorized<BFloat16> whose every + - * / rounds to bfloat16, and
//    rstd = 1 / sqrt(var + eps) with each step rounded;
//  - layer_norm's output and backward: float math of the statistics (the
//    bfloat16 at::vec::map functions), the backward's row sums rounded to
//    bfloat16, and weight/bias gradients accumulated row by row in a
//    bfloat16 buffer (one thread: the oracle's default on the CI machine);
//  - group_norm: everything in BFloat16 scalars or vectors (1.13 dispatches
//    its float kernel to BFloat16 unchanged), each operation rounded;
//  - batch_norm (nn_norm_bf16_batch.cpp): sums in float over 8-lane vectors,
//    the mean, variance sum, variance and invstd rounded to bfloat16 (kept in
//    float when the parameters are float: the "mixed" case), the output and
//    backward in float; other strides take ATen's generic path.
// The file is compiled without FMA contraction (engine/CMakeLists.txt): a
// fused a * b + c would round differently from ATen's separate vector ops.
#include "nn_norm_bf16.h"

#include "../kernels/cpu/vec_lane_reduce.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ft::norm_bf16 {
namespace {

// at::vec::map*_reduce_all<BFloat16>(f, +, ..., n) on AVX2: f(i) summed in
// BFloat16 reduce_all's lanes (kernels/cpu/vec_lane_reduce.h). libtorch
// returns the sum as bfloat16: callers round it.
template <typename F>
float vec_sum16(int64_t n, F f) {
  return kernels::bf16_lanes_reduce<float>(n, f, [](float a, float b) { return a + b; });
}

// AddMoments / AddMomentsVec for BFloat16: merge (m0_add, m1_add, m2_add)
// into (m0, m1, m2), every operation rounded.
void add_moments(int64_t m0_add, float m1_add, float m2_add, int64_t& m0, float& m1, float& m2) {
  const int64_t n = m0 + m0_add;
  const float c = n == 0 ? 0.0f : rb(rb_count(m0_add) / rb_count(n));
  const float delta = rb(m1_add - m1);
  m1 = rb(m1 + rb(c * delta));
  m2 = rb(m2 + rb(m2_add + rb(rb(rb(delta * delta) * c) * rb_count(m0))));
  m0 = n;
}

struct Moments16 {
  int64_t m0 = 0;
  float m1[16] = {0}, m2[16] = {0};
};

void add_moments16(const Moments16& a, Moments16& into) {
  for (int l = 0; l < 16; ++l) {
    int64_t m0 = into.m0;
    add_moments(a.m0, a.m1[l], a.m2[l], m0, into.m1[l], into.m2[l]);
  }
  into.m0 += a.m0;
}

// at::native::utils::RowwiseMoments<BFloat16>(x, n): Welford in chunks of 16
// vectors of 16 lanes, chunks merged by a cascade of depth ceil(log2(m))
// (at least 1), the scalar tail, then the lanes merged in order.
void rowwise_moments(const BFloat16* x, int64_t N, float& mean, float& var) {
  constexpr int64_t kV = 16, kChunk = 16;
  const int64_t n = N / kV;
  const int64_t m = (n + kChunk - 1) / kChunk;
  int64_t depth = 1;
  if (m > 2) {
    depth = 0;
    for (uint64_t v = uint64_t(m - 1); v; v >>= 1) ++depth;
  }
  std::vector<Moments16> stk(static_cast<size_t>(depth));
  float c[kChunk];
  for (int64_t i = 0; i < kChunk; ++i) c[i] = rb(1.0f / rb_count(i + 1));
  for (int64_t i = 0; i < m; ++i) {
    const BFloat16* p = x + i * kChunk * kV;
    Moments16 chunk;
    chunk.m0 = std::min(kChunk, n - i * kChunk);
    for (int64_t j = 0; j < chunk.m0; ++j)
      for (int l = 0; l < 16; ++l) {
        const float xv = float(p[j * kV + l]);
        const float delta = rb(xv - chunk.m1[l]);
        chunk.m1[l] = rb(chunk.m1[l] + rb(delta * c[j]));
        chunk.m2[l] = rb(chunk.m2[l] + rb(delta * rb(xv - chunk.m1[l])));
      }
    add_moments16(chunk, stk[0]);
    int64_t mask = i + 1;
    for (int64_t j = 1; j < depth && (mask & 1) == 0; ++j) {
      add_moments16(stk[size_t(j - 1)], stk[size_t(j)]);
      stk[size_t(j - 1)] = Moments16();
      mask >>= 1;
    }
  }
  for (int64_t i = 1; i < depth; ++i) add_moments16(stk[size_t(i)], stk[0]);
  int64_t m0 = 0;
  float m1 = 0, m2 = 0;
  for (int64_t i = n * kV; i < N; ++i) {
    const float xv = float(x[i]);
    const float delta = rb(xv - m1);
    ++m0;
    m1 = rb(m1 + rb(delta / rb_count(m0)));
    m2 = rb(m2 + rb(delta * rb(xv - m1)));
  }
  for (int l = 0; l < 16; ++l) add_moments(n, stk[0].m1[l], stk[0].m2[l], m0, m1, m2);
  mean = m1;
  var = rb(m2 / rb_count(N));
}

// BFloat16 scalar sum of a std::accumulate over 16 vector lanes after the
// vectorized part (Vectorized<BFloat16> adds), then the tail: group_norm's
// ComputeInternalGradients and GroupNormInputBackward. v(i): the rounded term.
template <typename F>
float bf16_lane_sum(int64_t n, F v) {
  const int64_t inner = n / 16 * 16;
  float lanes[16] = {0};
  for (int64_t j = 0; j < inner; j += 16)
    for (int l = 0; l < 16; ++l) lanes[l] = rb(lanes[l] + v(j + l));
  float s = 0;
  for (int l = 0; l < 16; ++l) s = rb(s + lanes[l]);
  for (int64_t j = inner; j < n; ++j) s = rb(s + v(j));
  return s;
}

}  // namespace

void layer_norm_forward(const BFloat16* x, const BFloat16* w, const BFloat16* b, int64_t M, int64_t K, double eps,
                        BFloat16* y, float* mean, float* rstd) {
  const float eps_b = rb(float(eps));
  for (int64_t r = 0; r < M; ++r) {
    const BFloat16* px = x + r * K;
    BFloat16* py = y + r * K;
    float m, v;
    rowwise_moments(px, K, m, v);
    const float rs = rb(1.0f / rb(std::sqrt(rb(v + eps_b))));
    const float bias = rb(-rs * m);
    // A missing weight/bias is ATen's 1 and 0 (so -0 outputs become +0).
    for (int64_t j = 0; j < K; ++j)
      py[j] = BFloat16((float(px[j]) * rs + bias) * (w ? float(w[j]) : 1.0f) + (b ? float(b[j]) : 0.0f));
    mean[r] = m;
    rstd[r] = rs;
  }
}

void layer_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* rstd,
                         const BFloat16* w, int64_t M, int64_t K, BFloat16* dx, BFloat16* dw, BFloat16* db) {
  const float scale = 1.0f / float(K);
  std::vector<float> wbuf(dw ? size_t(K) : 0, 0.0f), bbuf(db ? size_t(K) : 0, 0.0f);
  for (int64_t r = 0; r < M; ++r) {
    const BFloat16* pdy = dy + r * K;
    const BFloat16* px = x + r * K;
    const float a = rstd[r], m = mean[r];
    if (dw) {
      const float bb = -a * m;
      for (int64_t j = 0; j < K; ++j) wbuf[size_t(j)] = rb(wbuf[size_t(j)] + float(pdy[j]) * (a * float(px[j]) + bb));
    }
    if (db)
      for (int64_t j = 0; j < K; ++j) bbuf[size_t(j)] = rb(bbuf[size_t(j)] + float(pdy[j]));
    if (!dx) continue;
    float ds, dbs;
    if (w) {
      ds = rb(vec_sum16(K, [&](int64_t j) { return float(pdy[j]) * float(px[j]) * float(w[j]); }));
      dbs = rb(vec_sum16(K, [&](int64_t j) { return float(pdy[j]) * float(w[j]); }));
    } else {
      ds = rb(vec_sum16(K, [&](int64_t j) { return float(pdy[j]) * float(px[j]); }));
      dbs = rb(vec_sum16(K, [&](int64_t j) { return float(pdy[j]); }));
    }
    const float bcoef = (dbs * m - ds) * a * a * a * scale;
    const float ccoef = -bcoef * m - dbs * a * scale;
    BFloat16* pdx = dx + r * K;
    for (int64_t j = 0; j < K; ++j) {
      const float t = w ? a * float(pdy[j]) * float(w[j]) : a * float(pdy[j]);
      pdx[j] = BFloat16(t + bcoef * float(px[j]) + ccoef);
    }
  }
  for (int64_t j = 0; dw && j < K; ++j) dw[j] = BFloat16(wbuf[size_t(j)]);
  for (int64_t j = 0; db && j < K; ++j) db[j] = BFloat16(bbuf[size_t(j)]);
}

void group_norm_forward(const BFloat16* x, const BFloat16* w, const BFloat16* b, int64_t N, int64_t C, int64_t S,
                        int64_t G, double eps, BFloat16* y, float* mean, float* rstd) {
  const int64_t D = C / G, inner = D * S;
  const float eps_b = rb(float(eps));
  for (int64_t i = 0; i < N * G; ++i) {
    const BFloat16* px = x + i * inner;
    BFloat16* py = y + i * inner;
    float m, v;
    rowwise_moments(px, inner, m, v);
    const float rs = rb(1.0f / rb(std::sqrt(rb((v < 0 ? 0.0f : v) + eps_b))));
    if (!w && !b) {
      for (int64_t j = 0; j < inner; ++j) py[j] = BFloat16(rb(float(px[j]) - m) * rs);
    } else {
      const int64_t g = i % G;
      for (int64_t j = 0; j < D; ++j) {
        const int64_t c = g * D + j;
        const float sc = rb(rs * (w ? float(w[c]) : 1.0f));
        const float bias = rb(rb(-sc * m) + (b ? float(b[c]) : 0.0f));
        for (int64_t k = 0; k < S; ++k) py[j * S + k] = BFloat16(rb(sc * float(px[j * S + k])) + bias);
      }
    }
    mean[i] = m;
    rstd[i] = rs;
  }
}

void group_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* rstd,
                         const BFloat16* w, int64_t N, int64_t C, int64_t S, int64_t G, BFloat16* dx, BFloat16* dw,
                         BFloat16* db) {
  const int64_t D = C / G;
  // ds, db per (n, c): sums of dy * x and dy over the plane, in BFloat16.
  std::vector<float> ds(static_cast<size_t>(N * C)), dbv(static_cast<size_t>(N * C));
  for (int64_t i = 0; i < N * C; ++i) {
    const BFloat16* pdy = dy + i * S;
    const BFloat16* px = x + i * S;
    ds[size_t(i)] = bf16_lane_sum(S, [&](int64_t k) { return rb(float(pdy[k]) * float(px[k])); });
    dbv[size_t(i)] = bf16_lane_sum(S, [&](int64_t k) { return float(pdy[k]); });
  }
  if (dx) {
    const float s = rb(1.0f / rb_count(D * S));
    for (int64_t i = 0; i < N * G; ++i) {
      const int64_t g = i % G;
      const float* pds = ds.data() + i * D;
      const float* pdb = dbv.data() + i * D;
      auto gam = [&](int64_t j) { return w ? float(w[g * D + j]) : 1.0f; };
      const float dsv = bf16_lane_sum(D, [&](int64_t j) { return rb(pds[j] * gam(j)); });
      const float dbs = bf16_lane_sum(D, [&](int64_t j) { return rb(pdb[j] * gam(j)); });
      const float m = mean[i], r = rstd[i];
      const float c2 = rb(rb(rb(rb(rb(rb(dbs * m) - dsv) * r) * r) * r) * s);
      const float c3 = rb(rb(-c2 * m) - rb(rb(dbs * r) * s));
      for (int64_t j = 0; j < D; ++j) {
        const float c1 = w ? rb(r * gam(j)) : r;
        const int64_t off = (i * D + j) * S;
        for (int64_t k = 0; k < S; ++k)
          dx[off + k] = BFloat16(rb(rb(c1 * float(dy[off + k])) + rb(c2 * float(x[off + k]))) + c3);
      }
    }
  }
  for (int64_t c = 0; dw && c < C; ++c) {
    float acc = 0;
    for (int64_t n = 0; n < N; ++n) {
      const int64_t i = n * G + c / D, k = n * C + c;
      acc = rb(acc + rb(rb(ds[size_t(k)] - rb(dbv[size_t(k)] * mean[i])) * rstd[i]));
    }
    dw[c] = BFloat16(acc);
  }
  for (int64_t c = 0; db && c < C; ++c) {
    float acc = 0;
    for (int64_t n = 0; n < N; ++n) acc = rb(acc + dbv[size_t(n * C + c)]);
    db[c] = BFloat16(acc);
  }
}

}  // namespace ft::norm_bf16
