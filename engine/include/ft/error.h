// Typed errors for FrankenTorch.
//
// NOTE [ Errors ]
// Bad user input raises ft::Error through FT_CHECK: the error carries a kind
// (mirroring the Python exception PyTorch would raise), the op that raised it
// and a PyTorch-like message. Broken invariants (our bugs) use
// FT_INTERNAL_ASSERT, which also throws (kind Internal) so that a harness run
// records a crash case instead of dying. Library code never exit()s or abort()s.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace ft {

enum class ErrorKind {
  Runtime,         // RuntimeError: shape mismatch, unsupported dtype, ...
  Index,           // IndexError: dim or index out of range
  Value,           // ValueError: bad argument value
  Type,            // TypeError: wrong argument type
  NotImplemented,  // NotImplementedError: op x dtype without a kernel
  Internal,        // a bug in FrankenTorch (broken invariant)
};

const char* error_kind_name(ErrorKind k);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string op, std::string msg)
      : std::runtime_error(msg), kind_(kind), op_(std::move(op)) {}
  ErrorKind kind() const { return kind_; }
  // The op that raised, or "" when not inside an op.
  const std::string& op() const { return op_; }

 private:
  ErrorKind kind_;
  std::string op_;
};

namespace detail {
// The name of the op currently executing on this thread (for error messages).
// Set by OpScope; a plain pointer so that entering an op costs one store.
extern thread_local const char* current_op;

template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream ss;
  (ss << ... << args);
  return ss.str();
}

[[noreturn]] void throw_error(ErrorKind kind, std::string msg);
[[noreturn]] void throw_internal(const char* file, int line, const char* cond, std::string msg);

struct OpScope {
  const char* saved;
  explicit OpScope(const char* name) : saved(current_op) { current_op = name; }
  ~OpScope() { current_op = saved; }
};
}  // namespace detail

}  // namespace ft

// FT_CHECK(cond, msg...) raises RuntimeError; FT_CHECK_KIND picks the kind.
#define FT_CHECK_KIND(kind, cond, ...)                                        \
  do {                                                                        \
    if (__builtin_expect(!(cond), 0))                                         \
      ::ft::detail::throw_error((kind), ::ft::detail::str_cat(__VA_ARGS__)); \
  } while (0)
#define FT_CHECK(cond, ...) FT_CHECK_KIND(::ft::ErrorKind::Runtime, cond, __VA_ARGS__)
#define FT_CHECK_INDEX(cond, ...) FT_CHECK_KIND(::ft::ErrorKind::Index, cond, __VA_ARGS__)
#define FT_CHECK_VALUE(cond, ...) FT_CHECK_KIND(::ft::ErrorKind::Value, cond, __VA_ARGS__)
#define FT_ERROR(...) ::ft::detail::throw_error(::ft::ErrorKind::Runtime, ::ft::detail::str_cat(__VA_ARGS__))
#define FT_INTERNAL_ASSERT(cond, ...)                                                            \
  do {                                                                                           \
    if (__builtin_expect(!(cond), 0))                                                            \
      ::ft::detail::throw_internal(__FILE__, __LINE__, #cond, ::ft::detail::str_cat("" __VA_ARGS__)); \
  } while (0)
// Marks the op name for errors raised below it (cheap: one thread-local store).
#define FT_OP_SCOPE(name) ::ft::detail::OpScope ft_op_scope_guard_(name)
