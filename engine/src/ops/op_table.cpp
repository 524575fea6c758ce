// Expands ft/ops.def into the engine's op table (metadata + invokers).
#include "ft/op_table.h"

#include <cstring>

namespace ft {
namespace {

#define NS ft
#define X0 c.in[0]
#define X1 c.in[1]
#define OUT c.out
#define C c
#define FT_OP(id, name, variant, kind, dtypes, diff, cmp, outdt, call) \
  std::vector<Tensor> invoke_##id(EngineCall& c) { return detail::as_list<EngineTraits>(call); }
#include "ft/ops.def"
#undef FT_OP
#undef NS
#undef X0
#undef X1
#undef OUT
#undef C

#define FT_OP(id, name, variant, kind, dtypes, diff, cmp, outdt, call)                                   \
  OpInfo{#id, name, OpVariant::variant, OpKind::kind, (dtypes), (diff), CmpKind::cmp, OutDType::outdt, #call, \
         &invoke_##id},
const OpInfo kTable[] = {
#include "ft/ops.def"
};
#undef FT_OP

static_assert(sizeof(kTable) / sizeof(kTable[0]) == kNumOps, "op table and kNumOps disagree");

}  // namespace

const OpInfo* op_table() { return kTable; }

const OpInfo* find_op(std::string_view id) {
  for (const OpInfo& op : kTable)
    if (id == op.id) return &op;
  return nullptr;
}

const char* variant_name(OpVariant v) {
  switch (v) {
    case OpVariant::Functional: return "functional";
    case OpVariant::Method: return "method";
    case OpVariant::Inplace: return "inplace";
    case OpVariant::Out: return "out";
  }
  return "?";
}

const char* kind_name(OpKind k) {
  switch (k) {
    case OpKind::Unary: return "unary";
    case OpKind::UnaryScalar: return "unary_scalar";
    case OpKind::Binary: return "binary";
    case OpKind::BinaryAlpha: return "binary_alpha";
    case OpKind::Ternary: return "ternary";
    case OpKind::Custom: return "custom";
    case OpKind::ReduceAll: return "reduce_all";
    case OpKind::Reduce: return "reduce";
    case OpKind::MM: return "mm";
    case OpKind::Matmul: return "matmul";
  }
  return "?";
}

const char* cmp_name(CmpKind c) {
  switch (c) {
    case CmpKind::Exact: return "exact";
    case CmpKind::Elementwise: return "elementwise";
    case CmpKind::Ulp4: return "ulp4";
    case CmpKind::Reduction: return "reduction";
    case CmpKind::Matmul: return "matmul";
    case CmpKind::ShapeOnly: return "shape_only";
  }
  return "?";
}

const char* out_dtype_name(OutDType o) {
  switch (o) {
    case OutDType::Same: return "same";
    case OutDType::FloatIfInt: return "float_if_int";
    case OutDType::LongIfInt: return "long_if_int";
  }
  return "?";
}

DType op_result_dtype(const OpInfo& op, DType in) {
  switch (op.out_dtype) {
    case OutDType::Same: return in;
    case OutDType::FloatIfInt: return is_floating(in) ? in : DType::Float32;
    case OutDType::LongIfInt: return is_floating(in) ? in : DType::Int64;
  }
  return in;
}

}  // namespace ft
