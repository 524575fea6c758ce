// Hardened-mode interventions reported by the engine itself.
//
// NOTE [ Engine interventions ]
// The conformance harness's hardened mode (NOTE [ Hardened mode ] in
// properties/src/runner.cpp) wraps each engine call in defensive checks. Some
// interventions can only be seen from inside the engine, so the engine
// reports them to a sink that the harness installs for the current thread:
//  - saved_tensor_version: a saved tensor was modified in place before the
//    backward pass unpacked it (the engine raises PyTorch's error as always;
//    the event names the tensor and both versions);
//  - deterministic_algorithm_forced: a non-accumulating indexed write
//    (index_put_, scatter, index_copy_, put_) wrote one element twice with
//    different values. PyTorch leaves the winner unspecified (its CPU kernels
//    run such loops in parallel); the engine always applies the writes in
//    index order, so the last one wins, and the event says the program
//    depends on that choice;
//  - checkpoint_verification_failed: a checkpoint loader refused a file
//    (checksum, truncation, shape/dtype inconsistency, unknown pickle global).
// With no sink installed (strict mode, and every user of the library) a report
// is one thread-local load and a branch, and the duplicate-write scan does not
// run at all.
#pragma once

#include <string>
#include <vector>

namespace ft::hardened {

struct Event {
  const char* reason;  // one of the reason codes above (a string literal)
  std::string detail;
};

namespace detail {
inline thread_local std::vector<Event>* t_sink = nullptr;
}

// Installs `sink` for the current thread for the scope's lifetime; scopes nest.
class Scope {
 public:
  explicit Scope(std::vector<Event>* sink) : prev_(detail::t_sink) { detail::t_sink = sink; }
  ~Scope() { detail::t_sink = prev_; }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::vector<Event>* prev_;
};

inline bool active() noexcept { return detail::t_sink != nullptr; }
inline void report(const char* reason, std::string what) {
  if (detail::t_sink) detail::t_sink->push_back({reason, std::move(what)});
}

}  // namespace ft::hardened
