// Weights-only loading of torch.save zip archives: the allow-list policy for
// the restricted unpickler, storage loading (shared by key) and the
// conversion to ft::serialize::PtValue. See NOTE [ Weights-only .pt loading ].
#include <cstring>
#include <map>
#include <unordered_map>

#include "ft/serialize/pt.h"
#include "serialize/pickle.h"
#include "serialize/pt_common.h"
#include "serialize/zip.h"

namespace ft::serialize {

using detail::PyObj;
using detail::Unpickler;

const char* pt_kind_name(PtValue::Kind k) {
  switch (k) {
    case PtValue::Kind::None: return "None";
    case PtValue::Kind::Bool: return "bool";
    case PtValue::Kind::Int: return "int";
    case PtValue::Kind::Double: return "float";
    case PtValue::Kind::String: return "str";
    case PtValue::Kind::Tensor: return "tensor";
    case PtValue::Kind::List: return "list";
    case PtValue::Kind::Tuple: return "tuple";
    case PtValue::Kind::Dict: return "dict";
  }
  return "?";
}

const PtValue* PtValue::get(const std::string& key) const {
  if (kind != Kind::Dict) return nullptr;
  for (auto& kv : dict)
    if (kv.first.kind == Kind::String && kv.first.s == key) return &kv.second;
  return nullptr;
}

namespace {

// The callables a weights-only load may see; anything else is refused at GLOBAL time.
constexpr const char* kPtAllowedCallables[] = {
    "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    "torch.Size",
    // libtorch's C++ pickler (torch::pickle_save, torch::save of an IValue)
    // wraps typed dicts and lists in restore_type_tag(value, "Dict[str, Tensor]"):
    // a pure annotation whose call returns `value`.
    "torch.jit._pickle.restore_type_tag",
};

struct PtLoadState {
  const detail::ZipReader* zip;
  std::string prefix;
  std::unordered_map<std::string, intrusive_ptr<Storage>> storages;  // by key: shared storage
};

int64_t pt_int_arg(Unpickler& u, PyObj* o, const char* what) {
  if (o->kind != PyObj::Kind::Int) u.fail(std::string(what) + " must be an int, got " + py_kind_name(o->kind));
  return o->i;
}
std::vector<int64_t> pt_int_tuple(Unpickler& u, PyObj* o, const char* what) {
  if (o->kind != PyObj::Kind::Tuple) u.fail(std::string(what) + " must be a tuple of ints");
  if (o->items.size() > 64) u.fail(std::string(what) + " has more than 64 entries");
  std::vector<int64_t> v;
  for (PyObj* x : o->items) v.push_back(pt_int_arg(u, x, what));
  return v;
}
bool pt_is_empty_dict(PyObj* o) { return o->kind == PyObj::Kind::Dict && o->dict.empty(); }

PyObj* pt_find_class(Unpickler& u, const std::string& module, const std::string& name) {
  std::string full = module + "." + name;
  bool ok = false;
  for (const char* a : kPtAllowedCallables) ok = ok || full == a;
  ok = ok || (module == "torch" && pt_storage_dtype(name).has_value());
  if (!ok)
    FT_ERROR(u.where(), ": refusing to load: the pickle references the global '", full,
             "', which is not allowed in a weights-only load (only tensors, storages, dict/OrderedDict/list/tuple "
             "and plain values are). Nothing was executed. If you trust the file, re-save its tensors from Python "
             "as a plain state dict: torch.save({k: v for k, v in obj.state_dict().items()}, path)");
  PyObj* g = u.make(PyObj::Kind::Global);
  g->s = full;
  return g;
}

Tensor pt_rebuild_tensor(Unpickler& u, PyObj* args) {
  auto& a = args->items;
  if (a.size() != 6 && a.size() != 7) u.fail("_rebuild_tensor_v2 expects 6 or 7 arguments, got " + std::to_string(a.size()));
  if (a[0]->kind != PyObj::Kind::Storage) u.fail("_rebuild_tensor_v2: first argument is not a storage");
  int64_t offset = pt_int_arg(u, a[1], "storage offset");
  std::vector<int64_t> sizes = pt_int_tuple(u, a[2], "size");
  std::vector<int64_t> strides = pt_int_tuple(u, a[3], "stride");
  if (sizes.size() != strides.size()) u.fail("_rebuild_tensor_v2: size and stride have different lengths");
  if (a[4]->kind != PyObj::Kind::Bool) u.fail("_rebuild_tensor_v2: requires_grad is not a bool");
  // Backward hooks cannot be restored without running code; PyTorch saves an empty OrderedDict.
  if (!pt_is_empty_dict(a[5])) u.fail("_rebuild_tensor_v2: tensors with backward hooks are not supported");
  if (a.size() == 7 && !(a[6]->kind == PyObj::Kind::None || pt_is_empty_dict(a[6])))
    u.fail("_rebuild_tensor_v2: tensor metadata is not supported");
  DType dt = a[0]->storage_dtype;
  // Check the extent here with overflow-checked arithmetic: hostile strides
  // such as 2^62 must not wrap around to an in-bounds offset.
  if (offset < 0) u.fail("negative storage offset");
  int64_t storage_numel = int64_t(a[0]->storage->nbytes()) / itemsize(dt);
  int64_t last = offset;
  bool empty = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 0 || strides[d] < 0) u.fail("negative size or stride");
    empty = empty || sizes[d] == 0;
  }
  for (size_t d = 0; d < sizes.size() && !empty; ++d) {
    int64_t span;
    if (__builtin_mul_overflow(sizes[d] - 1, strides[d], &span) || __builtin_add_overflow(last, span, &last))
      u.fail("tensor geometry overflows int64");
  }
  if (!empty && last >= storage_numel)
    u.fail("tensor (size " + shape_str(sizes) + ", stride " + shape_str(strides) + ", offset " + std::to_string(offset) +
           ") reaches element " + std::to_string(last) + " of a storage with " + std::to_string(storage_numel));
  Tensor t(make_intrusive<TensorImpl>(a[0]->storage, dt, IntArrayRef{}, IntArrayRef{}, 0));
  try {
    t.impl()->set_geometry(sizes, strides, offset);  // bounds-checked against the storage
  } catch (const Error& e) {
    u.fail(std::string("tensor does not fit its storage: ") + e.what());
  }
  if (a[4]->b) {
    if (!is_floating(dt)) u.fail("requires_grad=True on a non-floating tensor");
    t.requires_grad_(true);
  }
  return t;
}

