// The comparator: engine result vs oracle result under a CmpKind policy.
#pragma once

#include <string>

#include "ft/op_table.h"

namespace ft::props {

struct Tolerance {
  double atol = 0, rtol = 0;
  double max_ulp = 0;     // Ulp policies: allowed ULP distance (0: not used)
  double extra_abs = 0;   // Reduction/Matmul: eps * length * magnitude term
  bool exact = false;
  bool check_zero_sign = false;
  bool shape_only = false;  // ShapeOnly: shape, dtype and strides; values are undefined
};

// Default tolerances per policy and dtype (ARCHITECTURE.md, comparator policy).
// `scale` is the reduction bound's length x magnitude (Reduction/Matmul only).
Tolerance tolerance_for(CmpKind cmp, DType dt, double scale);

struct Comparison {
  bool ok = true;
  std::string message;        // why not ok
  double max_abs = 0, max_rel = 0, max_ulp = 0;
  int64_t first_bad = -1;     // flat (row-major) index of the first mismatch
  std::string first_index;    // "[1,0]"
  std::string engine_value, oracle_value;
};

// Compares shape, dtype and values (row-major logical order).
Comparison compare(const Tensor& engine, const Tensor& oracle, const Tolerance& tol);

// Distance in units in the last place between two values of dtype dt.
double ulp_distance(double a, double b, DType dt);

}  // namespace ft::props
