// GEMM, GEMV and dot through OpenBLAS (float, double) and plain loops for
// integers (unsigned arithmetic: wrap-around instead of UB, the same bits as
// PyTorch's loops).
#include "gemm.h"

#include <cblas.h>

#include <algorithm>
#include <type_traits>

#include "ft/ops.h"
#include "../../ops/op_helpers.h"

namespace ft::kernels {
namespace {

// Whether a (rows x cols) matrix with strides (s0, s1) is a BLAS operand as is,
// and with which transpose flag and leading dimension.
bool blas_layout(int64_t rows, int64_t cols, int64_t s0, int64_t s1, CBLAS_TRANSPOSE& trans, int64_t& ld) {
  if ((s1 == 1 || cols == 1) && (rows == 1 || s0 >= std::max<int64_t>(1, cols))) {
    trans = CblasNoTrans;
    ld = rows == 1 ? std::max<int64_t>(1, cols) : s0;
    return true;
  }
  if ((s0 == 1 || rows == 1) && (cols == 1 || s1 >= std::max<int64_t>(1, rows))) {
    trans = CblasTrans;
    ld = cols == 1 ? std::max<int64_t>(1, rows) : s1;
    return true;
  }
  return false;
}

// A 2-D operand or a batch of them: batch stride (0 for a 2-D tensor) and the
// strides of its last two dims.
struct MatGeom {
  int64_t sb, s0, s1;
};
MatGeom geom(const Tensor& t) {
  const int64_t d = t.dim();
  return {d == 3 ? t.stride(0) : 0, t.stride(d - 2), t.stride(d - 1)};
}

// Accumulator/arithmetic type: the float itself, or the unsigned twin of an integer.
template <typename T, bool = std::is_floating_point_v<T>>
struct WideT {
  using type = T;
};
template <typename T>
struct WideT<T, false> {
  using type = std::make_unsigned_t<T>;
};
// BFloat16 accumulates in float and rounds once on store (NOTE [ Half and BFloat16 kernels ]).
template <>
struct WideT<BFloat16, false> {
  using type = float;
};
template <typename T>
using Wide = typename WideT<T>::type;

// c = beta * c (beta == 0: c = 0, its old value unread) for a batch of (M,N).
template <typename T>
void scale_batch(T* C, MatGeom gc, int64_t B, int64_t M, int64_t N, T beta) {
  using U = Wide<T>;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        T& c = C[b * gc.sb + i * gc.s0 + j * gc.s1];
        c = beta == T(0) ? T(0) : T(U(beta) * U(c));
      }
}

// One output element at a time, k in order from a zero accumulator, then
// c = beta == 0 ? alpha * acc : c * beta + alpha * acc: ATen's integer GEMM
// and its small-problem bmm/baddbmm kernel (whose float bits, signed zeros
// included, BLAS does not reproduce). read_c: c * beta even when beta == 0
// (NaN in c propagates; ATen 1.13's small in-place baddbmm_).
template <typename T>
void naive_gemm(const Tensor& out, const Tensor& a, const Tensor& b, int64_t B, int64_t M, int64_t N, int64_t K,
                T alpha, T beta, bool read_c) {
  using U = Wide<T>;
  const T* A = a.data_ptr<T>();
  const T* Bm = b.data_ptr<T>();
  T* C = out.data_ptr<T>();
  const MatGeom ga = geom(a), gb = geom(b), gc = geom(out);
  for (int64_t n = 0; n < B; ++n)
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        U acc = 0;
        for (int64_t k = 0; k < K; ++k)
          acc = U(acc + U(A[n * ga.sb + i * ga.s0 + k * ga.s1]) * U(Bm[n * gb.sb + k * gb.s0 + j * gb.s1]));
        T& c = C[n * gc.sb + i * gc.s0 + j * gc.s1];
        c = beta == T(0) && !read_c ? T(U(alpha) * acc) : T(U(c) * U(beta) + U(alpha) * acc);
      }
}

template <typename T>
void blas_gemm(const Tensor& out, Tensor A, Tensor Bt, int64_t B, int64_t M, int64_t N, int64_t K, T alpha, T beta) {
  CBLAS_TRANSPOSE ta, tb;
  int64_t lda, ldb;
  MatGeom ga = geom(A), gb = geom(Bt);
  if (!blas_layout(M, K, ga.s0, ga.s1, ta, lda)) {
    A = A.contiguous();
    ga = geom(A);
    blas_layout(M, K, ga.s0, ga.s1, ta, lda);
  }
  if (!blas_layout(K, N, gb.s0, gb.s1, tb, ldb)) {
    Bt = Bt.contiguous();
    gb = geom(Bt);
    blas_layout(K, N, gb.s0, gb.s1, tb, ldb);
  }
  // Write into a row-major buffer unless out already is one (with beta != 0
  // the buffer starts as a copy of out).
  MatGeom gc = geom(out);
  bool direct = (gc.s1 == 1 || N == 1) && (M == 1 || gc.s0 >= N) && (B == 1 || gc.sb >= M * N);
  Tensor C = direct ? out : (beta == T(0) ? empty(out.sizes(), out.dtype()) : out.contiguous());
  if (!direct) gc = geom(C);
  const int64_t ldc = M == 1 ? std::max<int64_t>(N, 1) : gc.s0;
  const T* pa = A.data_ptr<T>();
  const T* pb = Bt.data_ptr<T>();
  T* pc = C.data_ptr<T>();
  for (int64_t n = 0; n < B; ++n) {
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ta, tb, int(M), int(N), int(K), alpha, pa + n * ga.sb, int(lda), pb + n * gb.sb,
                  int(ldb), beta, pc + n * gc.sb, int(ldc));
    else
      cblas_dgemm(CblasRowMajor, ta, tb, int(M), int(N), int(K), alpha, pa + n * ga.sb, int(lda), pb + n * gb.sb,
                  int(ldb), beta, pc + n * gc.sb, int(ldc));
  }
  if (!direct) Tensor(out).copy_(C);
}

