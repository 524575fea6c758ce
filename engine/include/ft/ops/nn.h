// Functional API of the nn op family (included by ft/ops.h): convolutions
// (conv1d, conv2d, with int or 'same'/'valid' padding) and 2-D pooling
// (max_pool2d, max_pool2d_with_indices, avg_pool2d, adaptive_avg_pool2d).
// Names, argument orders, defaults and checks mirror ATen 1.13 (see NOTE
// [ One call for both sides ] in ft/ops.def). Inputs are NCHW (NCL for
// conv1d) or unbatched CHW (CL); results are contiguous.
//
// Dtypes follow libtorch 1.13's CPU kernels: conv on float32/float64 and the
// integer types (slow_conv2d has integer kernels), max and adaptive-average
// pooling on float32/float64, avg_pool2d also on int64 (truncating division).
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ft {

// ---- convolution: weight (C_out, C_in / groups, kH, kW); bias (C_out) or none.
// stride/padding/dilation take one value (used for every spatial dim) or one
// per spatial dim. padding "same" (stride 1 only) pads so that the output has
// the input's size, with the extra element on the right for odd totals;
// "valid" means no padding.
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
              IntArrayRef stride = {1}, IntArrayRef padding = {0}, IntArrayRef dilation = {1}, int64_t groups = 1);
Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
              IntArrayRef stride = {1}, IntArrayRef padding = {0}, IntArrayRef dilation = {1}, int64_t groups = 1);

namespace detail {
Tensor conv2d_padding_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                           IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups);
Tensor conv1d_padding_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                           IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups);
template <typename S>
using if_string_ = std::enable_if_t<std::is_convertible_v<const S&, std::string_view>, int>;
}  // namespace detail

// The padding-string overloads are templates so that a braced list such as
// {0} (which could also convert to a null const char*) always means ints.
template <typename S, detail::if_string_<S> = 0>
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              const S& padding, IntArrayRef dilation = {1}, int64_t groups = 1) {
  return detail::conv2d_padding_mode(input, weight, bias, stride, std::string_view(padding), dilation, groups);
}
template <typename S, detail::if_string_<S> = 0>
Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              const S& padding, IntArrayRef dilation = {1}, int64_t groups = 1) {
  return detail::conv1d_padding_mode(input, weight, bias, stride, std::string_view(padding), dilation, groups);
}

// ---- pooling. An empty stride means stride = kernel_size.
Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = {0},
                  IntArrayRef dilation = {1}, bool ceil_mode = false);
// (values, int64 indices into each H*W plane of the input)
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                                                   IntArrayRef padding = {0}, IntArrayRef dilation = {1},
                                                   bool ceil_mode = false);
Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = {0},
                  bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);
// output_size (oH, oW); (1, 1) is a mean over the last two dims (as ATen).
Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size);

// ---- helpers for op-table call expressions (work with ft:: and at:: types)
// NOTE [ Packed int lists ]
// An op-table call has one int-list slot (C.ints) but convolution and pooling
// take three or four lists. The generators pack them as
// [len_0, values_0..., len_1, values_1..., ...]; int_sublist<ArrayRefT>(v, k)
// returns list k as a view into v (ft::IntArrayRef or at::IntArrayRef), so a
// list of any length (including invalid ones) reaches both sides.
template <typename ArrayRefT>
ArrayRefT int_sublist(const std::vector<int64_t>& packed, size_t k) {
  size_t pos = 0;
  for (size_t i = 0; i < k && pos < packed.size(); ++i) pos += size_t(packed[pos]) + 1;
  if (pos >= packed.size()) return ArrayRefT();
  return ArrayRefT(packed.data() + pos + 1, size_t(packed[pos]));
}
// Input i of a call's tensor list, or an undefined tensor (an absent bias).
template <typename Vec>
typename Vec::value_type input_or_none(const Vec& in, size_t i) {
  return i < in.size() ? in[i] : typename Vec::value_type();
}

}  // namespace ft
