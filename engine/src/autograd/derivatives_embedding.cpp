// embedding's backward (PyTorch: EmbeddingBackward0 -> embedding_dense_backward)
// and that backward's own derivative, so double backward works:
//   dweight[k] = sum over positions i with indices[i] == k != padding_idx of
//                grad[i] * (scale_grad_by_freq ? 1 / count(k) : 1)
// accumulated in position order as ATen's CPU kernel does (add_ with
// alpha = scale); it is linear in grad, and its adjoint picks rows back:
//   d/dgrad = gg[indices] with the padding rows zeroed (ATen's
//   embedding_dense_double_backward, which ignores scale_grad_by_freq: kept).
#include <cmath>
#include <unordered_map>

#include "formula.h"
#include "ft/ops.h"
#include "record_norm.h"

namespace ft {
namespace detail {
Tensor embedding_rows(const Tensor& weight, const Tensor& indices);
}  // namespace detail

namespace autograd {
namespace {

Tensor dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx,
                      bool scale_grad_by_freq);

// gg[indices] with padding positions zeroed: (indices.shape..., D).
Tensor double_backward(const Tensor& gg, const Tensor& indices, int64_t padding_idx) {
  Tensor rows = ft::embedding(gg, indices);
  if (padding_idx < 0) return rows;
  Tensor pad = indices.eq(Scalar(padding_idx)).unsqueeze(-1);
  return rows.masked_fill(pad, 0.0);
}

void record_dense_backward(const Tensor& grad, const Tensor& indices, int64_t padding_idx, Tensor& out) {
  auto n = make_node("EmbeddingDenseBackwardBackward0",
                     [](FormulaNode& n, const Tensor& gg) -> std::vector<Tensor> {
                       return {double_backward(gg, n.saved_at(0), n.dim)};
                     },
                     {&grad});
  if (!n) return;
  n->dim = padding_idx;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

Tensor dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx,
                      bool scale_grad_by_freq) {
  const int64_t D = grad.size(-1);
  Tensor gw = zeros({num_weights, D}, grad.dtype());
  {
    NoGradGuard ng;
    Tensor idx = indices.contiguous().to(DType::Int64);
    Tensor g = grad.contiguous();
    const int64_t n = idx.numel();
    const int64_t* ip = idx.data_ptr<int64_t>();
    std::unordered_map<int64_t, int64_t> counts;
    if (scale_grad_by_freq)
      for (int64_t i = 0; i < n; ++i) ++counts[ip[i]];
    if (grad.dtype() == DType::Float16 || grad.dtype() == DType::BFloat16) {
      // ATen adds each gradient row with add's kernel (alpha = the scale),
      // whose 16-bit rounding the engine's add reproduces: reuse it row by row.
      Tensor g2 = g.reshape({n, D});
      for (int64_t i = 0; i < n; ++i) {
        const int64_t k = ip[i];
        if (k == padding_idx) continue;
        const double scale = scale_grad_by_freq ? 1.0 / double(counts[k]) : 1.0;
        gw.select(0, k).add_(g2.select(0, i), Scalar(scale));
      }
    } else {
      FT_DISPATCH_FLOATING(grad.dtype(), "embedding_dense_backward", [&] {
        using T = scalar_t;
        const T* gp = g.data_ptr<T>();
        T* wp = gw.data_ptr<T>();
        for (int64_t i = 0; i < n; ++i) {
          const int64_t k = ip[i];
          if (k == padding_idx) continue;
          T* row = wp + k * D;
          const T* src = gp + i * D;
          if (scale_grad_by_freq) {
            const T scale = T(1.0 / double(counts[k]));
            for (int64_t j = 0; j < D; ++j) row[j] = std::fma(src[j], scale, row[j]);
          } else {
            for (int64_t j = 0; j < D; ++j) row[j] += src[j];
          }
        }
      });
    }
  }
  record_dense_backward(grad, indices, padding_idx, gw);
  return gw;
}

}  // namespace

void record_embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq,
                      Tensor& out) {
  auto n = make_node("EmbeddingBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {dense_backward(g, n.saved_at(0), n.count, n.dim, n.flag)};
                     },
                     {&weight});
  if (!n) return;
  n->count = weight.size(0);
  n->dim = padding_idx;
  n->flag = scale_grad_by_freq;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

}  // namespace autograd
}  // namespace ft
