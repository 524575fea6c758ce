// Comparator policy implementation: exact, elementwise (assert_close style),
// ULP-bounded, and reduction/matmul tolerances scaled with the reduced length.
#include "ft/props/compare.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace ft::props {

Tolerance tolerance_for(CmpKind cmp, DType dt, double scale) {
  Tolerance t;
  if (cmp == CmpKind::ShapeOnly) {
    t.shape_only = true;
    return t;
  }
  if (!is_floating(dt) || cmp == CmpKind::Exact) {
    t.exact = true;
    t.check_zero_sign = is_floating(dt);
    return t;
  }
  double eps = dt == DType::Float64 ? 2.220446049250313e-16 : dt == DType::Float32 ? 1.1920928955078125e-07
             : dt == DType::Float16 ? 9.765625e-04 : 7.8125e-03;
  switch (dt) {
    case DType::Float64: t.atol = 1e-7; t.rtol = 1e-7; break;
    case DType::Float16: t.atol = 1e-5; t.rtol = 1e-3; break;
    case DType::BFloat16: t.atol = 1e-5; t.rtol = 1.6e-2; break;
    default: t.atol = 1e-5; t.rtol = 1.3e-6; break;
  }
  switch (cmp) {
    case CmpKind::Elementwise: t.check_zero_sign = true; break;
    case CmpKind::Ulp4: t.max_ulp = 4; t.check_zero_sign = true; break;
    // gamma_n bound of a length-n dot product / sum: n * eps * max|term|, x2
    // for the two sides' independent rounding.
    case CmpKind::Reduction:
    case CmpKind::Matmul: t.extra_abs = 2 * eps * scale; break;
    default: break;
  }
  return t;
}

double ulp_distance(double a, double b, DType dt) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INFINITY;
  if (a == b) return 0;
  if (dt == DType::Float32 || dt == DType::Float16 || dt == DType::BFloat16) {
    // Map float bit patterns onto a monotone integer line.
    auto key = [](float f) {
      int32_t i;
      std::memcpy(&i, &f, 4);
      return i < 0 ? int64_t(INT32_MIN) - int64_t(i) : int64_t(i);
    };
    return double(std::llabs(key(float(a)) - key(float(b))));
  }
  if (is_floating(dt)) {
    auto key = [](double d) {
      int64_t i;
      std::memcpy(&i, &d, 8);
      return i < 0 ? (long double)(INT64_MIN) - (long double)(i) : (long double)(i);
    };
    return double(fabsl(key(a) - key(b)));
  }
  return std::fabs(a - b);
}

namespace {
std::string index_str(int64_t flat, IntArrayRef shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < idx.size(); ++i) os << (i ? "," : "") << idx[i];
  os << "]";
  return os.str();
}

std::string num_str(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}
}  // namespace

Comparison compare(const Tensor& e, const Tensor& o, const Tolerance& tol) {
  Comparison c;
  if (!e.sizes().equals(o.sizes())) {
    c.ok = false;
    c.message = "shape mismatch: engine " + shape_str(e.sizes()) + " vs oracle " + shape_str(o.sizes());
    return c;
  }
  if (e.dtype() != o.dtype()) {
    c.ok = false;
    c.message = std::string("dtype mismatch: engine ") + dtype_name(e.dtype()) + " vs oracle " + dtype_name(o.dtype());
    return c;
  }
  if (tol.shape_only) {
    // The contents are undefined (empty): the layout is what is compared.
    if (!e.strides().equals(o.strides())) {
      c.ok = false;
      c.message = "stride mismatch: engine " + shape_str(e.strides()) + " vs oracle " + shape_str(o.strides());
    }
    return c;
  }
  std::vector<double> ev = e.to_double_vector(), ov = o.to_double_vector();
  const DType dt = e.dtype();
  for (size_t i = 0; i < ev.size(); ++i) {
    double a = ev[i], b = ov[i];
    bool bad = false;
    std::string why;
    if (std::isnan(a) || std::isnan(b)) {
      bad = std::isnan(a) != std::isnan(b);
      why = "NaN position differs";
    } else if (std::isinf(a) || std::isinf(b)) {
      bad = a != b;
      why = "inf differs";
    } else {
      double d = std::fabs(a - b);
      double rel = b != 0 ? d / std::fabs(b) : (d == 0 ? 0 : INFINITY);
      double ulp = ulp_distance(a, b, dt);
      c.max_abs = std::max(c.max_abs, d);
      if (std::isfinite(rel)) c.max_rel = std::max(c.max_rel, rel);
      c.max_ulp = std::max(c.max_ulp, ulp);
      if (tol.exact) {
        bad = d != 0;
        why = "values differ (exact policy)";
      } else if (tol.max_ulp > 0) {
        bad = ulp > tol.max_ulp && d > tol.atol;
        why = "ULP distance over bound";
      } else {
        bad = d > tol.atol + tol.extra_abs + tol.rtol * std::fabs(b);
        why = "values differ beyond tolerance";
      }
      if (!bad && tol.check_zero_sign && a == 0 && b == 0 && std::signbit(a) != std::signbit(b)) {
        bad = true;
        why = "sign of zero differs";
      }
    }
    if (bad && c.ok) {
      c.ok = false;
      c.first_bad = int64_t(i);
      c.first_index = index_str(int64_t(i), e.sizes());
      c.engine_value = num_str(a);
      c.oracle_value = num_str(b);
      c.message = why + " at index " + c.first_index + ": engine " + c.engine_value + " vs oracle " + c.oracle_value;
    }
  }
  return c;
}

}  // namespace ft::props
