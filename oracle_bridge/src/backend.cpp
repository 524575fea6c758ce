// The oracle entry points of bridge.h, routed to the active backend
// (NOTE [ Oracle backends ] in ft/oracle/backend.h). No libtorch header here.
#include "ft/oracle/backend.h"

#include <atomic>

namespace ft::oracle {
namespace {
std::atomic<Backend*> g_backend{nullptr};
}  // namespace

void set_backend(Backend* b) { g_backend.store(b); }
Backend* active_backend() { return g_backend.load(); }

std::string version() {
  Backend* b = active_backend();
  return b ? b->version() : libtorch_version();
}

OracleResult run_forward(int op_index, const EngineCall& call) {
  Backend* b = active_backend();
  return b ? b->forward(op_index, call) : libtorch_forward(op_index, call);
}

OracleResult run_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask) {
  Backend* b = active_backend();
  return b ? b->backward(op_index, call, grad_output, diff_mask)
           : libtorch_backward(op_index, call, grad_output, diff_mask);
}

OracleResult run_double_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                                 const std::vector<Tensor>& proj) {
  Backend* b = active_backend();
  return b ? b->double_backward(op_index, call, grad_output, diff_mask, proj)
           : libtorch_double_backward(op_index, call, grad_output, diff_mask, proj);
}

}  // namespace ft::oracle