template <typename T>
void gemm_typed(const Tensor& out, const Tensor& a, const Tensor& b, int64_t B, int64_t M, int64_t N, int64_t K,
                T alpha, T beta, GemmPath path) {
  if (K == 0) {
    scale_batch<T>(out.data_ptr<T>(), geom(out), B, M, N, beta);
    return;
  }
  if constexpr (std::is_floating_point_v<T>)
    if (path == GemmPath::Blas) return blas_gemm<T>(out, a, b, B, M, N, K, alpha, beta);
  naive_gemm<T>(out, a, b, B, M, N, K, alpha, beta, path == GemmPath::LoopReadingOut);
}

template <typename T>
void gemv_typed(const Tensor& out, const Tensor& mat, const Tensor& vec, T al, T be) {
  using U = Wide<T>;
  const int64_t M = mat.size(0), K = mat.size(1);
  T* y = out.data_ptr<T>();
  const int64_t sy = out.stride(0);
  if (K == 0) {
    scale_batch<T>(y, {0, sy, 0}, 1, M, 1, be);
    return;
  }
  if constexpr (std::is_floating_point_v<T>) {
    // PyTorch's rule for beta == 0 (out not read), whatever BLAS's scal does.
    if (be == T(0))
      for (int64_t i = 0; i < M; ++i) y[i * sy] = T(0);
    Tensor m = mat, v = vec.stride(0) > 0 ? vec : vec.contiguous();
    CBLAS_TRANSPOSE layout;
    int64_t lda;
    if (!blas_layout(M, K, m.stride(0), m.stride(1), layout, lda)) {
      m = m.contiguous();
      blas_layout(M, K, m.stride(0), m.stride(1), layout, lda);
    }
    // A "transposed" layout is a column-major (M, K) matrix.
    const CBLAS_ORDER order = layout == CblasNoTrans ? CblasRowMajor : CblasColMajor;
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemv(order, CblasNoTrans, int(M), int(K), al, m.data_ptr<float>(), int(lda), v.data_ptr<float>(),
                  int(v.stride(0)), be, y, int(sy));
    else
      cblas_dgemv(order, CblasNoTrans, int(M), int(K), al, m.data_ptr<double>(), int(lda), v.data_ptr<double>(),
                  int(v.stride(0)), be, y, int(sy));
  } else {
    const T* A = mat.data_ptr<T>();
    const T* x = vec.data_ptr<T>();
    const int64_t s0 = mat.stride(0), s1 = mat.stride(1), sx = vec.stride(0);
    for (int64_t i = 0; i < M; ++i) {
      U acc = 0;
      for (int64_t k = 0; k < K; ++k) acc = U(acc + U(A[i * s0 + k * s1]) * U(x[k * sx]));
      y[i * sy] = be == T(0) ? T(U(al) * acc) : T(U(be) * U(y[i * sy]) + U(al) * acc);
    }
  }
}

template <typename T>
T dot_typed(const Tensor& a, const Tensor& b) {
  const int64_t n = a.numel();
  const T* x = a.data_ptr<T>();
  const T* y = b.data_ptr<T>();
  // ATen passes unit strides for a single element.
  const int incx = n == 1 ? 1 : int(a.stride(0)), incy = n == 1 ? 1 : int(b.stride(0));
  if (n == 0) return T(0);
  if constexpr (std::is_same_v<T, float>) {
    return cblas_sdot(int(n), x, incx, y, incy);
  } else if constexpr (std::is_same_v<T, double>) {
    return cblas_ddot(int(n), x, incx, y, incy);
  } else {
    using U = Wide<T>;
    U acc = 0;
    for (int64_t i = 0; i < n; ++i) acc = U(acc + U(x[i * incx]) * U(y[i * incy]));
    return T(acc);
  }
}

}  // namespace

void gemm(const Tensor& out, const Tensor& a, const Tensor& b) { gemm(out, a, b, 1, 0, GemmPath::Blas); }

void gemm(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha, const Scalar& beta, GemmPath path) {
  const int64_t d = out.dim();
  const int64_t B = d == 3 ? out.size(0) : 1, M = a.size(-2), K = a.size(-1), N = b.size(-1);
  if (B == 0 || M == 0 || N == 0) return;
  ops::check_scalar_fits(alpha, out.dtype());
  ops::check_scalar_fits(beta, out.dtype());
  FT_DISPATCH_ALL_AND_BF16(out.dtype(), "addmm_impl_cpu_", [&] {
    gemm_typed<scalar_t>(out, a, b, B, M, N, K, alpha.to<scalar_t>(), beta.to<scalar_t>(), path);
  });
}

void gemv(const Tensor& out, const Tensor& mat, const Tensor& vec, const Scalar& alpha, const Scalar& beta) {
  if (mat.size(0) == 0) return;
  ops::check_scalar_fits(alpha, out.dtype());
  ops::check_scalar_fits(beta, out.dtype());
  FT_DISPATCH_ALL_AND_BF16(out.dtype(), "addmv_impl_cpu",
                  [&] { gemv_typed<scalar_t>(out, mat, vec, alpha.to<scalar_t>(), beta.to<scalar_t>()); });
}

void dot(const Tensor& out, const Tensor& a, const Tensor& b) {
  FT_DISPATCH_ALL_AND_BF16(a.dtype(), "dot", [&] { *out.data_ptr<scalar_t>() = dot_typed<scalar_t>(a, b); });
}

}  // namespace ft::kernels
