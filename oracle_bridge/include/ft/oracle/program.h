// Autograd fuzz programs: a small DAG of op-table calls over float64 tensors,
// run identically by the engine and by libtorch (see program_exec.h).
//
// Values 0..n_leaves-1 are leaves (requires_grad); every step appends one
// value. Steps may reuse any earlier value (shared subexpressions), detach,
// view (transpose), write in place, or run under no_grad. The program ends
// with several losses (each the sum of a chosen value), a backward of their
// sum with retain_graph, and optionally a double backward through
// grad(create_graph=True).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ft/op_table.h"

namespace ft::oracle {

struct ProgStep {
  // Narrow: a view of one row, v.narrow(0, alpha mod size(0), 1) (broadcasts
  // against the full shape); Unbind: v.unbind(0)[0], a multi-output view.
  // New kinds go at the end: program files store the number.
  enum Kind : uint8_t { Call, Detach, Transpose, InplaceMul, InplaceAdd, Narrow, Unbind };
  Kind kind = Call;
  int op = -1;              // Call: op-table index (a functional entry)
  std::vector<int> args;    // value ids
  double alpha = 1.0;       // Call with alpha / the scalar of in-place steps
  bool no_grad = false;     // run under no_grad
};

struct Program {
  std::vector<int64_t> shape;                 // shape of every leaf
  std::vector<std::vector<double>> leaves;    // leaf values (row-major)
  std::vector<ProgStep> steps;
  std::vector<int> losses;                    // value ids whose sums are added into the loss
  bool double_backward = false;
  std::string describe() const;
};

struct ProgramResult {
  bool threw = false;
  std::string error;
  std::vector<double> values;                 // every value, flattened, in order (NaN-safe compare)
  double loss = 0;
  std::vector<std::vector<double>> grads;     // per leaf (empty: no gradient)
  std::vector<std::vector<double>> grad2;     // per leaf, after double backward
};

// Runs on libtorch (implemented in bridge.cpp, the ATen translation unit).
ProgramResult run_program_oracle(const Program& p);

}  // namespace ft::oracle
