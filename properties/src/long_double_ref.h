// The long double reference for float64 drift attribution (NOTE [ Long
// double reference ] in long_double_ref.cpp).
#pragma once

#include <vector>

#include "ft/op_table.h"

namespace ft::props {

// Fills `ref` with the op's result on `call`'s inputs computed in long
// double, in `out`'s logical order; false when the entry has no such
// reference (not elementwise, not in the table, or `out` is not float64).
bool long_double_reference(const OpInfo& op, const EngineCall& call, const Tensor& out, std::vector<long double>& ref);

}  // namespace ft::props
