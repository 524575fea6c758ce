// The recording backend (export: ask libtorch, keep the answer) and the
// fixture backend (replay: answer from the corpus, or throw FixtureMiss).
#include <cstring>

#include "ft/oracle/fixtures.h"

namespace ft::oracle {
namespace {

// Same storage contents and geometry in new memory: the harness may write
// into what it gets back (in-place cases), and the corpus must stay as loaded.
Tensor deep_copy(const Tensor& t) {
  if (!t.defined()) return t;
  const auto& st = t.impl()->storage();
  Tensor base = empty({int64_t(st->nbytes()) / t.element_size()}, t.dtype());
  if (st->nbytes()) std::memcpy(base.data_ptr(), st->data(), st->nbytes());
  return base.as_strided(t.sizes(), t.strides(), t.storage_offset());
}

OracleResult deep_copy(const OracleResult& r) {
  OracleResult c;
  c.threw = r.threw;
  c.error = r.error;
  for (const Tensor& t : r.results) c.results.push_back(deep_copy(t));
  for (const Tensor& t : r.grads) c.grads.push_back(deep_copy(t));
  return c;
}

}  // namespace

std::string RecordingBackend::version() const { return libtorch_version(); }

OracleResult RecordingBackend::forward(int op_index, const EngineCall& call) {
  OracleResult r = libtorch_forward(op_index, call);
  corpus_.answers[forward_key(op_index, call)] = r;
  return r;
}

OracleResult RecordingBackend::backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                        uint32_t diff_mask) {
  OracleResult r = libtorch_backward(op_index, call, grad_output, diff_mask);
  corpus_.answers[backward_key(op_index, call, grad_output, diff_mask)] = r;
  return r;
}

OracleResult RecordingBackend::double_backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                               uint32_t diff_mask, const std::vector<Tensor>& proj) {
  OracleResult r = libtorch_double_backward(op_index, call, grad_output, diff_mask, proj);
  corpus_.answers[double_backward_key(op_index, call, grad_output, diff_mask, proj)] = r;
  return r;
}

std::string FixtureBackend::version() const {
  return "fixtures " + path_ + " (" + corpus_.info.oracle_version + ")";
}

OracleResult FixtureBackend::find(const CallKey& k, const char* kind, int op_index) const {
  auto it = corpus_.answers.find(k);
  if (it == corpus_.answers.end())
    throw FixtureMiss(std::string("the fixture corpus ") + path_ + " has no " + kind + " answer for this call of " +
                      op_table()[op_index].id +
                      ": run with the export's seed and at most its cases, or, if the engine's behaviour on this "
                      "case changed, export the corpus again where libtorch is installed");
  return deep_copy(it->second);
}

OracleResult FixtureBackend::forward(int op_index, const EngineCall& call) {
  return find(forward_key(op_index, call), "forward", op_index);
}

OracleResult FixtureBackend::backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                      uint32_t diff_mask) {
  return find(backward_key(op_index, call, grad_output, diff_mask), "backward", op_index);
}

OracleResult FixtureBackend::double_backward(int op_index, const EngineCall& call, const Tensor& grad_output,
                                             uint32_t diff_mask, const std::vector<Tensor>& proj) {
  return find(double_backward_key(op_index, call, grad_output, diff_mask, proj), "double backward", op_index);
}

}  // namespace ft::oracle
