// Internal: the restricted pickle machine (see pickle.h). Opcode semantics
// follow CPython's Lib/pickle.py; only what torch.save emits is accepted.
#include "serialize/pickle.h"

#include "serialize/io.h"

#include <cstring>

namespace ft::serialize::detail {

const char* py_kind_name(PyObj::Kind k) {
  switch (k) {
    case PyObj::Kind::None: return "None";
    case PyObj::Kind::Bool: return "bool";
    case PyObj::Kind::Int: return "int";
    case PyObj::Kind::Float: return "float";
    case PyObj::Kind::Str: return "str";
    case PyObj::Kind::Tuple: return "tuple";
    case PyObj::Kind::List: return "list";
    case PyObj::Kind::Dict: return "dict";
    case PyObj::Kind::Global: return "global";
    case PyObj::Kind::Tensor: return "tensor";
    case PyObj::Kind::Storage: return "storage";
  }
  return "?";
}

void Unpickler::fail(const std::string& msg) const {
  FT_ERROR(where_, ": ", msg, " (pickle byte ", pos_, ")");
}

PyObj* Unpickler::make(PyObj::Kind k) {
  arena_.push_back(std::make_unique<PyObj>());
  arena_.back()->kind = k;
  return arena_.back().get();
}

const uint8_t* Unpickler::need(int64_t n) {
  if (n < 0 || n > int64_t(data_.size()) - pos_) fail("pickle data is truncated");
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data_.data()) + pos_;
  pos_ += n;
  return p;
}

PyObj* Unpickler::pop() {
  size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("pickle stack underflow");
  PyObj* o = stack_.back();
  stack_.pop_back();
  return o;
}

PyObj* Unpickler::top() {
  size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("pickle stack underflow");
  return stack_.back();
}

std::vector<PyObj*> Unpickler::pop_to_mark() {
  if (marks_.empty()) fail("pickle MARK missing");
  size_t m = marks_.back();
  marks_.pop_back();
  std::vector<PyObj*> items(stack_.begin() + std::ptrdiff_t(m), stack_.end());
  stack_.resize(m);
  return items;
}

