// Internal: a restricted pickle virtual machine (protocols 2-5, the opcode
// subset torch.save emits). It executes nothing itself: GLOBAL, REDUCE, BUILD
// and BINPERSID are delegated to hooks, which implement an allow-list (see
// NOTE [ Weights-only .pt loading ] in ft/serialize/pt.h).
//
// NOTE [ Pickle object arena ]
// Objects live in an arena owned by the Unpickler and point to each other with
// raw pointers, so a hostile pickle that builds a million-deep list or a
// cycle (via the memo) cannot overflow the stack on destruction or leak:
// the arena is freed flat. Converting to the caller's tree is depth-limited.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ft/tensor.h"

namespace ft::serialize::detail {

struct PyObj {
  enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Global, Tensor, Storage };
  Kind kind = Kind::None;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;                 // Str; Global: "module.name"
  std::vector<PyObj*> items;     // Tuple, List
  std::vector<std::pair<PyObj*, PyObj*>> dict;  // Dict, in insertion order
  bool ordered = false;          // Dict from collections.OrderedDict
  Tensor tensor;                 // Tensor
  bool parameter = false;        // Tensor from torch.nn.Parameter
  intrusive_ptr<Storage> storage;  // Storage
  DType storage_dtype = DType::Float32;
};
const char* py_kind_name(PyObj::Kind k);

class Unpickler;
struct UnpickleHooks {
  // GLOBAL module name -> an object (usually Kind::Global); throw to refuse.
  std::function<PyObj*(Unpickler&, const std::string& module, const std::string& name)> find_class;
  // REDUCE: callable(*args). callable is whatever find_class returned.
  std::function<PyObj*(Unpickler&, PyObj* callable, PyObj* args)> reduce;
  // BUILD: obj.__setstate__(state).
  std::function<void(Unpickler&, PyObj* obj, PyObj* state)> build;
  // BINPERSID.
  std::function<PyObj*(Unpickler&, PyObj* pid)> persistent_load;
};

class Unpickler {
 public:
  // `where` prefixes error messages (e.g. "pt: 'model.pt'").
  Unpickler(std::string data, std::string where, UnpickleHooks hooks)
      : data_(std::move(data)), where_(std::move(where)), hooks_(std::move(hooks)) {}
  // Runs to STOP and returns the result (owned by this Unpickler).
  PyObj* load();
  PyObj* make(PyObj::Kind k);
  [[noreturn]] void fail(const std::string& msg) const;
  const std::string& where() const { return where_; }

 private:
  const uint8_t* need(int64_t n);  // advances pos_, raises when past the end
  PyObj* pop();
  std::vector<PyObj*> pop_to_mark();
  PyObj* top();

  std::string data_;
  std::string where_;
  UnpickleHooks hooks_;
  int64_t pos_ = 0;
  std::vector<PyObj*> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint32_t, PyObj*> memo_;
  std::vector<std::unique_ptr<PyObj>> arena_;
};

}  // namespace ft::serialize::detail
