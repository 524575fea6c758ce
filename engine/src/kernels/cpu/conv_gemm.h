// Raw-pointer GEMM for the convolution kernels: OpenBLAS for float/double,
// a wrapping loop for integer types (libtorch 1.13 convolves integers too).
//
// NOTE [ BLAS inside parallel_for ]
// The convolution kernels parallelize over samples with ft::parallel_for and
// call one small GEMM per sample and group. OpenBLAS (pthreads build) would
// otherwise start its own threads inside each call, oversubscribing the cores
// and serializing on its server lock. BlasSingleThreaded pins OpenBLAS to one
// thread for the duration of a kernel and restores the previous setting, so
// every GEMM runs the same single-threaded code path for any thread count
// (part of DAC promise 1). The setting is process-global: a GEMM started by
// another user thread meanwhile also runs single-threaded (slower, same bits).
#pragma once

#include <cblas.h>

#include <cstdint>
#include <type_traits>

namespace ft::kernels {

struct BlasSingleThreaded {
  int prev;
  BlasSingleThreaded() : prev(openblas_get_num_threads()) { openblas_set_num_threads(1); }
  ~BlasSingleThreaded() { openblas_set_num_threads(prev); }
  BlasSingleThreaded(const BlasSingleThreaded&) = delete;
  BlasSingleThreaded& operator=(const BlasSingleThreaded&) = delete;
};

// Row-major C (M, N) = op(A) @ op(B) (+ C when accumulate); op(A) is (M, K),
// op(B) is (K, N); ta/tb: A/B are stored transposed; ld* are row strides.
template <typename T>
void gemm_rm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb,
             bool accumulate, T* C, int64_t ldc) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const auto ta_ = ta ? CblasTrans : CblasNoTrans, tb_ = tb ? CblasTrans : CblasNoTrans;
    const T beta = accumulate ? T(1) : T(0);
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ta_, tb_, int(M), int(N), int(K), 1.f, A, int(lda), B, int(ldb), beta, C, int(ldc));
    else
      cblas_dgemm(CblasRowMajor, ta_, tb_, int(M), int(N), int(K), 1.0, A, int(lda), B, int(ldb), beta, C, int(ldc));
  } else {
    // Integers: products and sums modulo 2^64, truncated to T (the bits of
    // any wrapping accumulation order; no signed-overflow UB).
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        uint64_t acc = accumulate ? uint64_t(C[i * ldc + j]) : 0;
        for (int64_t k = 0; k < K; ++k) {
          const T a = ta ? A[k * lda + i] : A[i * lda + k];
          const T b = tb ? B[j * ldb + k] : B[k * ldb + j];
          acc += uint64_t(int64_t(a)) * uint64_t(int64_t(b));
        }
        C[i * ldc + j] = T(acc);
      }
  }
}

}  // namespace ft::kernels
