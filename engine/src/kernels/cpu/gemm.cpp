// GEMM through OpenBLAS (float, double) and a plain triple loop for integers.
#include "gemm.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "ft/ops.h"

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

template <typename T>
void int_gemm(const Tensor& out, const Tensor& a, const Tensor& b) {
  using U = std::conditional_t<std::is_same_v<T, bool>, uint8_t, std::make_unsigned_t<T>>;
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  const T* A = a.data_ptr<T>();
  const T* B = b.data_ptr<T>();
  T* C = out.data_ptr<T>();
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      U acc = 0;  // unsigned: wrap-around instead of UB, same bits as PyTorch
      for (int64_t k = 0; k < K; ++k)
        acc = U(acc + U(A[i * a.stride(0) + k * a.stride(1)]) * U(B[k * b.stride(0) + j * b.stride(1)]));
      C[i * out.stride(0) + j * out.stride(1)] = T(acc);
    }
}

}  // namespace

void gemm(const Tensor& out, const Tensor& a, const Tensor& b) {
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  if (M == 0 || N == 0) return;
  if (K == 0) {
    Tensor(out).fill_(0);
    return;
  }
  if (!is_floating(out.dtype())) {
    FT_DISPATCH_ALL(out.dtype(), "addmm_impl_cpu_", [&] {
      if constexpr (std::is_integral_v<scalar_t>) int_gemm<scalar_t>(out, a, b);
    });
    return;
  }
  FT_DISPATCH_FLOATING(out.dtype(), "addmm_impl_cpu_", [&] {
    using T = scalar_t;
    Tensor A = a, B = b;
    CBLAS_TRANSPOSE ta, tb;
    int64_t lda, ldb;
    if (!blas_layout(M, K, A.stride(0), A.stride(1), ta, lda)) {
      A = A.contiguous();
      blas_layout(M, K, A.stride(0), A.stride(1), ta, lda);
    }
    if (!blas_layout(K, N, B.stride(0), B.stride(1), tb, ldb)) {
      B = B.contiguous();
      blas_layout(K, N, B.stride(0), B.stride(1), tb, ldb);
    }
    // Write into a contiguous buffer unless out already is one.
    bool direct = out.is_contiguous() || (out.stride(1) == 1 && out.stride(0) >= N);
    Tensor C = direct ? out : empty({M, N}, out.dtype());
    int64_t ldc = M == 1 ? std::max<int64_t>(N, 1) : C.stride(0);
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ta, tb, int(M), int(N), int(K), 1.f, A.data_ptr<float>(), int(lda),
                  B.data_ptr<float>(), int(ldb), 0.f, C.data_ptr<float>(), int(ldc));
    else
      cblas_dgemm(CblasRowMajor, ta, tb, int(M), int(N), int(K), 1.0, A.data_ptr<double>(), int(lda),
                  B.data_ptr<double>(), int(ldb), 0.0, C.data_ptr<double>(), int(ldc));
    if (!direct) Tensor(out).copy_(C);
  });
}

}  // namespace ft::kernels