PyObj* pt_reduce(Unpickler& u, PyObj* fn, PyObj* args) {
  if (fn->kind != PyObj::Kind::Global)
    u.fail(std::string("REDUCE of a ") + py_kind_name(fn->kind) + ", which is not callable in a weights-only load");
  const std::string& name = fn->s;
  auto& a = args->items;
  if (name == "collections.OrderedDict") {
    PyObj* d = u.make(PyObj::Kind::Dict);
    d->ordered = true;
    if (a.empty()) return d;
    if (a.size() == 1 && a[0]->kind == PyObj::Kind::List) {
      for (PyObj* kv : a[0]->items) {
        if (kv->kind != PyObj::Kind::Tuple || kv->items.size() != 2) u.fail("OrderedDict items must be pairs");
        d->dict.emplace_back(kv->items[0], kv->items[1]);
      }
      return d;
    }
    u.fail("unsupported OrderedDict arguments");
  }
  if (name == "torch._utils._rebuild_tensor_v2") {
    PyObj* o = u.make(PyObj::Kind::Tensor);
    o->tensor = pt_rebuild_tensor(u, args);
    return o;
  }
  if (name == "torch._utils._rebuild_parameter") {
    // (data, requires_grad, backward_hooks)
    if (a.size() != 3 || a[0]->kind != PyObj::Kind::Tensor || a[1]->kind != PyObj::Kind::Bool)
      u.fail("_rebuild_parameter expects (tensor, bool, hooks)");
    if (!pt_is_empty_dict(a[2])) u.fail("_rebuild_parameter: parameters with backward hooks are not supported");
    PyObj* o = u.make(PyObj::Kind::Tensor);
    o->tensor = a[0]->tensor.detach();
    if (a[1]->b && o->tensor.is_floating_point()) o->tensor.requires_grad_(true);
    o->parameter = true;
    return o;
  }
  if (name == "torch.jit._pickle.restore_type_tag") {
    if (a.size() != 2 || a[1]->kind != PyObj::Kind::Str ||
        (a[0]->kind != PyObj::Kind::Dict && a[0]->kind != PyObj::Kind::List))
      u.fail("restore_type_tag expects (dict or list, type string)");
    return a[0];
  }
  if (name == "torch.Size") {
    if (a.size() != 1 || a[0]->kind != PyObj::Kind::Tuple) u.fail("torch.Size expects one tuple");
    return a[0];
  }
  u.fail("REDUCE of '" + name + "' is not allowed in a weights-only load");
}

