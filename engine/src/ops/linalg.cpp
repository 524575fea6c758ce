// mm and matmul (all of torch.matmul's rank cases, batch broadcasting).
#include "../autograd/record.h"
#include "../kernels/cpu/gemm.h"
#include "op_helpers.h"

namespace ft {
namespace {

void check_mm_shapes(const Tensor& a, const Tensor& b) {
  FT_CHECK(a.dim() == 2, "self must be a matrix");
  FT_CHECK(b.dim() == 2, "mat2 must be a matrix");
  FT_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
           " and ", b.size(0), "x", b.size(1), ")");
}

// NOTE [ Trivial products ]
// libtorch checks operand dtypes only when there is arithmetic to do: an
// empty result or an empty contraction (K == 0) returns zeros without a
// dtype check, typed like the operand its kernel treats as the output's
// template (mm: self; mv and batched: the second operand, since matmul
// transposes those problems). Non-trivial products need equal dtypes and a
// kernel for the dtype (no bool).
DType product_dtype(const Tensor& a, const Tensor& b, bool trivial, bool take_b, const char* kernel) {
  if (trivial) return take_b ? b.dtype() : a.dtype();
  FT_CHECK(a.dtype() == b.dtype(), "expected scalar type ", dtype_torch_name(a.dtype()), " but found ",
           dtype_torch_name(b.dtype()));
  // libtorch 1.13's CPU products take BFloat16 but not Half.
  FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool && a.dtype() != DType::Float16, "\"", kernel,
                "\" not implemented for '", dtype_torch_name(a.dtype()), "'");
  return a.dtype();
}

Tensor mm_compute(const Tensor& a, const Tensor& b) {
  check_mm_shapes(a, b);
  autograd::NoGradGuard ng;
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  bool trivial = M * N == 0 || K == 0;
  DType dt = product_dtype(a, b, trivial, false, "addmm_impl_cpu_");
  if (trivial) return zeros({M, N}, dt);
  Tensor out = empty({M, N}, dt);
  kernels::gemm(out, a, b);
  return out;
}

