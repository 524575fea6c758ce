// ft::Error construction helpers (kept out of line so FT_CHECK stays small).
#include "ft/error.h"

namespace ft {

const char* error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::Runtime: return "RuntimeError";
    case ErrorKind::Index: return "IndexError";
    case ErrorKind::Value: return "ValueError";
    case ErrorKind::Type: return "TypeError";
    case ErrorKind::NotImplemented: return "NotImplementedError";
    case ErrorKind::Internal: return "InternalError";
  }
  return "Error";
}

namespace detail {
thread_local const char* current_op = nullptr;

void throw_error(ErrorKind kind, std::string msg) {
  throw Error(kind, current_op ? current_op : "", std::move(msg));
}

void throw_internal(const char* file, int line, const char* cond, std::string msg) {
  throw Error(ErrorKind::Internal, current_op ? current_op : "",
              str_cat("INTERNAL ASSERT FAILED at ", file, ":", line, ": ", cond, " ", msg,
                      " (this is a FrankenTorch bug; please report it with the reproduce string)"));
}
}  // namespace detail

}  // namespace ft
