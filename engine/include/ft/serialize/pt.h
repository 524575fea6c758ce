// PyTorch `.pt` files written by torch.save (zip format, PyTorch >= 1.6):
// a weights-only loader with a restricted unpickler and a writer for state
// dicts that torch.load can read.
//
// NOTE [ Weights-only .pt loading ]
// The unpickler never executes anything: every GLOBAL is looked up in a fixed
// allow-list (tensor/parameter rebuild functions, storage classes,
// collections.OrderedDict, torch.Size) and anything else is refused with an
// error that names it. Storages are read from `<prefix>/data/<key>` once per
// key, so tensors that shared a storage in the file share one ft::Storage
// after loading (each with its own offset and strides).
#pragma once

#include <memory>

#include "ft/serialize/common.h"

namespace ft::serialize {

// A Python value from the pickle: containers keep their order.
struct PtValue {
  enum class Kind { None, Bool, Int, Double, String, Tensor, List, Tuple, Dict };
  Kind kind = Kind::None;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;
  Tensor tensor;
  bool is_parameter = false;           // Tensor from torch.nn.Parameter
  std::vector<PtValue> items;          // List, Tuple
  std::vector<std::pair<PtValue, PtValue>> dict;  // Dict (dict and OrderedDict), in order
  bool is_ordered_dict = false;

  bool is_tensor() const { return kind == Kind::Tensor; }
  // Dict lookup by string key; nullptr when absent (or not a Dict).
  const PtValue* get(const std::string& key) const;
};
const char* pt_kind_name(PtValue::Kind k);

PtValue load_pt(const std::string& path);
// Flattens the value tree into (name, tensor) pairs: dict keys and list/tuple
// indices joined with '.', e.g. "0.weight" or "model.layers.1". Non-tensor
// leaves are skipped. A top-level tensor is named "" .
TensorEntries load_pt_state_dict(const std::string& path);

// The top-level container save_pt writes. OrderedDict is what
// nn.Module.state_dict() gives and what Python's torch.load returns; Dict is
// for readers in C++: libtorch's torch::pickle_load turns any
// collections.OrderedDict into None (it expects one only as the empty hooks
// argument of _rebuild_tensor_v2), but reads a plain dict.
enum class PtContainer { OrderedDict, Dict };

// Writes {name: tensor} that torch.load (1.13) reads back.
// Tensors sharing a storage are written once and stay views of one storage.
void save_pt(const std::string& path, const TensorEntries& tensors,
             PtContainer container = PtContainer::OrderedDict);

}  // namespace ft::serialize
