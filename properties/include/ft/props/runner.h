// Runs one case on the engine and the oracle and classifies the outcome:
// forward parity, error parity, and (for differentiable entries with float
// inputs) backward parity of a fixed projection of the output.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ft/props/case.h"
#include "ft/props/compare.h"

namespace ft::props {

// The engine side of an op; tests substitute a planted bug here.
using EngineFn = std::function<std::vector<Tensor>(EngineCall&)>;

// A hardened-mode intervention (NOTE [ Hardened mode ] in runner.cpp).
struct HardenedEvent {
  std::string reason;  // "nan_produced" | "inf_produced" | "nonfinite_gradient" | "inplace_overlap_refused"
  std::string detail;
};

struct Outcome {
  std::string suite;     // "forward" | "backward" | "error"
  std::string outcome;   // "pass" | "drift" | "error_mismatch" | "crash"
  Comparison cmp;        // values of the comparison (pass or not)
  Tolerance tol;
  std::string message;   // for non-pass: what differed
  // For drift: who is closer to the float64 recomputation of the same inputs
  // ("engine_closer" | "oracle_closer" | "tie"), or why that is not known ("n/a: ...").
  std::string attribution;
  std::vector<HardenedEvent> events;  // hardened mode only
  // Backward outcomes: the engine's provenance record of the backward pass
  // (DAC promise 2) and its digest, which a replay must reproduce (promise 3).
  std::string provenance_digest, provenance_record;
  bool ok() const { return outcome == "pass"; }
};

struct RunOptions {
  EngineFn engine;       // empty: the op table's invoker
  bool backward = true;  // also check gradients where applicable
  bool hardened = false; // run the defensive checks of hardened mode
  // Also check second-order gradients (suite "backward2", float64 cases):
  // d/dx sum_i (dL/dx_i * w_i) through the op's backward formulas.
  bool double_backward = false;
};

std::vector<Outcome> run_case(const CaseSpec& c, const RunOptions& opt = {});
bool all_pass(const std::vector<Outcome>& v);

// Deterministic projection weights for backward parity: g[i] depends only on i.
Tensor projection_like(const Tensor& out);

}  // namespace ft::props
