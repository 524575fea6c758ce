// layer_norm, group_norm and batch_norm: ATen 1.13's checks and messages,
// statistics by one kernel (NOTE [ Normalization groups ] in
// kernels/cpu/norm_groups.h), the normalization in double (NOTE
// [ Normalizing in double ]), and one differentiable backward
// (autograd/derivatives_norm.cpp).
#include <cmath>
#include <vector>

#include "../autograd/record_norm.h"
#include "../kernels/cpu/norm_groups.h"
#include "nn_norm_bf16.h"
#include "ft/ops.h"

namespace ft {
namespace {

Tensor opt_tensor(const std::optional<Tensor>& t) { return t.has_value() && t->defined() ? *t : Tensor(); }

// The statistics as tensors of the input's dtype, shaped `stat_shape`.
struct Stats {
  std::vector<double> mean, var;
};

// kernel: the name of the op's libtorch kernel, which a dtype without one reports.
Stats moments(const Tensor& xc, const kernels::NormGroups& s, const char* kernel) {
  Stats st;
  st.mean.resize(size_t(s.count));
  st.var.resize(size_t(s.count));
  FT_DISPATCH_FLOATING_AND_BF16(xc.dtype(), kernel, [&] {
    kernels::norm_group_moments<scalar_t>(xc.data_ptr<scalar_t>(), s, st.mean.data(), st.var.data());
  });
  return st;
}

Tensor stat_tensor(const std::vector<double>& v, IntArrayRef shape, DType dt) { return from_vector(v, shape, dt); }

// bfloat16 statistics (NOTE [ bfloat16 normalization ]) are saved as float32:
// they are bfloat16 values, or float ones for batch_norm's float parameters.
Tensor float_stats(const std::vector<float>& v, IntArrayRef shape) {
  return from_vector(std::vector<double>(v.begin(), v.end()), shape, DType::Float32);
}
const BFloat16* bf16_ptr(const Tensor& t) { return t.defined() ? t.data_ptr<BFloat16>() : nullptr; }

// rstd = 1 / sqrt(var + eps), in double like the statistics.
std::vector<double> rstd_of(const std::vector<double>& var, double eps) {
  std::vector<double> r(var.size());
  for (size_t i = 0; i < var.size(); ++i) r[i] = 1.0 / std::sqrt(var[i] + eps);
  return r;
}

// NOTE [ Normalizing in double ]
// y = (x - mean) * (rstd * weight) + bias, with x widened to double and
// one rounding at the end. ATen rounds its float32 statistics and forms
// x * alpha + beta (beta = bias - mean * alpha), which cancels: for a group
// of spread 0.02 around 8.6, alpha * x is ~376 and its rounding alone is
// 3e-5, more than the comparator's 1.2e-5; computing in double keeps the
// engine within it of the exact value (closer to it than libtorch).
template <typename T>
void channel_affine(const T* x, T* y, int64_t N, int64_t C, int64_t S, const std::vector<double>& mean,
                    const std::vector<double>& scale, const std::vector<double>& bias) {
  parallel_for(0, N * C, std::max<int64_t>(1, 32768 / std::max<int64_t>(1, S)), [&](int64_t b, int64_t e) {
    for (int64_t nc = b; nc < e; ++nc) {
      const double m = mean[size_t(nc)], a = scale[size_t(nc)], sh = bias[size_t(nc)];
      const T* px = x + nc * S;
      T* py = y + nc * S;
      for (int64_t j = 0; j < S; ++j) py[j] = T((double(px[j]) - m) * a + sh);
    }
  });
}

void check_float(const Tensor& t, const char* kernel) {
  FT_CHECK_KIND(ErrorKind::NotImplemented, is_floating(t.dtype()), "\"", kernel, "\" not implemented for '",
                dtype_torch_name(t.dtype()), "'");
}

void check_param_dtype(const Tensor& p, const Tensor& input) {
  if (p.defined())
    FT_CHECK(p.dtype() == input.dtype(), "expected scalar type ", dtype_torch_name(input.dtype()), " but found ",
             dtype_torch_name(p.dtype()));
}

// bfloat16 batch_norm (NOTE [ bfloat16 normalization ]) of input, whose
// contiguous copy is x: the output and the statistics its backward reads, as float values (the
// eval invstd is the backward's: 1 / sqrt(running_var + eps) in double).
struct Bf16Batch {
  Tensor out;
  std::vector<float> mean, invstd;
};
Bf16Batch batch_norm_bf16(const Tensor& input, const Tensor& x, const Tensor& w, const Tensor& b, Tensor rm, Tensor rv,
                          bool training, double momentum, double eps, bool mixed) {
  autograd::NoGradGuard ng;
  const int64_t N = x.size(0), C = x.size(1), S = N == 0 || C == 0 ? 0 : x.numel() / (N * C);
  auto floats = [](const Tensor& t) {
    std::vector<double> d = t.to_double_vector();
    return std::vector<float>(d.begin(), d.end());
  };
  Bf16Batch r;
  r.out = empty(x.sizes(), DType::BFloat16);
  r.mean.resize(size_t(C));
  r.invstd.resize(size_t(C));
  std::vector<float> fwd_invstd(static_cast<size_t>(C));
  // ATen's contiguous kernels or, for other strides, its generic path
  const bool generic = norm_bf16::batch_norm_layout(input) == norm_bf16::BnLayout::Strided;
  if (training) {
    std::vector<float> var_sum(static_cast<size_t>(C));
    std::vector<float> rmv = rm.defined() ? floats(rm) : std::vector<float>(), rvv = rv.defined() ? floats(rv) : rmv;
    float* prm = rm.defined() ? rmv.data() : nullptr;
    float* prv = rv.defined() ? rvv.data() : nullptr;
    if (generic) {
      // at::mean: at::sum (in the parameters' dtype), then divided by n in that dtype
      r.mean = norm_bf16::bf16_sum_except_dim1(input, !mixed);
      for (float& m : r.mean) m = mixed ? m / float(N * S) : float(BFloat16(m / float(N * S)));
      norm_bf16::batch_norm_generic_stats(x.data_ptr<BFloat16>(), N, C, S, r.mean.data(), eps, mixed,
                                          r.invstd.data(), var_sum.data());
      norm_bf16::batch_norm_generic_update_running(prm, prv, r.mean.data(), var_sum.data(), C, N * S, momentum);
    } else {
      norm_bf16::batch_norm_stats(x.data_ptr<BFloat16>(), N, C, S, eps, mixed,
                                  norm_bf16::batch_norm_sums_by_rows(input), r.mean.data(), r.invstd.data(),
                                  var_sum.data());
      norm_bf16::batch_norm_update_running(prm, prv, r.mean.data(), var_sum.data(), C, N * S, momentum, mixed);
    }
    fwd_invstd = r.invstd;
    if (rm.defined()) rm.copy_(float_stats(rmv, rm.sizes()));
    if (rv.defined()) rv.copy_(float_stats(rvv, rv.sizes()));
  } else {
    r.mean = floats(rm);
    std::vector<float> var = floats(rv);
    for (size_t c = 0; c < var.size(); ++c) {
      fwd_invstd[c] = generic ? norm_bf16::batch_norm_generic_eval_invstd(var[c], eps, mixed)
                              : norm_bf16::batch_norm_eval_invstd(var[c], eps);
      r.invstd[c] = float(1.0 / std::sqrt(double(var[c]) + eps));
    }
  }
  std::vector<float> wv = w.defined() ? floats(w) : std::vector<float>(), bv = b.defined() ? floats(b) : wv;
  const float* pw = w.defined() ? wv.data() : nullptr;
  const float* pb = b.defined() ? bv.data() : nullptr;
  if (generic)
    norm_bf16::batch_norm_generic_apply(x.data_ptr<BFloat16>(), N, C, S, r.mean.data(), fwd_invstd.data(), pw, pb,
                                        mixed, r.out.data_ptr<BFloat16>());
  else
    norm_bf16::batch_norm_apply(x.data_ptr<BFloat16>(), N, C, S, r.mean.data(), fwd_invstd.data(), pw, pb,
                                r.out.data_ptr<BFloat16>());
  return r;
}

}  // namespace

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const std::optional<Tensor>& weight_opt,
                  const std::optional<Tensor>& bias_opt, double eps, bool) {
  FT_OP_SCOPE("layer_norm");
  Tensor w = opt_tensor(weight_opt), b = opt_tensor(bias_opt);
  const int64_t k = int64_t(normalized_shape.size());
  FT_CHECK(k >= 1, "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
                   "but got normalized_shape = ", shape_str(normalized_shape));
  FT_CHECK(!w.defined() || w.sizes().equals(normalized_shape), "Expected weight to be of same shape as "
           "normalized_shape, but got weight of shape ", shape_str(w.sizes()), " and normalized_shape = ",
           shape_str(normalized_shape));
  FT_CHECK(!b.defined() || b.sizes().equals(normalized_shape), "Expected bias to be of same shape as "
           "normalized_shape, but got bias of shape ", shape_str(b.sizes()), " and normalized_shape = ",
           shape_str(normalized_shape));
  bool match = input.dim() >= k;
  for (int64_t i = 0; match && i < k; ++i) match = input.size(input.dim() - k + i) == normalized_shape[size_t(i)];
  FT_CHECK(match, "Given normalized_shape=", shape_str(normalized_shape), ", expected input with shape [*, ",
           [&] {
             std::string s;
             for (size_t i = 0; i < normalized_shape.size(); ++i) s += (i ? ", " : "") + std::to_string(normalized_shape[i]);
             return s;
           }(),
           "], but got input of size", shape_str(input.sizes()));
  check_float(input, "LayerNormKernelImpl");
  check_param_dtype(w, input);
  check_param_dtype(b, input);

  Tensor x = input.contiguous();
  int64_t K = 1, M = 1;
  for (int64_t d : normalized_shape) K *= d;
  for (int64_t i = 0; i < input.dim() - k; ++i) M *= input.size(i);
  kernels::NormGroups s;
  s.count = M, s.blen = K, s.gstride = K;
  std::vector<int64_t> stat_shape(input.sizes().begin(), input.sizes().end());
  for (int64_t i = input.dim() - k; i < input.dim(); ++i) stat_shape[size_t(i)] = 1;
  Tensor out = empty(input.sizes(), input.dtype());
  autograd::NormSpec spec{autograd::NormKind::Layer, k, eps, true};
  if (input.dtype() == DType::BFloat16) {  // NOTE [ bfloat16 normalization ]
    std::vector<float> mean(static_cast<size_t>(M)), rstd(static_cast<size_t>(M));
    Tensor wc = w.defined() ? w.contiguous() : w, bc = b.defined() ? b.contiguous() : b;
    norm_bf16::layer_norm_forward(x.data_ptr<BFloat16>(), bf16_ptr(wc), bf16_ptr(bc), M, K, eps,
                                  out.data_ptr<BFloat16>(), mean.data(), rstd.data());
    autograd::record_norm(spec, input, w, b, float_stats(mean, stat_shape), float_stats(rstd, stat_shape), out);
    return out;
  }
  Stats st;
  std::vector<double> rstd;
  {
    autograd::NoGradGuard ng;
    st = moments(x, s, "LayerNormKernelImpl");
    rstd = rstd_of(st.var, eps);
    Tensor wc = w.defined() ? w.contiguous() : w, bc = b.defined() ? b.contiguous() : b;
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "LayerNormKernelImpl", [&] {
      using T = scalar_t;
      const T* px = x.data_ptr<T>();
      T* py = out.data_ptr<T>();
      const T* pw = wc.defined() ? wc.data_ptr<T>() : nullptr;
      const T* pb = bc.defined() ? bc.data_ptr<T>() : nullptr;
      parallel_for(0, M, std::max<int64_t>(1, 32768 / std::max<int64_t>(1, K)), [&](int64_t lo, int64_t hi) {
        for (int64_t r = lo; r < hi; ++r) {
          const double m = st.mean[size_t(r)], rs = rstd[size_t(r)];
          for (int64_t j = 0; j < K; ++j) {  // NOTE [ Normalizing in double ]
            double v = (double(px[r * K + j]) - m) * rs;
            if (pw) v *= double(pw[j]);
            if (pb) v += double(pb[j]);
            py[r * K + j] = T(v);
          }
        }
      });
    });
  }
  autograd::record_norm(spec, input, w, b, stat_tensor(st.mean, stat_shape, input.dtype()),
                        stat_tensor(rstd, stat_shape, input.dtype()), out);
  return out;
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const std::optional<Tensor>& weight_opt,
                  const std::optional<Tensor>& bias_opt, double eps, bool) {
  FT_OP_SCOPE("group_norm");
  Tensor w = opt_tensor(weight_opt), b = opt_tensor(bias_opt);
  FT_CHECK(input.dim() >= 2, "Expected at least 2 dimensions for input tensor but received ", input.dim());
  const int64_t N = input.size(0), C = input.size(1);
  FT_CHECK(num_groups > 0 && C % num_groups == 0, "Expected number of channels in input to be divisible by "
           "num_groups, but got input of shape ", shape_str(input.sizes()), " and num_groups=", num_groups);
  FT_CHECK(!w.defined() || (w.dim() == 1 && w.numel() == C), "Expected weight to be a vector of size equal to the "
           "number of channels in input, but got weight of shape ", shape_str(w.sizes()), " and input of shape ",
           shape_str(input.sizes()));
  FT_CHECK(!b.defined() || (b.dim() == 1 && b.numel() == C), "Expected bias to be a vector of size equal to the "
           "number of channels in input, but got bias of shape ", shape_str(b.sizes()), " and input of shape ",
           shape_str(input.sizes()));
  check_float(input, "GroupNormKernelImpl");
  check_param_dtype(w, input);
  check_param_dtype(b, input);

  Tensor x = input.contiguous();
  const int64_t G = num_groups, S = C == 0 || N == 0 ? 0 : input.numel() / (N * C), D = C / G;
  kernels::NormGroups s;
  s.count = N * G, s.blen = D * S, s.gstride = D * S;
  Tensor out = empty(input.sizes(), input.dtype());
  autograd::NormSpec spec{autograd::NormKind::Group, G, eps, true};
  if (input.dtype() == DType::BFloat16) {  // NOTE [ bfloat16 normalization ]
    std::vector<float> mean(static_cast<size_t>(N * G)), rstd(static_cast<size_t>(N * G));
    Tensor wc = w.defined() ? w.contiguous() : w, bc = b.defined() ? b.contiguous() : b;
    norm_bf16::group_norm_forward(x.data_ptr<BFloat16>(), bf16_ptr(wc), bf16_ptr(bc), N, C, S, G, eps,
                                  out.data_ptr<BFloat16>(), mean.data(), rstd.data());
    autograd::record_norm(spec, input, w, b, float_stats(mean, {N, G, 1}), float_stats(rstd, {N, G, 1}), out);
    return out;
  }
  Stats st;
  std::vector<double> rstd;
  {
    autograd::NoGradGuard ng;
    st = moments(x, s, "GroupNormKernelImpl");
    rstd = rstd_of(st.var, eps);
    std::vector<double> wv = w.defined() ? w.to_double_vector() : std::vector<double>(size_t(C), 1.0);
    std::vector<double> bv = b.defined() ? b.to_double_vector() : std::vector<double>(size_t(C), 0.0);
    std::vector<double> m(size_t(N * C)), scale(size_t(N * C)), shift(size_t(N * C));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < C; ++c) {
        const size_t g = size_t(n * G + c / D), i = size_t(n * C + c);
        m[i] = st.mean[g], scale[i] = rstd[g] * wv[size_t(c)], shift[i] = bv[size_t(c)];
      }
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "GroupNormKernelImpl", [&] {
      channel_affine<scalar_t>(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), N, C, S, m, scale, shift);
    });
  }
  autograd::record_norm(spec, input, w, b, stat_tensor(st.mean, {N, G, 1}, input.dtype()),
                        stat_tensor(rstd, {N, G, 1}, input.dtype()), out);
  return out;
}

