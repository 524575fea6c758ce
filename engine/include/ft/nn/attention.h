// Attention modules: MultiheadAttention and TransformerEncoderLayer, composed
// from engine ops (linear, bmm/baddbmm, softmax, dropout, layer_norm), with
// torch.nn's parameter names, shapes, defaults and default initialization, so
// a PyTorch state_dict loads and manual_seed(s) gives PyTorch's weights.
#pragma once

#include <string>
#include <tuple>

#include "ft/nn/modules.h"
#include "ft/nn/norm.h"

namespace ft::nn {

// forward's optional arguments (torch.nn.MultiheadAttention.forward's).
// key_padding_mask (N, S) or (S): bool (true = ignore that key) or float
// (added to the scores). attn_mask (L, S) or (N * num_heads, L, S): bool
// (true = not allowed) or float (added to the scores).
struct AttentionArgs {
  Tensor key_padding_mask, attn_mask;
  bool need_weights = true;
  bool average_attn_weights = true;
};

// in_proj_weight (3E, E), in_proj_bias (3E), out_proj.weight (E, E),
// out_proj.bias (E). Initialization as PyTorch: out_proj (a Linear) draws its
// kaiming weight and bias first, then in_proj_weight is xavier_uniform_ and
// both biases are zeroed. Only kdim = vdim = embed_dim (the packed
// projection); add_bias_kv and add_zero_attn are not supported.
class MultiheadAttention : public Module {
 public:
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0, bool bias = true,
                     bool batch_first = false, DType dtype = DType::Float32);
  // Returns (attn_output, attn_weights); attn_weights is undefined when
  // need_weights is false. Inputs (L, N, E), (N, L, E) if batch_first, or
  // unbatched (L, E).
  std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                     const AttentionArgs& args = {});
  // Self-attention without masks; the output only.
  Tensor forward(const Tensor& x) override;
  void reset_parameters();
  int64_t embed_dim, num_heads;
  double dropout;
  bool batch_first;

 private:
  bool has_bias_;
};

// torch.nn.TransformerEncoderLayer: self-attention and a feed-forward block,
// each with a residual connection and LayerNorm (after the block, or before
// it with norm_first). Children self_attn, linear1, dropout, linear2, norm1,
// norm2, dropout1, dropout2, built (and so drawn) in that order.
struct TransformerEncoderLayerOptions {
  int64_t d_model = 0, nhead = 1, dim_feedforward = 2048;
  double dropout = 0.1;
  std::string activation = "relu";  // "relu" | "gelu"
  double layer_norm_eps = 1e-5;
  bool batch_first = false, norm_first = false;
  DType dtype = DType::Float32;
};

class TransformerEncoderLayer : public Module {
 public:
  explicit TransformerEncoderLayer(TransformerEncoderLayerOptions options);
  TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward = 2048, double dropout = 0.1);
  // src_mask: as MultiheadAttention's attn_mask; src_key_padding_mask: as its key_padding_mask.
  Tensor forward(const Tensor& src, const Tensor& src_mask, const Tensor& src_key_padding_mask = Tensor());
  Tensor forward(const Tensor& src) override { return forward(src, Tensor(), Tensor()); }
  const TransformerEncoderLayerOptions& options() const { return opt_; }

 private:
  Tensor self_attention_block(const Tensor& x, const Tensor& mask, const Tensor& key_padding_mask);
  Tensor feed_forward_block(const Tensor& x);
  TransformerEncoderLayerOptions opt_;
  std::shared_ptr<MultiheadAttention> self_attn_;
  std::shared_ptr<Linear> linear1_, linear2_;
  std::shared_ptr<Dropout> dropout_, dropout1_, dropout2_;
  std::shared_ptr<LayerNorm> norm1_, norm2_;
};

}  // namespace ft::nn
