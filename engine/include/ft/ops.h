// The functional op API. Names and argument orders follow ATen (at::add,
// at::add_out(out, ...), at::sum(self, dims, keepdim, dtype)) so that one
// call expression in the op table serves the engine and the oracle alike.
#pragma once

#include <optional>
#include <vector>

#include "ft/tensor.h"

namespace ft {

// ---- creation ---------------------------------------------------------------
struct TensorOptions {
  DType dtype = DType::Float32;
  bool requires_grad = false;
  TensorOptions() = default;
  TensorOptions(DType d) : dtype(d) {}
};
Tensor empty(IntArrayRef sizes, TensorOptions opts = {});
Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, TensorOptions opts = {});
Tensor zeros(IntArrayRef sizes, TensorOptions opts = {});
Tensor ones(IntArrayRef sizes, TensorOptions opts = {});
Tensor full(IntArrayRef sizes, const Scalar& value, TensorOptions opts = {});
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
// arange(end), arange(start, end, step): dtype inferred like PyTorch (int64
// when all arguments are integers, else float32) unless given.
Tensor arange(const Scalar& end, std::optional<DType> dtype = std::nullopt);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1,
              std::optional<DType> dtype = std::nullopt);
// 0-dim tensor; wrapped=true marks it a "wrapped number" for promotion.
Tensor scalar_tensor(const Scalar& v, std::optional<DType> dtype = std::nullopt, bool wrapped = false);
// Copies `values` (converted to dtype) into a new contiguous tensor of `sizes`.
Tensor from_vector(const std::vector<double>& values, IntArrayRef sizes, DType dtype = DType::Float32);
// Wraps external memory without copying; deleter may be null (caller owns).
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, DType dtype,
                 Storage::Deleter deleter = nullptr, void* ctx = nullptr, size_t nbytes = 0);

// ---- views and copies (also Tensor methods) -----------------------------------
Tensor view(const Tensor& t, IntArrayRef sizes);
Tensor reshape(const Tensor& t, IntArrayRef sizes);
Tensor permute(const Tensor& t, IntArrayRef dims);
Tensor transpose(const Tensor& t, int64_t d0, int64_t d1);
Tensor expand(const Tensor& t, IntArrayRef sizes);
Tensor squeeze(const Tensor& t);
Tensor squeeze(const Tensor& t, int64_t d);
Tensor unsqueeze(const Tensor& t, int64_t d);
Tensor narrow(const Tensor& t, int64_t d, int64_t start, int64_t length);
Tensor slice(const Tensor& t, int64_t d, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step);
Tensor select(const Tensor& t, int64_t d, int64_t index);
Tensor as_strided(const Tensor& t, IntArrayRef sizes, IntArrayRef strides, std::optional<int64_t> offset);
Tensor flatten(const Tensor& t, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor clone(const Tensor& t);

// ---- pointwise ------------------------------------------------------------------
Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
Tensor& add_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor& sub_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Scalar& b);
Tensor& mul_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Scalar& b);
Tensor& div_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& a);
Tensor& neg_out(Tensor& out, const Tensor& a);
Tensor exp(const Tensor& a);
Tensor& exp_out(Tensor& out, const Tensor& a);
Tensor log(const Tensor& a);
Tensor& log_out(Tensor& out, const Tensor& a);
Tensor tanh(const Tensor& a);
Tensor& tanh_out(Tensor& out, const Tensor& a);
Tensor relu(const Tensor& a);

// ---- reductions -----------------------------------------------------------------
// An empty dim list reduces every dim (PyTorch 1.13 semantics).
Tensor sum(const Tensor& a, std::optional<DType> dtype = std::nullopt);
Tensor sum(const Tensor& a, IntArrayRef dims, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor& sum_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim = false,
                std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& a, std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& a, IntArrayRef dims, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor& mean_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim = false,
                 std::optional<DType> dtype = std::nullopt);

// ---- linear algebra -------------------------------------------------------------
Tensor mm(const Tensor& a, const Tensor& b);
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b);

// ---- helpers shared by ops and autograd -------------------------------------------
// Sums `t` down to `shape` (the inverse of broadcasting), used for gradients.
Tensor sum_to(const Tensor& t, IntArrayRef shape);
// PyTorch's result_type over tensors (0-dim and wrapped numbers rank lower).
DType result_type(const Tensor& a, const Tensor& b);
DType result_type(const Tensor& a, const Scalar& b);
// Broadcast shape of two shapes; raises PyTorch's message when incompatible.
DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b);
// Wraps a negative dim; raises IndexError like PyTorch when out of range.
int64_t maybe_wrap_dim(int64_t d, int64_t ndim, bool wrap_scalar = true);
// Library version string.
const char* version();

}  // namespace ft

// Op families, one header each.
#include "ft/ops/unary.h"
#include "ft/ops/binary.h"
#include "ft/ops/reduce.h"
#include "ft/ops/shape.h"
#include "ft/ops/nn.h"
#include "ft/ops/index.h"
#include "ft/ops/linalg.h"
#include "ft/ops/norm.h"
#include "ft/ops/loss.h"
#include "ft/ops/sort.h"
#include "ft/ops/conv_extra.h"
#include "ft/ops/creation.h"
