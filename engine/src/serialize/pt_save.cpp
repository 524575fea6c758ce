// save_pt: writes a state dict (OrderedDict of tensors) in the torch.save
// zip format that torch.load (1.13) reads: <archive>/data.pkl (pickle
// protocol 2, the same opcodes torch emits), <archive>/data/<key> per storage,
// <archive>/byteorder and <archive>/version.
#include <map>

#include "ft/serialize/pt.h"
#include "serialize/pt_common.h"
#include "serialize/zip.h"

namespace ft::serialize {

namespace {

// A minimal pickle writer: only the opcodes a state dict needs.
struct PtPickler {
  std::string out;
  void op(char c) { out.push_back(c); }
  void global(const char* module, const char* name) {
    op('c');
    out += module;
    out += '\n';
    out += name;
    out += '\n';
  }
  void str(const std::string& s) {
    op('X');
    detail::store_le32(out, uint32_t(s.size()));
    out += s;
  }
  void integer(int64_t v) {
    if (v >= 0 && v < 256) {
      op('K');
      out.push_back(char(v));
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      op('J');
      detail::store_le32(out, uint32_t(int32_t(v)));
    } else {
      op('\x8a');  // LONG1 with 8 bytes: always enough for int64
      out.push_back(8);
      detail::store_le64(out, uint64_t(v));
    }
  }
  void int_tuple(IntArrayRef v) {
    op('(');
    for (int64_t x : v) integer(x);
    op('t');
  }
  void empty_ordered_dict() {
    global("collections", "OrderedDict");
    op(')');
    op('R');
  }
};

}  // namespace

void save_pt(const std::string& path, const TensorEntries& tensors, PtContainer container) {
  // One archive entry per distinct storage: views keep sharing after a reload.
  std::map<const Storage*, std::pair<std::string, DType>> keys;
  std::vector<const Storage*> order;
  for (const auto& e : tensors) {
    FT_CHECK_VALUE(e.tensor.defined(), "save_pt: tensor '", e.name, "' is undefined");
    const Storage* s = e.tensor.impl()->storage().get();
    auto it = keys.find(s);
    if (it == keys.end()) {
      keys.emplace(s, std::make_pair(std::to_string(order.size()), e.tensor.dtype()));
      order.push_back(s);
    } else {
      FT_CHECK_VALUE(it->second.second == e.tensor.dtype(), "save_pt: tensor '", e.name,
                     "' views a storage shared with a tensor of another dtype; PyTorch 1.13 storages are typed: "
                     "clone() one of them before saving");
    }
  }

  PtPickler p;
  std::map<const Storage*, uint32_t> memo_of;  // storage -> pickle memo slot
  p.op('\x80');
  p.out.push_back(2);
  if (container == PtContainer::Dict) p.op('}');  // EMPTY_DICT
  else p.empty_ordered_dict();
  p.op('(');
  for (const auto& e : tensors) {
    const Tensor& t = e.tensor;
    const Storage* s = t.impl()->storage().get();
    const auto& [key, dt] = keys.at(s);
    p.str(e.name);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    // A storage's first use writes its persistent id ('storage',
    // torch.<Type>Storage, key, 'cpu', numel) and memoizes the loaded storage;
    // later views fetch it from the memo. Python's torch.load shares storages
    // by key either way, but libtorch's C++ unpickler (torch::pickle_load)
    // shares them only through the memo, as in files libtorch writes itself.
    auto memo = memo_of.find(s);
    if (memo != memo_of.end()) {
      p.op('j');  // LONG_BINGET
      detail::store_le32(p.out, memo->second);
    } else {
      p.op('(');
      p.str("storage");
      p.global("torch", pt_storage_name(dt));
      p.str(key);
      p.str("cpu");
      p.integer(int64_t(s->nbytes()) / itemsize(dt));
      p.op('t');
      p.op('Q');
      const uint32_t idx = uint32_t(memo_of.size());
      p.op('r');  // LONG_BINPUT
      detail::store_le32(p.out, idx);
      memo_of.emplace(s, idx);
    }
    p.integer(t.storage_offset());
    p.int_tuple(t.sizes());
    p.int_tuple(t.strides());
    p.op(t.requires_grad() ? '\x88' : '\x89');
    p.empty_ordered_dict();
    p.op('t');
    p.op('R');
  }
  p.op('u');
  p.op('.');

  detail::ZipWriter zip(path);
  const std::string prefix = "archive";
  zip.add(prefix + "/data.pkl", p.out.data(), int64_t(p.out.size()));
  zip.add(prefix + "/byteorder", "little", 6);
  for (const Storage* s : order) {
    const auto& [key, dt] = keys.at(s);
    int64_t nbytes = int64_t(s->nbytes()) / itemsize(dt) * itemsize(dt);
    zip.add(prefix + "/data/" + key, s->data(), nbytes);
  }
  zip.add(prefix + "/version", "3\n", 2);
  zip.finish();
}

}  // namespace ft::serialize
