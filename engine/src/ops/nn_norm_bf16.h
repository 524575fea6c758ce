// bfloat16 layer_norm, group_norm and batch_norm with libtorch 1.13's
// roundings (nn_norm_bf16.cpp, nn_norm_bf16_batch.cpp; NOTE [ bfloat16
// normalization ] in the first).
// Statistics are bfloat16 values (float when batch_norm's parameters are
// float) held in float. Contiguous (N, C, S) / (M, K) buffers throughout.
#pragma once

#include <cstdint>
#include <vector>

#include "ft/half.h"

namespace ft {
class Tensor;
}

namespace ft::norm_bf16 {

inline float rb(float f) { return float(BFloat16(f)); }    // round to bfloat16
inline float rb_count(int64_t n) { return rb(float(n)); }  // static_cast<BFloat16>(n)

// layer_norm over rows of K: y (M, K); mean, rstd (M). w, b (K) or null.
void layer_norm_forward(const BFloat16* x, const BFloat16* w, const BFloat16* b, int64_t M, int64_t K, double eps,
                        BFloat16* y, float* mean, float* rstd);
// dx (M, K) or null; dw, db (K) or null.
void layer_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* rstd,
                         const BFloat16* w, int64_t M, int64_t K, BFloat16* dx, BFloat16* dw, BFloat16* db);

// group_norm: x (N, C, S); mean, rstd (N, G). w, b (C) or null.
void group_norm_forward(const BFloat16* x, const BFloat16* w, const BFloat16* b, int64_t N, int64_t C, int64_t S,
                        int64_t G, double eps, BFloat16* y, float* mean, float* rstd);
void group_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* rstd,
                         const BFloat16* w, int64_t N, int64_t C, int64_t S, int64_t G, BFloat16* dx, BFloat16* dw,
                         BFloat16* db);

// How ATen 1.13's batch_norm reads x: its contiguous kernels (contiguous or
// channels-last input) or its generic TensorIterator path (any other strides).
enum class BnLayout { Contiguous, ChannelsLast, Strided };
BnLayout batch_norm_layout(const Tensor& x);
// Whether the contiguous kernels reduce x with their channels-last version
// (a channels-last input, or an image size of 1: "NC11 is also channels
// last"), which sums each channel's values in order and centres the variance
// on the rounded mean.
bool batch_norm_sums_by_rows(const Tensor& x);
// batch_norm's batch statistics of x (N, C, S) (its values in NCHW order):
// mean (C), invstd (C) and the sum of squared deviations var_sum (C), rounded
// to bfloat16 unless `mixed` (float parameters keep float statistics).
void batch_norm_stats(const BFloat16* x, int64_t N, int64_t C, int64_t S, double eps, bool mixed, bool by_rows,
                      float* mean, float* invstd, float* var_sum);
// The running statistics' update from the batch's (rm, rv: C values of the
// running tensors, updated in place; n elements per channel).
void batch_norm_update_running(float* rm, float* rv, const float* mean, const float* var_sum, int64_t C, int64_t n,
                               double momentum, bool mixed);
// invstd of eval mode from the running variance, as the forward forms it.
float batch_norm_eval_invstd(float running_var, double eps);
// y = x * alpha[c] + beta[c] with alpha = invstd * w, beta = b - mean * alpha
// (w, b (C) as float values, or null).
void batch_norm_apply(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean, const float* invstd,
                      const float* w, const float* b, BFloat16* y);
// Training (batch statistics) or eval backward. invstd: the saved one in
// training, 1 / sqrt(running_var + eps) in double otherwise (the caller's).
// dw, db: float sums (the caller stores them in the parameters' dtype).
void batch_norm_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* invstd,
                         const float* w, int64_t N, int64_t C, int64_t S, bool train, bool by_rows, BFloat16* dx,
                         float* dw, float* db);

// at::sum of a bfloat16 t over every dim but 1, as ATen 1.13's TensorIterator
// reduction forms it: each run along the innermost reduced dim (after its
// reordering and coalescing of dims) summed in float, rounded, and added into
// the output, rounded to bfloat16 (round) or kept in float (a float dtype=).
std::vector<float> bf16_sum_except_dim1(const Tensor& t, bool round);
// The generic path (BnLayout::Strided), given the at::mean of the input
// (mean) or the at::sum of the gradient (dy_sum) as float values: the
// variance sum in float around that mean, the output and backward as
// parameter-dtype operations (each rounded unless mixed).
void batch_norm_generic_stats(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean, double eps,
                              bool mixed, float* invstd, float* var_sum);
void batch_norm_generic_update_running(float* rm, float* rv, const float* mean, const float* var_sum, int64_t C,
                                       int64_t n, double momentum);
float batch_norm_generic_eval_invstd(float running_var, double eps, bool mixed);
void batch_norm_generic_apply(const BFloat16* x, int64_t N, int64_t C, int64_t S, const float* mean,
                              const float* invstd, const float* w, const float* b, bool mixed, BFloat16* y);
void batch_norm_generic_backward(const BFloat16* dy, const BFloat16* x, const float* mean, const float* invstd,
                                 const float* w, const float* dy_sum, int64_t N, int64_t C, int64_t S, bool train,
                                 bool mixed, BFloat16* dx, float* dw, float* db);

}  // namespace ft::norm_bf16
