// Scalar: a Python-style number (bool, int or float) passed to ops such as
// alpha= or full(); it takes part in type promotion as a "wrapped number".
#pragma once

#include <cstdint>
#include <type_traits>

#include "ft/dtype.h"

namespace ft {

class Scalar {
 public:
  enum class Tag : uint8_t { Bool, Int, Float };
  Scalar() : tag_(Tag::Int), i_(0) {}
  Scalar(bool b) : tag_(Tag::Bool), i_(b) {}
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Scalar(T v) : tag_(Tag::Int), i_(int64_t(v)) {}
  Scalar(double v) : tag_(Tag::Float), d_(v) {}
  Scalar(float v) : tag_(Tag::Float), d_(v) {}

  Tag tag() const { return tag_; }
  bool is_bool() const { return tag_ == Tag::Bool; }
  bool is_integral() const { return tag_ == Tag::Int; }  // excludes bool, like PyTorch
  bool is_floating_point() const { return tag_ == Tag::Float; }
  double to_double() const { return tag_ == Tag::Float ? d_ : double(i_); }
  int64_t to_int() const { return tag_ == Tag::Float ? int64_t(d_) : i_; }
  bool to_bool() const { return tag_ == Tag::Float ? d_ != 0 : i_ != 0; }
  template <typename T> T to() const {
    if constexpr (std::is_same_v<T, bool>) return to_bool();
    else if constexpr (std::is_integral_v<T>) return T(to_int());
    else return T(to_double());
  }
  // The dtype a wrapped number of this kind has: bool, int64 or float64.
  DType dtype() const {
    return tag_ == Tag::Bool ? DType::Bool : tag_ == Tag::Int ? DType::Int64 : DType::Float64;
  }

 private:
  Tag tag_;
  union {
    int64_t i_;
    double d_;
  };
};

}  // namespace ft
