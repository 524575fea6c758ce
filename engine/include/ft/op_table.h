// The op table as data: one OpInfo per line of ft/ops.def, with the engine's
// invoker for each. See NOTE [ One call for both sides ] in ops.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ft/indexing.h"
#include "ft/ops.h"

namespace ft {

enum class OpVariant : uint8_t { Functional, Method, Inplace, Out };
// Argument schema; also selects the sample-input generator of the harness.
// Custom: the entry's own generator, registered in properties/src/gen_<family>.cpp.
enum class OpKind : uint8_t { Unary, UnaryScalar, Binary, BinaryAlpha, Ternary, ReduceAll, Reduce, MM, Matmul, Custom };
// Comparator policy (see ARCHITECTURE.md, comparator policy). ShapeOnly:
// results with undefined contents (empty, empty_like) compare shape, dtype
// and strides, never values.
enum class CmpKind : uint8_t { Exact, Elementwise, Ulp4, Reduction, Matmul, ShapeOnly };
// Result dtype relative to the (first) input's dtype.
enum class OutDType : uint8_t { Same, FloatIfInt, LongIfInt };

// Dtype bit sets used by ops.def.
constexpr uint32_t dtype_bit(DType t) { return 1u << int(t); }
constexpr uint32_t FT_U8 = dtype_bit(DType::UInt8), FT_I8 = dtype_bit(DType::Int8), FT_I16 = dtype_bit(DType::Int16),
                   FT_I32 = dtype_bit(DType::Int32), FT_I64 = dtype_bit(DType::Int64),
                   FT_F16 = dtype_bit(DType::Float16), FT_F32 = dtype_bit(DType::Float32),
                   FT_F64 = dtype_bit(DType::Float64), FT_B8 = dtype_bit(DType::Bool),
                   FT_BF16 = dtype_bit(DType::BFloat16);

// The arguments of one call. The harness instantiates it with the engine's
// types (EngineTraits) and the oracle bridge with ATen's; which fields an op
// uses is written in its call expression in ops.def.
template <typename Traits>
struct OpCall {
  using TensorT = typename Traits::Tensor;
  using ScalarT = typename Traits::Scalar;
  std::vector<TensorT> in;            // tensor inputs (also the TensorList of cat/stack)
  TensorT out;                        // the out= tensor (Out variants)
  ScalarT alpha = 1;                  // alpha= of add/sub
  ScalarT scalar = 1, scalar2 = 1;    // Scalar operands / parameters
  typename Traits::OptScalar opt_a, opt_b;  // optional Scalars (clamp min/max)
  std::vector<int64_t> dims;          // a dim list
  std::vector<int64_t> ints;          // another int list (shifts, sizes, repeats)
  int64_t dim = 0;                    // a single dim
  int64_t n = 0;                      // an int parameter (k, chunks, decimals, ...)
  bool keepdim = false, flag = false; // keepdim; a bool option (descending, stable, ...)
  std::string str;                    // a string option (approximate=, rounding_mode=, reduce=)
  typename Traits::OptDType dtype;    // dtype=
};

struct EngineTraits {
  using Tensor = ft::Tensor;
  using Scalar = ft::Scalar;
  using OptScalar = std::optional<ft::Scalar>;
  using OptDType = std::optional<DType>;
  static Tensor from_bool(bool b) { return scalar_tensor(b); }
};
using EngineCall = OpCall<EngineTraits>;

namespace detail {
// Normalizes what an op returns (a tensor, a tuple of tensors, a vector of
// tensors, or a bool) into a list of tensors, on either side.
template <typename Traits, typename T>
std::vector<typename Traits::Tensor> as_list(T&& r) {
  using D = std::decay_t<T>;
  using TensorT = typename Traits::Tensor;
  if constexpr (std::is_same_v<D, bool>) {
    return {Traits::from_bool(r)};
  } else if constexpr (std::is_same_v<D, std::vector<TensorT>>) {
    return r;
  } else if constexpr (std::is_convertible_v<T, TensorT>) {
    return {TensorT(r)};
  } else {
    return std::apply([](auto&&... ts) { return std::vector<TensorT>{TensorT(ts)...}; }, r);
  }
}
}  // namespace detail

struct OpInfo {
  const char* id;          // unique: "add_inplace"
  const char* name;        // PyTorch name: "add_"
  OpVariant variant;
  OpKind kind;
  uint32_t dtypes;         // dtype_bit set with a forward kernel
  uint32_t diff;           // differentiable inputs (bit i = input i)
  CmpKind cmp;
  OutDType out_dtype;
  const char* call;        // the call expression as written in ops.def
  std::vector<Tensor> (*invoke)(EngineCall&);  // outputs in order

  bool supports(DType t) const { return dtypes & dtype_bit(t); }
  bool differentiable() const { return diff != 0; }
};

constexpr int kNumOps = 0
#define FT_OP(...) +1
#include "ft/ops.def"
#undef FT_OP
    ;

// NOTE [ Gradient inputs of a case ]
// The backward suites differentiate the entry's differentiable inputs that
// have a floating dtype (an int operand of add is not differentiable, but the
// float one beside it is). In-place entries write into a clone of input 0,
// as a user would (a leaf that requires grad refuses in-place writes), and
// gradients are read off the original leaves. Both sides of the harness run
// these same steps through this one helper.
template <typename TensorT, typename IsFloating>
uint32_t grad_mask(uint32_t diff, const std::vector<TensorT>& in, IsFloating is_floating_input) {
  uint32_t m = 0;
  for (size_t i = 0; i < in.size() && i < 32; ++i)
    if ((diff & (1u << i)) && is_floating_input(in[i])) m |= 1u << i;
  return m;
}
// Marks the mask's inputs as requiring grad and returns the leaves; for an
// in-place entry, input 0 becomes a clone of its leaf.
template <typename TensorT>
std::vector<TensorT> prepare_grad_inputs(std::vector<TensorT>& in, uint32_t mask, OpVariant variant) {
  for (size_t i = 0; i < in.size(); ++i)
    if (mask & (1u << i)) in[i].requires_grad_(true);
  std::vector<TensorT> leaves = in;
  if (variant == OpVariant::Inplace && !in.empty()) in[0] = in[0].clone();
  return leaves;
}

// All entries, in ops.def order (index = position).
const OpInfo* op_table();
const OpInfo* find_op(std::string_view id);  // null when unknown
const char* variant_name(OpVariant v);        // "functional" | "method" | "inplace" | "out"
const char* kind_name(OpKind k);
const char* cmp_name(CmpKind c);
const char* out_dtype_name(OutDType o);
// The result dtype an op produces for input dtype `in` (used to size out=).
DType op_result_dtype(const OpInfo& op, DType in);

}  // namespace ft
