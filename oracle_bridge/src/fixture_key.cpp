// Keys of oracle calls for the fixture corpus (NOTE [ Fixture corpus ]):
// two 64-bit FNV-1a streams with different offsets over a canonical
// serialization of the call. Lengths precede variable-size fields, so no two
// different calls serialize alike.
#include <cstring>

#include "ft/oracle/fixtures.h"

namespace ft::oracle {
namespace {

class Hasher {
 public:
  void bytes(const void* p, size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
      a_ = (a_ ^ c[i]) * kPrime;
      b_ = (b_ ^ c[i]) * kPrime;
    }
  }
  void u64(uint64_t v) { bytes(&v, sizeof v); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void ints(const std::vector<int64_t>& v) {
    u64(v.size());
    for (int64_t x : v) i64(x);
  }
  void scalar(const Scalar& s) {
    u64(static_cast<uint64_t>(s.tag()));
    if (s.is_floating_point()) {
      double d = s.to<double>();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      u64(bits);
    } else {
      i64(s.to<int64_t>());
    }
  }
  void opt_scalar(const std::optional<Scalar>& s) {
    u64(s.has_value());
    if (s) scalar(*s);
  }
  // `contents`: hash the storage bytes too. Not for out= tensors, whose
  // memory is uninitialized and only ever written.
  void tensor(const Tensor& t, bool contents) {
    u64(t.defined());
    if (!t.defined()) return;
    u64(static_cast<uint64_t>(t.dtype()));
    ints(t.sizes().vec());
    ints(t.strides().vec());
    i64(t.storage_offset());
    if (!contents) return;
    const auto& st = t.impl()->storage();
    u64(st->nbytes());
    bytes(st->data(), st->nbytes());
  }
  void call(const char* kind, int op_index, const EngineCall& c) {
    str(kind);
    str(op_table()[op_index].id);
    u64(c.in.size());
    for (const Tensor& t : c.in) tensor(t, true);
    tensor(c.out, false);
    scalar(c.alpha);
    scalar(c.scalar);
    scalar(c.scalar2);
    opt_scalar(c.opt_a);
    opt_scalar(c.opt_b);
    ints(c.dims);
    ints(c.ints);
    i64(c.dim);
    i64(c.n);
    u64(c.keepdim);
    u64(c.flag);
    str(c.str);
    u64(c.dtype.has_value());
    if (c.dtype) u64(static_cast<uint64_t>(*c.dtype));
  }
  CallKey key() const { return {a_, b_}; }

 private:
  static constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t a_ = 14695981039346656037ull, b_ = 0x84222325cbf29ce4ull;
};

}  // namespace

CallKey forward_key(int op_index, const EngineCall& call) {
  Hasher h;
  h.call("forward", op_index, call);
  return h.key();
}

CallKey backward_key(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask) {
  Hasher h;
  h.call("backward", op_index, call);
  h.tensor(grad_output, true);
  h.u64(diff_mask);
  return h.key();
}

CallKey double_backward_key(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                            const std::vector<Tensor>& proj) {
  Hasher h;
  h.call("double_backward", op_index, call);
  h.tensor(grad_output, true);
  h.u64(diff_mask);
  h.u64(proj.size());
  for (const Tensor& p : proj) h.tensor(p, true);
  return h.key();
}

}  // namespace ft::oracle
