// 2-D convolution kernels: im2col + GEMM forward, GEMM + col2im for the
// input gradient, GEMM accumulated over the batch for the weight gradient.
// Every tensor passed in is contiguous NCHW with all sizes >= 1 (the op
// front-ends in ops/nn_conv*.cpp check arguments and handle empty problems).
#pragma once

#include <cstdint>

#include "ft/tensor.h"

namespace ft::kernels {

// One convolution problem: input (N, C, H, W), weight (Cout, C/groups, kh, kw),
// output (N, Cout, Ho, Wo). Padding is given per side because 'same' padding
// can be asymmetric; only top/left enter the index arithmetic (the bottom and
// right padding are implied by Ho/Wo).
struct Conv2dShape {
  int64_t N = 1, C = 1, H = 1, W = 1;
  int64_t Cout = 1, kh = 1, kw = 1;
  int64_t Ho = 1, Wo = 1;
  int64_t sh = 1, sw = 1, pt = 0, pl = 0, dh = 1, dw = 1;
  int64_t groups = 1;

  int64_t cin_g() const { return C / groups; }
  int64_t cout_g() const { return Cout / groups; }
  int64_t col_rows() const { return cin_g() * kh * kw; }  // K of the GEMMs
  int64_t col_cols() const { return Ho * Wo; }            // L of the GEMMs
  // A 1x1 kernel with stride 1 and no padding: the input plane is its own
  // im2col matrix, so the copy is skipped.
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && Ho == H && Wo == W;
  }
};

// out (N, Cout, Ho, Wo) = conv(in, w) + bias; bias (Cout) may be undefined.
void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& w, const Tensor& bias, const Conv2dShape& s);
// gin (N, C, H, W) = the adjoint of conv in its input, applied to gout.
void conv2d_backward_input(const Tensor& gin, const Tensor& gout, const Tensor& w, const Conv2dShape& s);
// gw (Cout, C/groups, kh, kw) = sum over the batch of gout[n] (x) im2col(in[n]).
void conv2d_backward_weight(const Tensor& gw, const Tensor& gout, const Tensor& in, const Conv2dShape& s);

// out (N, C, H, W) = conv2d_backward_input(in (N, Cout, Ho, Wo), w) + bias (C):
// the transposed convolution; float32, float64 and int64 (ATen 1.13's set).
void conv_transpose2d_forward(const Tensor& out, const Tensor& in, const Tensor& w, const Tensor& bias,
                              const Conv2dShape& s);

}  // namespace ft::kernels