void pt_build(Unpickler& u, PyObj* obj, PyObj* state) {
  // An nn.Module state dict carries `_metadata` (module versions) as an
  // attribute of the OrderedDict: dropping it loses nothing tensor-related.
  if (obj->kind == PyObj::Kind::Dict && obj->ordered && (state->kind == PyObj::Kind::Dict || state->kind == PyObj::Kind::None))
    return;
  u.fail(std::string("BUILD (setting the state of a ") + py_kind_name(obj->kind) +
         ") is not allowed in a weights-only load");
}

PyObj* pt_persistent_load(Unpickler& u, PtLoadState& st, PyObj* pid) {
  if (pid->kind != PyObj::Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != PyObj::Kind::Str ||
      pid->items[0]->s != "storage")
    u.fail("unsupported persistent id (expected ('storage', type, key, location, numel))");
  PyObj* type = pid->items[1];
  PyObj* key = pid->items[2];
  if (type->kind != PyObj::Kind::Global || key->kind != PyObj::Kind::Str || pid->items[3]->kind != PyObj::Kind::Str)
    u.fail("malformed storage persistent id");
  std::string type_name = type->s.substr(type->s.find('.') + 1);
  auto dt = pt_storage_dtype(type_name);
  if (!dt) u.fail("'" + type->s + "' is not a storage type");
  int64_t numel = pt_int_arg(u, pid->items[4], "storage numel");
  const detail::ZipEntry* e = st.zip->find(st.prefix + "/data/" + key->s);
  if (!e) u.fail("storage '" + key->s + "' is missing from the archive (no " + st.prefix + "/data/" + key->s + ")");
  if (numel < 0 || numel > e->size / itemsize(*dt) || numel * itemsize(*dt) != e->size)
    u.fail("storage '" + key->s + "' should hold " + std::to_string(numel) + " elements of " + dtype_name(*dt) +
           " but its entry has " + std::to_string(e->size) + " bytes");
  PyObj* o = u.make(PyObj::Kind::Storage);
  o->storage_dtype = *dt;
  auto it = st.storages.find(key->s);
  if (it != st.storages.end()) {
    o->storage = it->second;
    return o;
  }
  auto storage = make_intrusive<Storage>(size_t(e->size));
  st.zip->read(*e, storage->data());
  if (*dt == DType::Bool) {
    const uint8_t* b = static_cast<const uint8_t*>(storage->data());
    for (int64_t k = 0; k < e->size; ++k)
      if (b[k] > 1) u.fail("bool storage '" + key->s + "' holds a byte that is neither 0 nor 1");
  }
  st.storages.emplace(key->s, storage);
  o->storage = storage;
  return o;
}