Tensor batch_norm(const Tensor& input, const std::optional<Tensor>& weight_opt, const std::optional<Tensor>& bias_opt,
                  const std::optional<Tensor>& running_mean_opt, const std::optional<Tensor>& running_var_opt,
                  bool training, double momentum, double eps, bool) {
  FT_OP_SCOPE("batch_norm");
  Tensor w = opt_tensor(weight_opt), b = opt_tensor(bias_opt);
  Tensor rm = opt_tensor(running_mean_opt), rv = opt_tensor(running_var_opt);
  FT_CHECK_INDEX(input.dim() >= 2, "Dimension out of range (expected to be in range of [", -std::max<int64_t>(input.dim(), 1),
                 ", ", std::max<int64_t>(input.dim(), 1) - 1, "], but got 1)");
  const int64_t N = input.size(0), C = input.size(1);
  auto check_len = [&](const Tensor& t, const char* name) {
    if (t.defined())
      FT_CHECK(t.numel() == C, name, " should contain ", C, " elements not ", t.numel());
  };
  check_len(w, "weight");
  check_len(b, "bias");
  check_len(rm, "running_mean");
  check_len(rv, "running_var");
  check_float(input, "batch_norm");
  if (!training) {
    FT_CHECK(rm.defined(), "running_mean must be defined in evaluation mode");
    FT_CHECK(rv.defined(), "running_var must be defined in evaluation mode");
  }
  // ATen 1.13 accepts a bfloat16 input with float32 parameters and running
  // statistics ("mixed"), decided by the first defined of weight, bias,
  // running_mean and running_var; then all of them must be float32.
  const Tensor* params[] = {&w, &b, &rm, &rv};
  const Tensor* first = nullptr;
  for (const Tensor* p : params)
    if (!first && p->defined()) first = p;
  const bool mixed = first && first->dtype() != input.dtype();
  for (const Tensor* p : params) {
    if (!mixed) check_param_dtype(*p, input);
    else FT_CHECK(!p->defined() || p->dtype() == DType::Float32, "mixed dtype (CPU): expect parameter to have scalar type of Float");
  }
  FT_CHECK(!mixed || input.dtype() == DType::BFloat16, "mixed dtype (CPU): expect input to have scalar type of BFloat16");

  Tensor x = input.contiguous();
  const int64_t S = N == 0 || C == 0 ? 0 : input.numel() / (N * C);
  std::vector<int64_t> stat_shape(size_t(input.dim()), 1);
  stat_shape[1] = C;
  autograd::NormSpec spec{autograd::NormKind::Batch, 0, eps, training};
  if (input.dtype() == DType::BFloat16) {
    Bf16Batch r = batch_norm_bf16(input, x, w, b, rm, rv, training, momentum, eps, mixed);
    autograd::record_norm(spec, input, w, b, float_stats(r.mean, stat_shape), float_stats(r.invstd, stat_shape), r.out);
    return r.out;
  }
  Tensor out = empty(input.sizes(), input.dtype());
  std::vector<double> mean, rstd;
  {
    autograd::NoGradGuard ng;
    if (training) {
      kernels::NormGroups s;
      s.count = C, s.nblocks = N, s.blen = S, s.bstride = C * S, s.gstride = S;
      Stats st = moments(x, s, "batch_norm");
      mean = st.mean;
      rstd = rstd_of(st.var, eps);
      // ATen's InvStd: 0, not inf, when the variance and eps are both 0.
      if (eps == 0)
        for (size_t c = 0; c < rstd.size(); ++c)
          if (st.var[c] == 0) rstd[c] = 0;
      // Running statistics move towards the batch mean and the unbiased
      // variance, in double as ATen's accumulate type (n = 1 divides by 0).
      const double n = double(N * S);
      if (rm.defined()) {
        std::vector<double> r = rm.to_double_vector();
        for (int64_t c = 0; c < C; ++c) r[size_t(c)] = momentum * mean[size_t(c)] + (1 - momentum) * r[size_t(c)];
        rm.copy_(from_vector(r, rm.sizes(), DType::Float64));
      }
      if (rv.defined()) {
        std::vector<double> r = rv.to_double_vector();
        for (int64_t c = 0; c < C; ++c)
          r[size_t(c)] = momentum * (st.var[size_t(c)] * n / (n - 1)) + (1 - momentum) * r[size_t(c)];
        rv.copy_(from_vector(r, rv.sizes(), DType::Float64));
      }
    } else {
      mean = rm.to_double_vector();
      rstd = rstd_of(rv.to_double_vector(), eps);
    }
    std::vector<double> wv = w.defined() ? w.to_double_vector() : std::vector<double>(size_t(C), 1.0);
    std::vector<double> bv = b.defined() ? b.to_double_vector() : std::vector<double>(size_t(C), 0.0);
    std::vector<double> m(size_t(N * C)), scale(size_t(N * C)), shift(size_t(N * C));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < C; ++c) {
        const size_t i = size_t(n * C + c);
        m[i] = mean[size_t(c)], scale[i] = rstd[size_t(c)] * wv[size_t(c)], shift[i] = bv[size_t(c)];
      }
    FT_DISPATCH_FLOATING_AND_BF16(input.dtype(), "batch_norm", [&] {
      channel_affine<scalar_t>(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), N, C, S, m, scale, shift);
    });
  }
  autograd::record_norm(spec, input, w, b, stat_tensor(mean, stat_shape, input.dtype()),
                        stat_tensor(rstd, stat_shape, input.dtype()), out);
  return out;
}

}  // namespace ft
