// Dtype names, parsing and the PyTorch promotion lattice.
#include "ft/dtype.h"

namespace ft {

const char* dtype_name(DType t) {
  switch (t) {
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
    case DType::Int16: return "int16";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::Float16: return "float16";
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Bool: return "bool";
    case DType::BFloat16: return "bfloat16";
  }
  return "?";
}

const char* dtype_short_name(DType t) {
  switch (t) {
    case DType::UInt8: return "u8";
    case DType::Int8: return "i8";
    case DType::Int16: return "i16";
    case DType::Int32: return "i32";
    case DType::Int64: return "i64";
    case DType::Float16: return "f16";
    case DType::Float32: return "f32";
    case DType::Float64: return "f64";
    case DType::Bool: return "bool";
    case DType::BFloat16: return "bf16";
  }
  return "?";
}

const char* dtype_torch_name(DType t) {
  switch (t) {
    case DType::UInt8: return "Byte";
    case DType::Int8: return "Char";
    case DType::Int16: return "Short";
    case DType::Int32: return "Int";
    case DType::Int64: return "Long";
    case DType::Float16: return "Half";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
    case DType::Bool: return "Bool";
    case DType::BFloat16: return "BFloat16";
  }
  return "?";
}

DType parse_dtype(const std::string& s) {
  for (int i = 0; i < kNumDTypes; ++i) {
    DType t = DType(i);
    if (s == dtype_name(t) || s == dtype_short_name(t)) return t;
  }
  if (s == "float") return DType::Float32;
  if (s == "double") return DType::Float64;
  if (s == "long") return DType::Int64;
  if (s == "int") return DType::Int32;
  if (s == "half") return DType::Float16;
  FT_CHECK_VALUE(false, "unknown dtype '", s,
                 "': use one of float32 (f32), float64 (f64), float16 (f16), bfloat16 (bf16), "
                 "int64 (i64), int32 (i32), int16 (i16), int8 (i8), uint8 (u8), bool");
  return DType::Float32;
}

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  bool fa = is_floating(a), fb = is_floating(b);
  if (fa && fb) {
    // float16 and bfloat16 have no common 16-bit type: PyTorch goes to float32.
    if ((a == DType::Float16 && b == DType::BFloat16) || (a == DType::BFloat16 && b == DType::Float16))
      return DType::Float32;
    return itemsize(a) >= itemsize(b) ? a : b;
  }
  if (fa) return a;
  if (fb) return b;
  // Both integral. uint8 is unsigned: with int8 it needs int16 to hold both ranges.
  if (a == DType::UInt8 || b == DType::UInt8) {
    DType other = a == DType::UInt8 ? b : a;
    return other == DType::Int8 ? DType::Int16 : other;
  }
  return itemsize(a) >= itemsize(b) ? a : b;
}

}  // namespace ft
