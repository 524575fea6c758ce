// Functional API of the reduce op family (included by ft/ops.h). Names,
// argument orders and defaults mirror ATen 1.13 (see NOTE [ One call for both
// sides ] in ft/ops.def); an empty dim list reduces every dim.
#pragma once

#include <optional>
#include <tuple>

namespace ft {

// ---- extrema (exact; ties and NaN as PyTorch CPU, see kernels/cpu/reduce_select.h)
Tensor amax(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor amin(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor& amax_out(Tensor& out, const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor& amin_out(Tensor& out, const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor max(const Tensor& a);
Tensor min(const Tensor& a);
std::tuple<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim = false);  // (values, indices)
std::tuple<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor& argmax_out(Tensor& out, const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor& argmin_out(Tensor& out, const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor median(const Tensor& a);  // the lower median; NaN if any NaN
std::tuple<Tensor, Tensor> median(const Tensor& a, int64_t dim, bool keepdim = false);  // (values, indices)
std::tuple<Tensor, Tensor> aminmax(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);

// ---- arithmetic
Tensor nansum(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor& nansum_out(Tensor& out, const Tensor& a, IntArrayRef dims = {}, bool keepdim = false,
                   std::optional<DType> dtype = std::nullopt);
Tensor nanmean(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor prod(const Tensor& a, std::optional<DType> dtype = std::nullopt);
Tensor prod(const Tensor& a, int64_t dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor& prod_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim = false,
                 std::optional<DType> dtype = std::nullopt);
Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim = false);
Tensor& logsumexp_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim = false);
// correction: the divisor is max(0, n - correction) (default 1).
Tensor var(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim = false);
Tensor std(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim = false);
Tensor& var_out(Tensor& out, const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim = false);
Tensor& std_out(Tensor& out, const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim = false);
std::tuple<Tensor, Tensor> var_mean(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction,
                                    bool keepdim = false);  // (var, mean)
std::tuple<Tensor, Tensor> std_mean(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction,
                                    bool keepdim = false);  // (std, mean)
Tensor linalg_vector_norm(const Tensor& a, const Scalar& ord = 2, IntArrayRef dims = {}, bool keepdim = false,
                          std::optional<DType> dtype = std::nullopt);
Tensor& linalg_vector_norm_out(Tensor& out, const Tensor& a, const Scalar& ord = 2, IntArrayRef dims = {},
                               bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor norm(const Tensor& a, const std::optional<Scalar>& p, IntArrayRef dims, bool keepdim = false);

Tensor frobenius_norm(const Tensor& a, IntArrayRef dims, bool keepdim = false);  // 'fro'

// ---- logical
Tensor all(const Tensor& a);
Tensor any(const Tensor& a);
Tensor all(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor& all_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim = false);
Tensor& any_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim = false);
Tensor count_nonzero(const Tensor& a, IntArrayRef dims);

// ---- scans
Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor& cumsum_out(Tensor& out, const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor& cumprod_out(Tensor& out, const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
std::tuple<Tensor, Tensor> cummax(const Tensor& a, int64_t dim);  // (values, indices)
std::tuple<Tensor, Tensor> cummin(const Tensor& a, int64_t dim);
Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);

// An optional<int64_t> of the same optional template as OptDType (std:: on
// the engine side, c10:: in the oracle), so one op-table call passes an
// optional int to both: `ft::opt_int<decltype(C.dtype)>(C.n)`.
template <typename Opt> struct rebind_optional_;
template <template <typename> class O, typename T> struct rebind_optional_<O<T>> { using type = O<int64_t>; };
template <typename Opt> typename rebind_optional_<Opt>::type opt_int(int64_t v) { return v; }
template <typename Opt> typename rebind_optional_<Opt>::type opt_int() { return {}; }

}  // namespace ft
