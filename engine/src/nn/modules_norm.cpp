// LayerNorm, GroupNorm, BatchNorm1d/2d, Embedding, Dropout (ft/nn/norm.h).
#include "ft/autograd.h"
#include "ft/nn/init.h"
#include "ft/nn/modules.h"
#include "ft/random.h"

namespace ft::nn {
namespace {

// PyTorch registers weight and bias as None when affine is off; here they
// are absent (undefined), which state_dict skips the same way.
void affine_params(Module& m, bool affine, std::vector<int64_t> shape, DType dtype) {
  m.register_parameter("weight", affine ? ones(shape, dtype) : Tensor());
  m.register_parameter("bias", affine ? zeros(shape, dtype) : Tensor());
}

Tensor defined_or_none(Module& m, const char* name) { return m.param(name); }

}  // namespace

LayerNorm::LayerNorm(std::vector<int64_t> normalized_shape, double eps, bool elementwise_affine, DType dtype)
    : Module("LayerNorm"), shape_(std::move(normalized_shape)), eps_(eps), affine_(elementwise_affine) {
  affine_params(*this, affine_, shape_, dtype);
}

Tensor LayerNorm::forward(const Tensor& x) {
  return layer_norm(x, shape_, defined_or_none(*this, "weight"), defined_or_none(*this, "bias"), eps_);
}

GroupNorm::GroupNorm(int64_t num_groups, int64_t num_channels, double eps, bool affine, DType dtype)
    : Module("GroupNorm"), groups_(num_groups), eps_(eps), affine_(affine) {
  FT_CHECK_KIND(ErrorKind::Value, num_groups > 0 && num_channels % num_groups == 0,
                "num_channels must be divisible by num_groups");
  affine_params(*this, affine_, {num_channels}, dtype);
}

Tensor GroupNorm::forward(const Tensor& x) {
  return group_norm(x, groups_, defined_or_none(*this, "weight"), defined_or_none(*this, "bias"), eps_);
}

BatchNorm::BatchNorm(const char* name, int64_t spatial_dims, int64_t num_features, double eps,
                     std::optional<double> momentum, bool affine, bool track_running_stats, DType dtype)
    : Module(name), spatial_(spatial_dims), eps_(eps), momentum_(momentum), affine_(affine),
      track_(track_running_stats) {
  affine_params(*this, affine_, {num_features}, dtype);
  if (track_) {
    register_buffer("running_mean", zeros({num_features}, dtype));
    register_buffer("running_var", ones({num_features}, dtype));
    register_buffer("num_batches_tracked", zeros({}, DType::Int64));
  }
}

Tensor BatchNorm::forward(const Tensor& x) {
  // _BatchNorm's input check (BatchNorm1d: 2-D or 3-D; BatchNorm2d: 4-D).
  if (spatial_ == 1)
    FT_CHECK_VALUE(x.dim() == 2 || x.dim() == 3, "expected 2D or 3D input (got ", x.dim(), "D input)");
  else
    FT_CHECK_VALUE(x.dim() == 4, "expected 4D input (got ", x.dim(), "D input)");
  double factor = momentum_.value_or(0.0);
  if (training_ && track_) {
    Tensor& n = param("num_batches_tracked");
    {
      autograd::NoGradGuard ng;
      n.add_(Scalar(int64_t(1)));
    }
    // momentum=None: the cumulative average, 1 / batches seen.
    if (!momentum_) factor = 1.0 / double(n.to_double_vector()[0]);
  }
  const bool use_batch_stats = training_ || !track_;
  // Without tracking there are no running stats to use or update.
  Tensor rm = track_ ? param("running_mean") : Tensor();
  Tensor rv = track_ ? param("running_var") : Tensor();
  return batch_norm(x, defined_or_none(*this, "weight"), defined_or_none(*this, "bias"), rm, rv, use_batch_stats,
                    factor, eps_, false);
}

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx,
                     bool scale_grad_by_freq, DType dtype)
    : Module("Embedding"), scale_(scale_grad_by_freq) {
  if (padding_idx) {
    int64_t p = *padding_idx;
    FT_CHECK_VALUE(p < num_embeddings && p >= -num_embeddings, "Padding_idx must be within num_embeddings");
    padding_idx_ = p < 0 ? p + num_embeddings : p;
  }
  Tensor& w = register_parameter("weight", empty({num_embeddings, embedding_dim}, dtype));
  autograd::NoGradGuard ng;
  Tensor wd = w.detach();
  init::normal_(wd);
  if (padding_idx_ >= 0) wd.select(0, padding_idx_).fill_(Scalar(0.0));
}

Tensor Embedding::forward(const Tensor& indices) {
  return embedding(param("weight"), indices, padding_idx_, scale_, false);
}

Dropout::Dropout(double p, bool inplace) : Module("Dropout"), p_(p), inplace_(inplace) {
  FT_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
}

Tensor Dropout::forward(const Tensor& x) {
  if (!inplace_) return dropout(x, p_, training_);
  Tensor y = x;
  return dropout_(y, p_, training_);
}

}  // namespace ft::nn
