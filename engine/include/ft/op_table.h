// The op table as data: one OpInfo per line of ft/ops.def, with the engine's
// invoker for each. See NOTE [ One call for both sides ] in ops.def.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ft/ops.h"

namespace ft {

enum class OpVariant : uint8_t { Functional, Method, Inplace, Out };
// Argument schema; also selects the sample-input generator of the harness.
enum class OpKind : uint8_t { Unary, UnaryScalar, Binary, BinaryAlpha, ReduceAll, Reduce, MM, Matmul };
// Comparator policy (see ARCHITECTURE.md, comparator policy).
enum class CmpKind : uint8_t { Exact, Elementwise, Ulp4, Reduction, Matmul };
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
// types and the oracle bridge with ATen's.
template <typename TensorT, typename ScalarT>
struct OpCall {
  std::vector<TensorT> in;
  TensorT out;             // the out= tensor (Out variants)
  ScalarT alpha = 1;       // alpha= of add/sub
  ScalarT scalar = 1;      // the Scalar operand of *.Scalar overloads
  std::vector<int64_t> dims;
  bool keepdim = false;
};
using EngineCall = OpCall<Tensor, Scalar>;

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
  Tensor (*invoke)(EngineCall&);

  bool supports(DType t) const { return dtypes & dtype_bit(t); }
  int arity() const { return kind == OpKind::Binary || kind == OpKind::BinaryAlpha || kind == OpKind::MM ||
                             kind == OpKind::Matmul ? 2 : 1; }
  bool differentiable() const { return diff != 0; }
};

constexpr int kNumOps = 0
#define FT_OP(...) +1
#include "ft/ops.def"
#undef FT_OP
    ;

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
