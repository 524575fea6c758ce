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
  // "nan_produced" | "inf_produced" | "nonfinite_gradient" | "inplace_overlap_refused", or an engine
  // intervention (ft/hardened.h): "saved_tensor_version" | "deterministic_algorithm_forced" |
  // "checkpoint_verification_failed"
  std::string reason;
  std::string detail;
};

struct Outcome {
  std::string suite;     // "forward" | "backward" | "error"
  std::string outcome;   // "pass" | "drift" | "error_mismatch" | "crash" | "skip"
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
  std::string skip_reason;  // outcome "skip": why the suite could not run on this case
  // Not a failure: passed, or recorded as not applicable with its reason.
  bool ok() const { return outcome == "pass" || outcome == "skip"; }
};

struct RunOptions {
  EngineFn engine;       // empty: the op table's invoker
  bool backward = true;  // also check gradients where applicable
  bool hardened = false; // run the defensive checks of hardened mode
  // Also check second-order gradients (suite "backward2", float64 cases):
  // d/dx sum_i (dL/dx_i * w_i) through the op's backward formulas.
  bool double_backward = false;
  // Also check the engine's first and second derivatives against finite
  // differences (suites "gradcheck", "gradgradcheck"; float64 cases of
  // differentiable entries; NOTE [ Gradcheck inputs ] in gradcheck_case.cpp).
  bool gradcheck = false;
};

std::vector<Outcome> run_case(const CaseSpec& c, const RunOptions& opt = {});
bool all_pass(const std::vector<Outcome>& v);
// The gradcheck suites for one case: empty when they do not apply (see
// gradcheck_applies); a "skip" row with its reason when no input domain
// gives a finite forward or the backward raises.
bool gradcheck_applies(const CaseSpec& c);
std::vector<Outcome> gradcheck_case(const CaseSpec& c, const EngineFn& engine);
// Whether the engine's gradients of the case equal libtorch's (the backward
// parity comparison, as a yes/no): a gradcheck failure that libtorch
// reproduces is upstream behaviour, kept for parity.
bool backward_agrees_with_oracle(const CaseSpec& c, const EngineFn& engine);

// Deterministic projection weights for backward parity: g[i] depends only on i.
Tensor projection_like(const Tensor& out);

}  // namespace ft::props
