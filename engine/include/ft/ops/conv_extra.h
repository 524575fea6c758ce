// Functional API of the conv_extra op family (included by ft/ops.h):
// transposed convolutions, the 1-D poolings and bilinear (the extra
// functional forms behind torch.nn's conv/pooling/Bilinear modules). Names, argument orders,
// defaults and checks mirror ATen 1.13 (NOTE [ One call for both sides ] in
// ft/ops.def).
//
// As in ATen, the 1-D poolings run the 2-D ones on an input with a height-1
// dim inserted before the last one and squeeze it away again, so their
// grad_fn is SqueezeBackward1 and max_pool1d's indices index the length dim.
// max_pool1d without autograd (no input requiring grad, or grad mode off)
// takes ATen's separate max_pool1d_impl path, with its own checks: it allows
// an empty output where the indices path raises.
#pragma once

#include <optional>
#include <tuple>

namespace ft {

// ---- transposed convolution: weight (C_in, C_out / groups, kH, kW); bias
// (C_out) or none. Output extent per dim: (in - 1) * stride - 2 * padding +
// dilation * (k - 1) + output_padding + 1; output_padding must be smaller
// than the stride or the dilation of its dim. Float32, float64 and int64.
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
                        IntArrayRef stride = {1}, IntArrayRef padding = {0}, IntArrayRef output_padding = {0},
                        int64_t groups = 1, IntArrayRef dilation = {1});
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
                        IntArrayRef stride = {1}, IntArrayRef padding = {0}, IntArrayRef output_padding = {0},
                        int64_t groups = 1, IntArrayRef dilation = {1});

// ---- 1-D pooling over the last dim of a (N, C, L) or (C, L) input. An empty
// stride means stride = kernel_size.
Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = {0},
                  IntArrayRef dilation = {1}, bool ceil_mode = false);
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride = {}, IntArrayRef padding = {0},
                                                   IntArrayRef dilation = {1}, bool ceil_mode = false);
Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = {0},
                  bool ceil_mode = false, bool count_include_pad = true);
Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size);
// (values, int64 indices into each H*W plane / into L); float32 and float64.
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size);

// ---- bilinear: y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j]
// (+ bias[o]); input1 (*, I) and input2 (*, J) share the leading dims,
// weight (O, I, J), bias (O) or none. Same dtype throughout (ints included).
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const std::optional<Tensor>& bias = std::nullopt);

}  // namespace ft
