// TransformerEncoderLayer (ft/nn/attention.h): torch.nn's non-fast-path
// forward (the fast path is an inference-only fused kernel computing the same).
#include "ft/nn/attention.h"

namespace ft::nn {

TransformerEncoderLayer::TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward,
                                                 double dropout)
    : TransformerEncoderLayer([&] {
        TransformerEncoderLayerOptions o;
        o.d_model = d_model, o.nhead = nhead, o.dim_feedforward = dim_feedforward, o.dropout = dropout;
        return o;
      }()) {}

TransformerEncoderLayer::TransformerEncoderLayer(TransformerEncoderLayerOptions o)
    : Module("TransformerEncoderLayer"), opt_(std::move(o)) {
  FT_CHECK(opt_.activation == "relu" || opt_.activation == "gelu", "activation should be relu/gelu, not ",
           opt_.activation);
  // Built in PyTorch's order: the draws of the default generator follow it.
  self_attn_ = register_module("self_attn", std::make_shared<MultiheadAttention>(
                                                opt_.d_model, opt_.nhead, opt_.dropout, true, opt_.batch_first, opt_.dtype));
  linear1_ = register_module("linear1", std::make_shared<Linear>(opt_.d_model, opt_.dim_feedforward, true, opt_.dtype));
  dropout_ = register_module("dropout", std::make_shared<Dropout>(opt_.dropout));
  linear2_ = register_module("linear2", std::make_shared<Linear>(opt_.dim_feedforward, opt_.d_model, true, opt_.dtype));
  norm1_ = register_module("norm1", std::make_shared<LayerNorm>(std::vector<int64_t>{opt_.d_model},
                                                                 opt_.layer_norm_eps, true, opt_.dtype));
  norm2_ = register_module("norm2", std::make_shared<LayerNorm>(std::vector<int64_t>{opt_.d_model},
                                                                 opt_.layer_norm_eps, true, opt_.dtype));
  dropout1_ = register_module("dropout1", std::make_shared<Dropout>(opt_.dropout));
  dropout2_ = register_module("dropout2", std::make_shared<Dropout>(opt_.dropout));
}

Tensor TransformerEncoderLayer::self_attention_block(const Tensor& x, const Tensor& mask, const Tensor& kpm) {
  AttentionArgs a;
  a.attn_mask = mask;
  a.key_padding_mask = kpm;
  a.need_weights = false;
  return dropout1_->forward(std::get<0>(self_attn_->forward(x, x, x, a)));
}

Tensor TransformerEncoderLayer::feed_forward_block(const Tensor& x) {
  Tensor h = linear1_->forward(x);
  h = opt_.activation == "gelu" ? gelu(h) : h.relu();
  return dropout2_->forward(linear2_->forward(dropout_->forward(h)));
}

Tensor TransformerEncoderLayer::forward(const Tensor& src, const Tensor& src_mask, const Tensor& kpm) {
  Tensor x = src;
  if (opt_.norm_first) {
    x = x + self_attention_block(norm1_->forward(x), src_mask, kpm);
    x = x + feed_forward_block(norm2_->forward(x));
  } else {
    x = norm1_->forward(x + self_attention_block(x, src_mask, kpm));
    x = norm2_->forward(x + feed_forward_block(x));
  }
  return x;
}

}  // namespace ft::nn