// a (..., n, k) @ b (..., k, m) over broadcast batch dims, one GEMM per batch.
Tensor batched_gemm(const Tensor& a, const Tensor& b, IntArrayRef batch, DType dt) {
  const int64_t n = a.size(-2), k = a.size(-1), m = b.size(-1);
  DimVector full(batch), ea(batch), eb(batch);
  full.push_back(n); full.push_back(m);
  ea.push_back(n); ea.push_back(k);
  eb.push_back(k); eb.push_back(m);
  Tensor out = empty(full, dt);
  Tensor A = a.expand(ea), B = b.expand(eb);
  int64_t nb = 1;
  for (int64_t s : batch) nb *= s;
  DimVector idx(batch.size(), 0);
  for (int64_t i = 0; i < nb; ++i) {
    Tensor ai = A, bi = B, oi = out;
    for (size_t d = 0; d < batch.size(); ++d) {
      ai = ai.select(0, idx[d]);
      bi = bi.select(0, idx[d]);
      oi = oi.select(0, idx[d]);
    }
    kernels::gemm(oi, ai, bi);
    for (size_t d = batch.size(); d-- > 0;) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

// PyTorch 1.13 folds a >=3-D operand into a matrix when the other one is 1-D
// or 2-D, except a 3-D operand whose last two dims are transposed (that case
// goes to bmm). Which kernel matmul picks decides the shape error users see.
bool should_fold(const Tensor& t, int64_t other_dim) {
  if (t.dim() < 3 || (other_dim != 1 && other_dim != 2)) return false;
  return !(t.dim() == 3 && other_dim == 2 && t.stride(-1) != 1 && t.stride(0) == t.size(1) * t.size(2));
}

// Product of t's sizes except dim `skip` (the rows of a folded operand).
int64_t fold_rows(const Tensor& t, int64_t skip) {
  int64_t r = 1;
  for (int64_t d = 0; d < t.dim(); ++d)
    if (d != skip) r *= t.size(d);
  return r;
}

// matmul's shape checks (both operands >= 1-D, not both 1-D) with the message
// of the kernel PyTorch dispatches to: mv, mm, a folded mv/mm, or bmm.
void check_matmul_shapes(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  auto check_mv = [](int64_t rows, int64_t cols, int64_t vlen) {
    FT_CHECK(cols == vlen, "size mismatch, got ", rows, ", ", rows, "x", cols, ",", vlen);
  };
  auto check_mm = [](int64_t r1, int64_t c1, int64_t r2, int64_t c2) {
    FT_CHECK(c1 == r2, "mat1 and mat2 shapes cannot be multiplied (", r1, "x", c1, " and ", r2, "x", c2, ")");
  };
  if (da == 2 && db == 1) {
    check_mv(a.size(0), a.size(1), b.size(0));
  } else if (da == 1 && db == 2) {
    check_mm(1, a.size(0), b.size(0), b.size(1));
  } else if (da == 2 && db == 2) {
    check_mm(a.size(0), a.size(1), b.size(0), b.size(1));
  } else if (should_fold(a, db)) {  // a as (rows, k)
    int64_t rows = fold_rows(a, da - 1);
    if (db == 1) check_mv(rows, a.size(-1), b.size(0));
    else check_mm(rows, a.size(-1), b.size(0), b.size(1));
  } else if (should_fold(b, da)) {  // b^T as (rows, k2), times a^T
    int64_t rows = fold_rows(b, db - 2);
    if (da == 1) check_mv(rows, b.size(-2), a.size(0));
    else check_mm(rows, b.size(-2), a.size(1), a.size(0));
  } else {  // bmm over the broadcast batch: the batch is checked first
    IntArrayRef a_batch(a.sizes().data(), size_t(da - 2)), b_batch(b.sizes().data(), size_t(db - 2));
    int64_t bs = 1;
    for (int64_t s : broadcast_shapes(a_batch, b_batch)) bs *= s;
    FT_CHECK(a.size(-1) == b.size(-2), "Expected size for first two dimensions of batch2 tensor to be: [", bs, ", ",
             a.size(-1), "] but got: [", bs, ", ", b.size(-2), "].");
  }
}

// torch.matmul: dot, mv, mm, and batched products with broadcasting.
Tensor matmul_compute(const Tensor& a_in, const Tensor& b_in) {
  autograd::NoGradGuard ng;
  const int64_t da = a_in.dim(), db = b_in.dim();
  FT_CHECK(da > 0 && db > 0, "both arguments to matmul need to be at least 1D, but they are ", da, "D and ", db, "D");
  if (da == 1 && db == 1) {
    FT_CHECK(a_in.dtype() == b_in.dtype(), "dot : expected both vectors to have same dtype, but found ",
             dtype_torch_name(a_in.dtype()), " and ", dtype_torch_name(b_in.dtype()));
    FT_CHECK(a_in.size(0) == b_in.size(0), "inconsistent tensor size, expected tensor [", a_in.size(0),
             "] and src [", b_in.size(0), "] to have the same number of elements, but got ", a_in.size(0), " and ",
             b_in.size(0), " elements respectively");
    // dot's kernel set (no Bool, no Half), checked before the empty case as ATen does
    FT_CHECK_KIND(ErrorKind::NotImplemented, a_in.dtype() != DType::Bool && a_in.dtype() != DType::Float16,
                  "\"dot\" not implemented for '", dtype_torch_name(a_in.dtype()), "'");
    if (a_in.size(0) == 0) return zeros({}, a_in.dtype());
    Tensor out = empty({1, 1}, a_in.dtype());
    kernels::gemm(out, a_in.unsqueeze(0), b_in.unsqueeze(1));
    return out.view(IntArrayRef());
  }
  Tensor a = da == 1 ? a_in.unsqueeze(0) : a_in;  // (1, k)
  Tensor b = db == 1 ? b_in.unsqueeze(1) : b_in;  // (k, 1)
  const int64_t n = a.size(-2), k = a.size(-1), m = b.size(-1);
  check_matmul_shapes(a_in, b_in);
  IntArrayRef a_batch(a.sizes().data(), size_t(a.dim() - 2)), b_batch(b.sizes().data(), size_t(b.dim() - 2));
  DimVector batch = broadcast_shapes(a_batch, b_batch);
  int64_t out_numel = n * m;
  for (int64_t s : batch) out_numel *= s;
  // Which libtorch kernel runs decides the trivial-case dtype (NOTE [ Trivial products ]).
  bool mv_like = db == 1, mm_like = db == 2;
  bool trivial = out_numel == 0 || k == 0;
  DType dt = product_dtype(a_in, b_in, trivial, !mm_like, mv_like ? "addmv_impl_cpu" : mm_like ? "addmm_impl_cpu_" : "bmm");
  DimVector final_shape(batch);
  if (da > 1) final_shape.push_back(n);
  if (db > 1) final_shape.push_back(m);
  if (trivial) return zeros(final_shape, dt);
  Tensor out = batch.empty() ? empty({n, m}, dt) : batched_gemm(a, b, batch, dt);
  if (batch.empty()) kernels::gemm(out, a, b);
  // Drop the dims that 1-D operands gained.
  return out.view(final_shape);
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("mm");
  Tensor out = mm_compute(a, b);
  autograd::record_mm(a, b, out);
  return out;
}
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("mm");
  ops::check_out_autograd("mm", {&a, &b});
  return ops::write_out(out, mm_compute(a, b));
}
Tensor matmul(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("matmul");
  Tensor out = matmul_compute(a, b);
  autograd::record_matmul(a, b, out);
  return out;
}
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("matmul");
  ops::check_out_autograd("matmul", {&a, &b});
  return ops::write_out(out, matmul_compute(a, b));
}
Tensor Tensor::mm(const Tensor& o) const { return ft::mm(*this, o); }
Tensor Tensor::matmul(const Tensor& o) const { return ft::matmul(*this, o); }

}  // namespace ft