PyObj* Unpickler::load() {
  auto read_line = [&]() {
    size_t start = size_t(pos_);
    size_t nl = data_.find('\n', start);
    if (nl == std::string::npos || nl - start > 256) fail("bad GLOBAL name");
    pos_ = int64_t(nl + 1);
    return data_.substr(start, nl - start);
  };
  auto push_str = [&](int64_t len) {
    PyObj* o = make(PyObj::Kind::Str);
    const uint8_t* p = need(len);
    o->s.assign(reinterpret_cast<const char*>(p), size_t(len));
    stack_.push_back(o);
  };
  auto push_int = [&](int64_t v) {
    PyObj* o = make(PyObj::Kind::Int);
    o->i = v;
    stack_.push_back(o);
  };
  auto memo_get = [&](uint32_t idx) {
    auto it = memo_.find(idx);
    if (it == memo_.end()) fail("memo key " + std::to_string(idx) + " is not defined");
    stack_.push_back(it->second);
  };
  auto set_items = [&](PyObj* d, const std::vector<PyObj*>& kv) {
    if (d->kind != PyObj::Kind::Dict) fail(std::string("SETITEM on a ") + py_kind_name(d->kind));
    if (kv.size() % 2) fail("SETITEMS with an odd number of items");
    for (size_t k = 0; k < kv.size(); k += 2) {
      // Python semantics: an existing key is overwritten in place (order kept).
      bool replaced = false;
      if (kv[k]->kind == PyObj::Kind::Str || kv[k]->kind == PyObj::Kind::Int) {
        for (auto& e : d->dict)
          if (e.first->kind == kv[k]->kind && e.first->s == kv[k]->s && e.first->i == kv[k]->i) {
            e.second = kv[k + 1];
            replaced = true;
            break;
          }
      }
      if (!replaced) d->dict.emplace_back(kv[k], kv[k + 1]);
    }
  };
  auto append = [&](PyObj* l, const std::vector<PyObj*>& xs) {
    if (l->kind != PyObj::Kind::List) fail(std::string("APPEND to a ") + py_kind_name(l->kind));
    l->items.insert(l->items.end(), xs.begin(), xs.end());
  };

  while (true) {
    uint8_t op = *need(1);
    switch (op) {
      case 0x80: {  // PROTO
        uint8_t v = *need(1);
        if (v < 2 || v > 5) fail("unsupported pickle protocol " + std::to_string(v));
        break;
      }
      case 0x95: need(8); break;  // FRAME: a hint for buffering only
      case 'c': {                 // GLOBAL
        std::string module = read_line();
        std::string name = read_line();
        stack_.push_back(hooks_.find_class(*this, module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        PyObj* name = pop();
        PyObj* module = pop();
        if (name->kind != PyObj::Kind::Str || module->kind != PyObj::Kind::Str) fail("STACK_GLOBAL needs two strings");
        stack_.push_back(hooks_.find_class(*this, module->s, name->s));
        break;
      }
      case 'q': memo_[*need(1)] = top(); break;                       // BINPUT
      case 'r': memo_[load_le32(need(4))] = top(); break;            // LONG_BINPUT
      case 0x94: memo_[uint32_t(memo_.size())] = top(); break;        // MEMOIZE
      case 'h': memo_get(*need(1)); break;                            // BINGET
      case 'j': memo_get(load_le32(need(4))); break;                 // LONG_BINGET
      case '(': marks_.push_back(stack_.size()); break;               // MARK
      case '0': pop(); break;                                         // POP
      case '1': pop_to_mark(); break;                                 // POP_MARK
      case '2': stack_.push_back(top()); break;                       // DUP
      case '}': stack_.push_back(make(PyObj::Kind::Dict)); break;     // EMPTY_DICT
      case ']': stack_.push_back(make(PyObj::Kind::List)); break;     // EMPTY_LIST
      case ')': stack_.push_back(make(PyObj::Kind::Tuple)); break;    // EMPTY_TUPLE
      case 't': {                                                     // TUPLE
        PyObj* t = make(PyObj::Kind::Tuple);
        t->items = pop_to_mark();
        stack_.push_back(t);
        break;
      }
      case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
        PyObj* t = make(PyObj::Kind::Tuple);
        int n = op - 0x84;
        t->items.resize(size_t(n));
        for (int k = n; k-- > 0;) t->items[size_t(k)] = pop();
        stack_.push_back(t);
        break;
      }
      case 'l': {  // LIST
        PyObj* l = make(PyObj::Kind::List);
        l->items = pop_to_mark();
        stack_.push_back(l);
        break;
      }
      case 'd': {  // DICT
        PyObj* d = make(PyObj::Kind::Dict);
        set_items(d, pop_to_mark());
        stack_.push_back(d);
        break;
      }
      case 's': {  // SETITEM
        PyObj* v = pop();
        PyObj* k = pop();
        set_items(top(), {k, v});
        break;
      }
      case 'u': {  // SETITEMS
        std::vector<PyObj*> kv = pop_to_mark();
        set_items(top(), kv);
        break;
      }
      case 'a': {  // APPEND
        PyObj* v = pop();
        append(top(), {v});
        break;
      }
      case 'e': {  // APPENDS
        std::vector<PyObj*> xs = pop_to_mark();
        append(top(), xs);
        break;
      }
      case 'J': push_int(int32_t(load_le32(need(4)))); break;  // BININT
      case 'K': push_int(*need(1)); break;                      // BININT1
      case 'M': {                                               // BININT2
        const uint8_t* p = need(2);
        push_int(p[0] | (p[1] << 8));
        break;
      }
      case 0x8a: {  // LONG1: little-endian two's complement of n bytes
        int64_t n = *need(1);
        if (n > 8) fail("integer of " + std::to_string(n) + " bytes does not fit int64");
        const uint8_t* p = need(n);
        uint64_t v = 0;
        for (int64_t k = 0; k < n; ++k) v |= uint64_t(p[k]) << (8 * k);
        if (n > 0 && n < 8 && (p[n - 1] & 0x80)) v |= ~uint64_t(0) << (8 * n);  // sign-extend
        push_int(int64_t(v));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const uint8_t* p = need(8);
        uint64_t bits = 0;
        for (int k = 0; k < 8; ++k) bits = (bits << 8) | p[k];
        PyObj* o = make(PyObj::Kind::Float);
        std::memcpy(&o->d, &bits, 8);
        stack_.push_back(o);
        break;
      }
      case 'X': push_str(load_le32(need(4))); break;  // BINUNICODE
      case 0x8c: push_str(*need(1)); break;            // SHORT_BINUNICODE
      case 0x8d: {                                     // BINUNICODE8
        const uint8_t* p = need(8);
        uint64_t n = 0;
        for (int k = 8; k-- > 0;) n = (n << 8) | p[k];
        if (n > uint64_t(data_.size())) fail("pickle data is truncated");
        push_str(int64_t(n));
        break;
      }
      case 0x88: case 0x89: {  // NEWTRUE / NEWFALSE
        PyObj* o = make(PyObj::Kind::Bool);
        o->b = op == 0x88;
        stack_.push_back(o);
        break;
      }
      case 'N': stack_.push_back(make(PyObj::Kind::None)); break;
      case 'R': {  // REDUCE
        PyObj* args = pop();
        PyObj* fn = pop();
        if (args->kind != PyObj::Kind::Tuple) fail("REDUCE arguments are not a tuple");
        stack_.push_back(hooks_.reduce(*this, fn, args));
        break;
      }
      case 'b': {  // BUILD
        PyObj* state = pop();
        hooks_.build(*this, top(), state);
        break;
      }
      case 'Q': {  // BINPERSID
        PyObj* pid = pop();
        stack_.push_back(hooks_.persistent_load(*this, pid));
        break;
      }
      case '.': {  // STOP
        PyObj* result = pop();
        return result;
      }
      case 0x81: case 0x92: fail("NEWOBJ (constructing an arbitrary class) is not allowed in a weights-only load");
      case 'i': case 'o': fail("INST/OBJ (constructing an arbitrary class) is not allowed in a weights-only load");
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", op);
        fail(std::string("unsupported pickle opcode ") + buf);
      }
    }
  }
}

}  // namespace ft::serialize::detail
