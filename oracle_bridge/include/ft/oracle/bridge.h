// The libtorch oracle, seen through engine types only: callers never include
// ATen (one translation unit does), so the harness builds fast.
#pragma once

#include <string>
#include <vector>

#include "ft/op_table.h"

namespace ft::oracle {

// "libtorch 1.13.0" (the version libtorch's headers report).
std::string version();

struct OracleResult {
  bool threw = false;
  std::string error;            // the oracle's exception text when threw
  std::vector<Tensor> results;  // converted back with identical sizes/strides/offset
  std::vector<Tensor> grads;    // backward: one per input (undefined if none)
};

// Runs ops.def entry `op_index` on libtorch with `call`'s arguments (engine
// tensors converted with their exact geometry; call itself is not modified).
OracleResult run_forward(int op_index, const EngineCall& call);

// Forward with inputs in `diff_mask` requiring grad, then backward of
// `grad_output` from the first result; returns the inputs' gradients.
OracleResult run_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask);

// Double backward: first-order gradients g_i of `grad_output` with
// create_graph, then the gradients of sum_i (g_i * proj[i]).sum() over the
// g_i that require grad. results[i] holds g_i (first order, undefined if
// none); grads[i] the second-order gradient of input i (undefined if none).
// `grads` is empty when no first-order gradient requires grad (the op's
// backward is constant in its inputs).
OracleResult run_double_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                                 const std::vector<Tensor>& proj);

// Geometry-preserving conversions (exposed for tests): the whole storage is
// copied and the same sizes, strides and storage offset are applied.
Tensor roundtrip_through_aten(const Tensor& t);  // ft -> at -> ft
bool aten_geometry_matches(const Tensor& t);     // ft -> at keeps sizes/strides/offset/dtype

}  // namespace ft::oracle