PtValue pt_convert(Unpickler& u, PyObj* o, int depth) {
  if (depth > 200) u.fail("containers nested deeper than 200 (or a reference cycle)");
  PtValue v;
  switch (o->kind) {
    case PyObj::Kind::None: break;
    case PyObj::Kind::Bool: v.kind = PtValue::Kind::Bool; v.b = o->b; break;
    case PyObj::Kind::Int: v.kind = PtValue::Kind::Int; v.i = o->i; break;
    case PyObj::Kind::Float: v.kind = PtValue::Kind::Double; v.d = o->d; break;
    case PyObj::Kind::Str: v.kind = PtValue::Kind::String; v.s = o->s; break;
    case PyObj::Kind::Tensor:
      v.kind = PtValue::Kind::Tensor;
      v.tensor = o->tensor;
      v.is_parameter = o->parameter;
      break;
    case PyObj::Kind::Tuple:
    case PyObj::Kind::List:
      v.kind = o->kind == PyObj::Kind::Tuple ? PtValue::Kind::Tuple : PtValue::Kind::List;
      for (PyObj* x : o->items) v.items.push_back(pt_convert(u, x, depth + 1));
      break;
    case PyObj::Kind::Dict:
      v.kind = PtValue::Kind::Dict;
      v.is_ordered_dict = o->ordered;
      for (auto& kv : o->dict) v.dict.emplace_back(pt_convert(u, kv.first, depth + 1), pt_convert(u, kv.second, depth + 1));
      break;
    case PyObj::Kind::Global: u.fail("a bare global ('" + o->s + "') in the result is not supported");
    case PyObj::Kind::Storage: u.fail("a bare storage in the result is not supported (save tensors instead)");
  }
  return v;
}

}  // namespace

static PtValue read_pt(const std::string& path) {
  pt_check_not_legacy(path);
  detail::ZipReader zip(path);
  FT_CHECK(!zip.entries().empty(), "pt: '", path, "' is an empty zip archive, not a torch.save file");
  // Like PyTorch's reader: the first entry's directory is the archive prefix.
  const std::string& first = zip.entries().front().name;
  size_t slash = first.find('/');
  FT_CHECK(slash != std::string::npos && slash > 0, "pt: '", path,
           "' is a zip archive but not a torch.save file (entries are not inside an archive folder)");
  PtLoadState st{&zip, first.substr(0, slash), {}};
  const detail::ZipEntry* pkl = zip.find(st.prefix + "/data.pkl");
  FT_CHECK(pkl, "pt: '", path, "' has no ", st.prefix, "/data.pkl: a zip archive but not a torch.save file",
           " (TorchScript archives from torch.jit.save are not supported)");
  if (const detail::ZipEntry* bo = zip.find(st.prefix + "/byteorder")) {
    std::string order = zip.read_string(*bo);
    FT_CHECK(order == "little", "pt: '", path, "' was saved with byte order '", order,
             "'; only little-endian checkpoints are supported: re-save it on a little-endian machine");
  }
  detail::UnpickleHooks hooks;
  hooks.find_class = pt_find_class;
  hooks.reduce = pt_reduce;
  hooks.build = pt_build;
  hooks.persistent_load = [&st](Unpickler& u, PyObj* pid) { return pt_persistent_load(u, st, pid); };
  Unpickler u(zip.read_string(*pkl), "pt: '" + path + "'", std::move(hooks));
  PyObj* result = u.load();
  return pt_convert(u, result, 0);
}

PtValue load_pt(const std::string& path) {
  return detail::verified_load(".pt", path, [&] { return read_pt(path); });
}

namespace {
void pt_flatten(const PtValue& v, const std::string& name, TensorEntries& out) {
  auto join = [&](const std::string& k) { return name.empty() ? k : name + "." + k; };
  switch (v.kind) {
    case PtValue::Kind::Tensor: out.push_back({name, v.tensor}); break;
    case PtValue::Kind::List:
    case PtValue::Kind::Tuple:
      for (size_t i = 0; i < v.items.size(); ++i) pt_flatten(v.items[i], join(std::to_string(i)), out);
      break;
    case PtValue::Kind::Dict:
      for (auto& kv : v.dict) {
        std::string k;
        if (kv.first.kind == PtValue::Kind::String) k = kv.first.s;
        else if (kv.first.kind == PtValue::Kind::Int) k = std::to_string(kv.first.i);
        else FT_ERROR("load_pt_state_dict: dict key of type ", pt_kind_name(kv.first.kind), " cannot name a tensor");
        pt_flatten(kv.second, join(k), out);
      }
      break;
    default: break;  // plain values carry no tensors
  }
}
}  // namespace

TensorEntries load_pt_state_dict(const std::string& path) {
  TensorEntries out;
  pt_flatten(load_pt(path), "", out);
  return out;
}

}  // namespace ft::serialize
