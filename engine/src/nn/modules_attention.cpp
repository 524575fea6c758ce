// MultiheadAttention (ft/nn/attention.h): torch.nn.functional's
// multi_head_attention_forward, op for op, so that rounding follows libtorch's
// (packed in-projection, scores q / sqrt(head_dim) @ k^T plus the mask via
// baddbmm, softmax, dropout, @ v, out-projection).
#include <cmath>
#include <limits>

#include "ft/autograd.h"
#include "ft/nn/attention.h"
#include "ft/nn/functional.h"
#include "ft/nn/init.h"
#include "ft/random.h"

namespace ft::nn {
namespace {

// _mha_shape_check: batched (3-D) or unbatched (2-D) query, with key, value
// and masks of matching rank. Returns whether the input is batched.
bool mha_is_batched(const Tensor& q, const Tensor& k, const Tensor& v, const AttentionArgs& a) {
  FT_CHECK(q.dim() == 3 || q.dim() == 2, "query should be unbatched 2D or batched 3D tensor but received ", q.dim(),
           "-D query tensor");
  const bool batched = q.dim() == 3;
  const char* what = batched ? "For batched (3-D) `query`, expected " : "For unbatched (2-D) `query`, expected ";
  const Tensor& kpm = a.key_padding_mask;
  const Tensor& am = a.attn_mask;
  FT_CHECK(k.dim() == q.dim() && v.dim() == q.dim(), what, "`key` and `value` to be ", q.dim(), "-D but found ",
           k.dim(), "-D and ", v.dim(), "-D tensors respectively");
  FT_CHECK(!kpm.defined() || kpm.dim() == q.dim() - 1, what, "`key_padding_mask` to be `None` or ", q.dim() - 1,
           "-D but found ", kpm.dim(), "-D tensor instead");
  FT_CHECK(!am.defined() || am.dim() == 2 || am.dim() == 3, what, "`attn_mask` to be `None`, 2-D or 3-D but found ",
           am.dim(), "-D tensor instead");
  return batched;
}

// The packed in-projection (_in_projection_packed): one GEMM for
// self-attention, q and a packed kv for key is value, else three.
std::vector<Tensor> in_projection_packed(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& w,
                                         const Tensor& b) {
  const int64_t E = q.size(-1);
  if (k.is_same(v)) {
    if (q.is_same(k)) return functional::linear(q, w, b).chunk(3, -1);
    auto ws = w.split_with_sizes({E, 2 * E});
    std::vector<Tensor> bs = b.defined() ? b.split_with_sizes({E, 2 * E}) : std::vector<Tensor>{Tensor(), Tensor()};
    auto kv = functional::linear(k, ws[1], bs[1]).chunk(2, -1);
    return {functional::linear(q, ws[0], bs[0]), kv[0], kv[1]};
  }
  auto ws = w.chunk(3);
  std::vector<Tensor> bs = b.defined() ? b.chunk(3) : std::vector<Tensor>{Tensor(), Tensor(), Tensor()};
  return {functional::linear(q, ws[0], bs[0]), functional::linear(k, ws[1], bs[1]), functional::linear(v, ws[2], bs[2])};
}

// attn_mask and key_padding_mask merged into one additive float mask
// (N * H, L or 1, S), or undefined when there is neither.
Tensor merged_mask(const AttentionArgs& a, int64_t L, int64_t S, int64_t N, int64_t H, DType dt) {
  Tensor mask = a.attn_mask;
  if (mask.defined()) {
    FT_CHECK(mask.is_floating_point() || mask.dtype() == DType::Bool,
             "Only float, byte, and bool types are supported for attn_mask, not ", dtype_torch_name(mask.dtype()));
    if (mask.dim() == 2) {
      FT_CHECK(mask.size(0) == L && mask.size(1) == S, "The shape of the 2D attn_mask is ", shape_str(mask.sizes()),
               ", but should be (", L, ", ", S, ").");
      mask = mask.unsqueeze(0);
    } else {
      FT_CHECK(mask.size(0) == N * H && mask.size(1) == L && mask.size(2) == S, "The shape of the 3D attn_mask is ",
               shape_str(mask.sizes()), ", but should be (", N * H, ", ", L, ", ", S, ").");
    }
  }
  if (a.key_padding_mask.defined()) {
    Tensor kpm = a.key_padding_mask;
    FT_CHECK(kpm.dtype() == DType::Bool || kpm.is_floating_point(),
             "only bool and floating types of key_padding_mask are supported");
    FT_CHECK(kpm.size(0) == N && kpm.size(1) == S, "expecting key_padding_mask shape of (", N, ", ", S,
             "), but got ", shape_str(kpm.sizes()));
    kpm = kpm.view({N, 1, 1, S}).expand({-1, H, -1, -1}).reshape({N * H, 1, S});
    if (!mask.defined())
      mask = kpm;
    else if (mask.dtype() == DType::Bool)
      mask = mask.logical_or(kpm);
    else
      mask = mask.masked_fill(kpm, Scalar(-std::numeric_limits<double>::infinity()));
  }
  if (mask.defined() && mask.dtype() == DType::Bool) {
    Tensor f = zeros(mask.sizes(), dt);
    f.masked_fill_(mask, Scalar(-std::numeric_limits<double>::infinity()));
    mask = f;
  }
  return mask;
}

}  // namespace

MultiheadAttention::MultiheadAttention(int64_t embed_dim_, int64_t num_heads_, double dropout_, bool bias,
                                       bool batch_first_, DType dtype)
    : Module("MultiheadAttention"), embed_dim(embed_dim_), num_heads(num_heads_), dropout(dropout_),
      batch_first(batch_first_), has_bias_(bias) {
  FT_CHECK_VALUE(embed_dim > 0 && num_heads > 0, "embed_dim and num_heads must be greater than 0, got embed_dim=",
                 embed_dim, " and num_heads=", num_heads);
  FT_CHECK_VALUE(embed_dim % num_heads == 0, "embed_dim must be divisible by num_heads");
  register_parameter("in_proj_weight", empty({3 * embed_dim, embed_dim}, dtype));
  register_parameter("in_proj_bias", bias ? empty({3 * embed_dim}, dtype) : Tensor());
  // out_proj is built (drawing its Linear init) before in_proj is drawn, as in PyTorch.
  register_module("out_proj", std::make_shared<Linear>(embed_dim, embed_dim, bias, dtype));
  reset_parameters();
}

void MultiheadAttention::reset_parameters() {
  autograd::NoGradGuard ng;
  Tensor w = param("in_proj_weight").detach();
  init::xavier_uniform_(w);
  if (has_bias_) {
    param("in_proj_bias").detach().fill_(Scalar(0.0));
    named_children()[0].second->param("bias").detach().fill_(Scalar(0.0));
  }
}

Tensor MultiheadAttention::forward(const Tensor& x) { return std::get<0>(forward(x, x, x, AttentionArgs{{}, {}, false})); }

std::tuple<Tensor, Tensor> MultiheadAttention::forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                                       const AttentionArgs& args) {
  const bool batched = mha_is_batched(query, key, value, args);
  Tensor q = query, k = key, v = value;
  // Keep the identities (self-attention, key is value) through the layout
  // changes: they decide how the in-projection is split.
  auto relayout = [&](auto&& fn) {
    Tensor q2 = fn(q);
    Tensor k2 = k.is_same(q) ? q2 : fn(k);
    Tensor v2 = v.is_same(q) ? q2 : v.is_same(k) ? k2 : fn(v);
    q = q2, k = k2, v = v2;
  };
  if (batch_first && batched) relayout([](const Tensor& t) { return t.transpose(1, 0); });
  if (!batched) relayout([](const Tensor& t) { return t.unsqueeze(1); });
  AttentionArgs a = args;
  if (!batched && a.key_padding_mask.defined()) a.key_padding_mask = a.key_padding_mask.unsqueeze(0);

  const int64_t L = q.size(0), N = q.size(1), E = q.size(2), S = k.size(0), H = num_heads, hd = E / H;
  FT_CHECK(E == embed_dim, "was expecting embedding dimension of ", embed_dim, ", but got ", E);
  FT_CHECK(k.sizes().vec() == v.sizes().vec(), "key shape ", shape_str(k.sizes()), " does not match value shape ", shape_str(v.sizes()));
  auto& out_proj = *named_children()[0].second;
  auto qkv = in_projection_packed(q, k, v, param("in_proj_weight"), param("in_proj_bias"));
  Tensor mask = merged_mask(a, L, S, N, H, q.dtype());

  Tensor qh = qkv[0].contiguous().view({L, N * H, hd}).transpose(0, 1);
  Tensor kh = qkv[1].contiguous().view({S, N * H, hd}).transpose(0, 1);
  Tensor vh = qkv[2].contiguous().view({S, N * H, hd}).transpose(0, 1);
  Tensor qs = qh.div(Scalar(std::sqrt(double(hd))), std::nullopt);
  Tensor w = mask.defined() ? baddbmm(mask, qs, kh.transpose(-2, -1)) : bmm(qs, kh.transpose(-2, -1));
  w = softmax(w, -1);
  if (dropout > 0.0 && training_) w = ft::dropout(w, dropout, true);
  Tensor out = bmm(w, vh).transpose(0, 1).contiguous().view({L * N, E});
  out = functional::linear(out, out_proj.param("weight"), out_proj.param("bias")).view({L, N, E});
  Tensor weights;
  if (args.need_weights) {
    weights = w.view({N, H, L, S});
    if (args.average_attn_weights) weights = weights.sum({1}, false).div(Scalar(double(H)), std::nullopt);
    if (!batched) weights = weights.squeeze(0);
  }
  if (!batched) out = out.squeeze(1);
  if (batch_first && batched) out = out.transpose(1, 0);
  return {out, weights};
}

}  // namespace ft::nn
