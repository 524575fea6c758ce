// Functional API of the sorting op family (included by ft/ops.h): sort
// (stable or not, descending), argsort, msort, topk, kthvalue, searchsorted,
// bucketize, unique (_unique2) and unique_consecutive. Names, argument
// orders, defaults, result dtypes and error messages mirror ATen 1.13 CPU
// (see NOTE [ One call for both sides ] in ft/ops.def).
//
// NOTE [ Sorting ties ]
// Which index wins among equal values is observable, so each kernel runs the
// very algorithm libtorch 1.13's CPU kernel runs, over the same sequence with
// the same value-only, NaN-aware comparator: std::stable_sort / std::sort
// for sort, std::partial_sort or std::nth_element (+ std::sort of the first
// k-1) for topk, the median-of-three quickselect of ATen's
// quick_select_template for kthvalue, and a plain lower/upper-bound loop for
// searchsorted. libstdc++'s algorithms are deterministic, so equal inputs give
// equal tie orders on both sides (verified against the oracle by the parity
// suites, which generate ties on purpose).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace ft {

// ATen's kInt, for the op table's out_int32 outs (kLong is in ft/ops/index.h).
constexpr DType kInt = DType::Int32;

// ---- sort (values, int64 indices); NaN sorts above +inf. stable=false uses
// std::sort (ties in an unspecified but deterministic order, as ATen).
std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim = -1, bool descending = false);
std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim = -1,
                                bool descending = false);
std::tuple<Tensor&, Tensor&> sort_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim = -1,
                                      bool descending = false);
std::tuple<Tensor&, Tensor&> sort_out(Tensor& values, Tensor& indices, const Tensor& self,
                                      std::optional<bool> stable, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& self, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& self, bool stable, int64_t dim = -1, bool descending = false);
Tensor msort(const Tensor& self);  // sort along dim 0, values only
Tensor& msort_out(Tensor& out, const Tensor& self);

// ---- selection: the k largest (or smallest) along dim; the k-th smallest.
std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);
std::tuple<Tensor&, Tensor&> topk_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                                      int64_t dim = -1, bool largest = true, bool sorted = true);
std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim = -1, bool keepdim = false);
std::tuple<Tensor&, Tensor&> kthvalue_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                                          int64_t dim = -1, bool keepdim = false);

// ---- binary search (int64 result, int32 with out_int32). side ("left" /
// "right") overrides right; sorter (int64, boundaries' shape) gives the
// sorted order of an unsorted sequence. The sequence and the values are
// compared in their common dtype (result_type).
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& self, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = std::nullopt,
                    const std::optional<Tensor>& sorter = std::nullopt);
Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& self, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = std::nullopt,
                    const std::optional<Tensor>& sorter = std::nullopt);
Tensor& searchsorted_out(Tensor& out, const Tensor& sorted_sequence, const Tensor& self, bool out_int32 = false,
                         bool right = false, std::optional<std::string_view> side = std::nullopt,
                         const std::optional<Tensor>& sorter = std::nullopt);
// boundaries: 1-D, sorted ascending.
Tensor bucketize(const Tensor& self, const Tensor& boundaries, bool out_int32 = false, bool right = false);
Tensor bucketize(const Scalar& self, const Tensor& boundaries, bool out_int32 = false, bool right = false);
Tensor& bucketize_out(Tensor& out, const Tensor& self, const Tensor& boundaries, bool out_int32 = false,
                      bool right = false);

// ---- unique elements (output, inverse indices, counts); the last two are
// empty unless asked for. See NOTE [ unique's order ] in src/ops/sort_unique.cpp.
std::tuple<Tensor, Tensor, Tensor> _unique2(const Tensor& self, bool sorted = true, bool return_inverse = false,
                                            bool return_counts = false);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse = false,
                                                      bool return_counts = false,
                                                      std::optional<int64_t> dim = std::nullopt);

// ---- op-table helpers (both sides)
// An out= argument made in the call itself (ATen's out overloads take
// Tensor&): the temporary lives to the end of the full expression, which
// is where the op table turns the results into a list.
template <typename T>
T& lvalue(T&& t) {
  return t;
}
// The same optional template as OptDType (std:: on the engine side, c10::
// in the oracle) holding another type.
template <typename Opt, typename U> struct rebind_opt_;
template <template <typename> class O, typename T, typename U> struct rebind_opt_<O<T>, U> {
  using type = O<U>;
};
// side=: None when s is empty, else the string. Converts to either side's
// optional string view (std::optional<std::string_view> here,
// c10::optional<c10::string_view> in the oracle; c10::optional has no
// converting constructor from another optional, hence the conversion
// operator). The string must outlive the call, as C.str does.
// Only optionals are targets: were OptStr convertible to a string view,
// the optional's own converting constructor would compete.
struct OptStr {
  const std::string* s;
  template <typename O, typename = decltype(std::declval<const O&>().has_value())>
  operator O() const {
    return s->empty() ? O() : O(typename O::value_type(*s));
  }
};
inline OptStr opt_str(const std::string& s) { return OptStr{&s}; }
// sorter=: an optional tensor holding t when `present`.
template <typename Opt, typename T>
typename rebind_opt_<Opt, T>::type opt_tensor_if(bool present, const T& t) {
  using O = typename rebind_opt_<Opt, T>::type;
  return present ? O(t) : O();
}

// ---- unique slices along dim (torch.unique(dim=)): always sorted
// lexicographically (libtorch 1.13 ignores sorted=); the inverse indices and
// counts are always computed and returned. See src/ops/sort_unique_dim.cpp.
std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& self, int64_t dim, bool sorted = true,
                                              bool return_inverse = false, bool return_counts = false);

}  // namespace ft
