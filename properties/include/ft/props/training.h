// The training-trace parity suite (`ftorch conform --suite training`): the
// same network trained in the engine and in libtorch from the same seed, step
// by step, with the loss drift and the max parameter drift of every step
// recorded in the ledger.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ft/hardened.h"
#include "ft/ledger/ledger.h"
#include "ft/oracle/training.h"

namespace ft::props {

struct TrainingStep {
  int64_t step = 0;
  double engine_loss = 0, oracle_loss = 0;
  double loss_rel_drift = 0;   // |le - lo| / max(|lo|, 1e-30)
  double param_rel_drift = 0;  // max |pe - po| / max |po| over all parameters
};

struct TrainingTrace {
  std::string name;  // e.g. "mlp_sgd_momentum"
  DType dtype;
  double bound = 0;  // relative bound on both drifts
  std::vector<TrainingStep> steps;
  std::string hardened_diff;  // hardened runs: where hardened and strict engine training differ ("" = nowhere)
  bool within_bound() const;
};

// The traces the suite runs, each in f64 and f32: the MLP with SGD momentum,
// Adam, AdamW, Adagrad (and RMSprop, f64 only), the CNN with Adam, the
// transformer encoder layer with AdamW and a cosine schedule, the LSTM with Adam.
std::vector<oracle::TraceSpec> default_training_specs(uint64_t seed);
// Relative bound per dtype: f64 1e-10 (issue 5); f32 see NOTE [ f32 training bound ].
double training_bound(DType dt);

// `hardened`: the engine trains with a hardened sink installed (its
// interventions go to `events`, plus nan_produced for a non-finite loss) and
// must train bit for bit as its strict run does (NOTE [ Hardened vs strict ]
// in runner.cpp); the first step where it does not is `hardened_diff`.
TrainingTrace run_training_trace(const oracle::TraceSpec& spec, int64_t steps, bool hardened = false,
                                 std::vector<hardened::Event>* events = nullptr);

// Runs every spec, one ledger case per step (suite "training"), in each mode
// of `modes` (false = strict, true = hardened; a hardened trace adds one row
// of suite "hardened" and its events).
std::vector<TrainingTrace> run_training_suite(ledger::Ledger& ledger, int64_t run_id, uint64_t seed, int64_t steps,
                                              const std::function<void(const TrainingTrace&)>& on_trace,
                                              const std::vector<bool>& modes = {false});

}  // namespace ft::props
