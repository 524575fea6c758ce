// Where oracle results come from. NOTE [ Oracle backends ]
// The harness asks ft::oracle::run_forward / run_backward /
// run_double_backward (bridge.h) for libtorch's answer to a call. By default
// they run libtorch itself; a Backend installed with set_backend() answers
// instead: the fixture corpus (fixtures.h) replays answers exported from
// libtorch earlier, so a machine without libtorch gets the same cases, the
// same comparator and the same ledger rows. A backend must be installed
// before conform forks its workers and left in place until the run ends.
#pragma once

#include <string>
#include <vector>

#include "ft/oracle/bridge.h"

namespace ft::oracle {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string version() const = 0;  // recorded as the run's oracle_version
  virtual OracleResult forward(int op_index, const EngineCall& call) = 0;
  virtual OracleResult backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask) = 0;
  virtual OracleResult double_backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                       uint32_t diff_mask, const std::vector<Tensor>& proj) = 0;
};

// nullptr restores libtorch. Not owned: the caller keeps it alive.
void set_backend(Backend* b);
Backend* active_backend();

// libtorch itself, whatever backend is active (bridge.cpp; in a build
// without libtorch, no_libtorch.cpp: available() is false and the rest raise).
bool libtorch_available();
std::string libtorch_version();
OracleResult libtorch_forward(int op_index, const EngineCall& call);
OracleResult libtorch_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask);
OracleResult libtorch_double_backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                      uint32_t diff_mask, const std::vector<Tensor>& proj);

}  // namespace ft::oracle
