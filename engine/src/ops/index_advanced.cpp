// Advanced indexing: index (x[i, j]) and index_put / index_put_ with a list
// of optional index tensors, following ATen 1.13's make_info /
// AdvancedIndex: bool and uint8 masks become their nonzero() coordinates,
// the index tensors broadcast together, non-adjacent indexed dims move to
// the front, and the result is self's dims before the indexed block, the
// broadcast index shape, then the dims after it.
#include <algorithm>
#include <limits>

#include "index_internal.h"
#include "write_conflicts.h"

namespace ft {
namespace index_detail {
namespace {

// NOTE [ Advanced indexing as element offsets ]
// Every indexed dim contributes index * stride to the element's offset, so
// the index tensors are first folded into one int64 tensor of offsets
// (shape: the broadcast index shape), each index checked and wrapped as it
// is added. The gather and the put then walk the result's shape with self
// restrided (stride 0 across the index block) and the offsets expanded
// (stride 0 outside it): one pass of the dim-indexed loop with dim_stride 1.
struct AdvIndex {
  Tensor src;              // self, indexed dims adjacent (transposed to the front if they were not)
  int64_t before = 0;      // dims of src before the indexed block
  int64_t indexed = 0;     // dims in the indexed block
  DimVector index_shape;   // broadcast shape of the index tensors
  Tensor offsets;          // int64, index_shape: element offsets into src (relative to src's data)
  DimVector result_shape;  // src[:before] + index_shape + src[before + indexed:]
};

void check_index_types(const List<optional<Tensor>>& indices) {
  for (const auto& i : indices)
    if (i && i->defined())
      FT_CHECK_INDEX(i->dtype() == DType::Int64 || i->dtype() == DType::Bool || i->dtype() == DType::UInt8,
                     "tensors used as indices must be long, byte or bool tensors");
}

// Masks become one long index per mask dim (their nonzero coordinates).
std::vector<Tensor> expand_masks(const Tensor& self, const List<optional<Tensor>>& indices) {
  std::vector<Tensor> out;
  for (const auto& i : indices) {
    if (!i || !i->defined()) {
      out.emplace_back();
      continue;
    }
    const Tensor& t = *i;
    if (t.dtype() != DType::Bool && t.dtype() != DType::UInt8) {
      out.push_back(t);
      continue;
    }
    for (int64_t j = 0; j < t.dim(); ++j) {
      const int64_t src_idx = int64_t(out.size()) + j;
      FT_CHECK_INDEX(src_idx < self.dim() && t.size(j) == self.size(src_idx), "The shape of the mask ",
                     shape_str(t.sizes()), " at index ", j, " does not match the shape of the indexed tensor ",
                     shape_str(self.sizes()), " at index ", src_idx);
    }
    Tensor nz = ft::nonzero(t);
    for (int64_t j = 0; j < t.dim(); ++j) out.push_back(nz.select(1, j));
  }
  return out;
}

AdvIndex make_info(const Tensor& self, const List<optional<Tensor>>& list) {
  FT_CHECK_INDEX(int64_t(list.size()) <= self.dim(), "too many indices for tensor of dimension ", self.dim(),
                 " (got ", list.size(), ")");
  check_index_types(list);
  std::vector<Tensor> idx = expand_masks(self, list);
  // Broadcast the defined ones together.
  DimVector shape;
  bool first = true;
  for (const Tensor& t : idx) {
    if (!t.defined()) continue;
    try {
      shape = first ? DimVector(t.sizes()) : broadcast_shapes(shape, t.sizes());
    } catch (const Error&) {
      std::string shapes;
      for (const Tensor& u : idx)
        if (u.defined()) shapes += (shapes.empty() ? "" : ", ") + shape_str(u.sizes());
      detail::throw_error(ErrorKind::Index,
                          "shape mismatch: indexing tensors could not be broadcast together with shapes " + shapes);
    }
    first = false;
  }
  while (int64_t(idx.size()) < self.dim()) idx.emplace_back();
  // Non-adjacent indexed dims: permute them (in order) to the front.
  std::vector<int64_t> defined_pos;
  for (size_t d = 0; d < idx.size(); ++d)
    if (idx[d].defined()) defined_pos.push_back(int64_t(d));
  Tensor src = self;
  if (!defined_pos.empty() && defined_pos.back() - defined_pos.front() + 1 != int64_t(defined_pos.size())) {
    std::vector<int64_t> perm;
    std::vector<Tensor> reordered;
    for (int64_t d : defined_pos) { perm.push_back(d); reordered.push_back(idx[size_t(d)]); }
    for (size_t d = 0; d < idx.size(); ++d)
      if (!idx[d].defined()) { perm.push_back(int64_t(d)); reordered.emplace_back(); }
    src = self.permute(perm);
    idx = std::move(reordered);
  }
  AdvIndex a;
  a.src = src;
  a.index_shape = shape;
  DimVector indexed_sizes, indexed_strides;
  std::vector<const Tensor*> defined;
  std::vector<int64_t> dim_of;
  for (size_t d = 0; d < idx.size(); ++d) {
    if (!idx[d].defined()) {
      if (a.indexed == 0) ++a.before;
      continue;
    }
    ++a.indexed;
    indexed_sizes.push_back(src.size(int64_t(d)));
    indexed_strides.push_back(src.stride(int64_t(d)));
    defined.push_back(&idx[d]);
    dim_of.push_back(int64_t(d));
  }
  const bool empty_indexed = std::find(indexed_sizes.begin(), indexed_sizes.end(), 0) != indexed_sizes.end();
  const bool empty_index = std::find(shape.begin(), shape.end(), 0) != shape.end();
  FT_CHECK_INDEX(!(empty_indexed && !empty_index), "index is out of bounds for dimension with size 0");
  for (int64_t d = 0; d < a.before; ++d) a.result_shape.push_back(src.size(d));
  for (int64_t s : shape) a.result_shape.push_back(s);
  for (int64_t d = a.before + a.indexed; d < src.dim(); ++d) a.result_shape.push_back(src.size(d));
  // Fold the indices into offsets (NOTE [ Advanced indexing as element offsets ]).
  // An empty result visits no element, so (as in ATen) no index is checked.
  a.offsets = zeros(shape, DType::Int64);
  int64_t result_numel = 1;
  for (int64_t s : a.result_shape) result_numel *= s;
  if (result_numel == 0) return a;
  const DimVector off_st = contiguous_strides(shape);
  for (size_t k = 0; k < defined.size(); ++k) {
    const Tensor idx_b = defined[k]->expand(shape);
    const int64_t size = indexed_sizes[k], stride = indexed_strides[k], dim = dim_of[k];
    auto g = kernels::make_geometry<2>(shape, {IntArrayRef(off_st), idx_b.strides()}, {8, 8});
    kernels::run_geometry(g, {static_cast<char*>(a.offsets.data_ptr()), static_cast<char*>(idx_b.data_ptr())},
                          [&](char** p, const int64_t* st, int64_t n) {
                            char* o = p[0];
                            const char* x = p[1];
                            for (int64_t e = 0; e < n; ++e, o += st[0], x += st[1]) {
                              int64_t i = *reinterpret_cast<const int64_t*>(x);
                              FT_CHECK_INDEX(i >= -size && i < size, "index ", i, " is out of bounds for dimension ",
                                             dim, " with size ", size);
                              if (i < 0) i += size;
                              *reinterpret_cast<int64_t*>(o) += i * stride;
                            }
                          });
  }
  return a;
}

// Strides of src over result_shape (0 across the index block) and of the
// offsets over result_shape (0 outside it).
std::pair<DimVector, DimVector> walk_strides(const AdvIndex& a) {
  DimVector s, o;
  const DimVector off_st = contiguous_strides(a.index_shape);
  for (int64_t d = 0; d < a.before; ++d) { s.push_back(a.src.stride(d)); o.push_back(0); }
  for (size_t d = 0; d < a.index_shape.size(); ++d) { s.push_back(0); o.push_back(off_st[d]); }
  for (int64_t d = a.before + a.indexed; d < a.src.dim(); ++d) { s.push_back(a.src.stride(d)); o.push_back(0); }
  return {s, o};
}

constexpr int64_t kNoBound = std::numeric_limits<int64_t>::max();
[[noreturn]] void unreachable_bound(int64_t) { FT_INTERNAL_ASSERT(false, "advanced index offset out of range"); }

// ATen's canDispatchToMaskedFill: a single mask (others None) and a
// one-element value become masked_fill_ (which also takes a value of another dtype).
std::pair<bool, Tensor> masked_fill_dispatch(const Tensor& self, const List<optional<Tensor>>& indices,
                                             const Tensor& value) {
  if (value.numel() != 1) return {false, Tensor()};
  int64_t num_ind = 0;
  Tensor mask;
  for (const auto& i : indices) {
    if (!i || !i->defined()) {
      ++num_ind;
      continue;
    }
    if ((i->dtype() != DType::Bool && i->dtype() != DType::UInt8) || mask.defined()) return {false, Tensor()};
    mask = *i;
    for (int64_t j = 0; j < mask.dim(); ++j) {
      const int64_t src_idx = num_ind + j;
      FT_CHECK_INDEX(src_idx < self.dim() && mask.size(j) == self.size(src_idx), "The shape of the mask ",
                     shape_str(mask.sizes()), " at index ", j, " does not match the shape of the indexed tensor ",
                     shape_str(self.sizes()), " at index ", src_idx);
    }
    num_ind += mask.dim();
  }
  if (!mask.defined()) return {false, Tensor()};
  for (int64_t d = num_ind; d < self.dim(); ++d) mask = mask.unsqueeze(-1);
  return {true, mask};
}

}  // namespace

Tensor index_compute(const Tensor& self, const List<optional<Tensor>>& indices) {
  autograd::NoGradGuard ng;
  AdvIndex a = make_info(self, indices);
  Tensor out = empty(a.result_shape, self.dtype());
  auto [s_st, o_st] = walk_strides(a);
  FT_DISPATCH_EVERY(self.dtype(), "index_cpu", [&] {
    using T = scalar_t;
    kernels::index_dim_loop<false>(a.result_shape, out.data_ptr<T>(), contiguous_strides(a.result_shape),
                                   a.src.data_ptr<T>(), s_st, a.offsets.data_ptr<int64_t>(), o_st, kNoBound, 1, false,
                                   kernels::AssignOp{}, unreachable_bound);
  });
  return out;
}

void index_put_into(Tensor& self, const List<optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  autograd::NoGradGuard ng;
  FT_CHECK_INDEX(int64_t(indices.size()) <= self.dim(), "too many indices for tensor of dimension ", self.dim(),
                 " (got ", indices.size(), ")");
  if (!accumulate) {
    check_index_types(indices);
    auto [ok, mask] = masked_fill_dispatch(self, indices, values);
    if (ok) {
      self.masked_fill_(mask.dtype() == DType::Bool ? mask : mask.to(DType::Bool), values.item());
      return;
    }
  }
  AdvIndex a = make_info(self, indices);
  bool expandable = values.dim() <= int64_t(a.result_shape.size());
  for (int64_t k = 1; expandable && k <= values.dim(); ++k) {
    const int64_t v = values.size(-k), r = a.result_shape[a.result_shape.size() - size_t(k)];
    expandable = v == r || v == 1;
  }
  FT_CHECK(expandable, "shape mismatch: value tensor of ",
           "shape ", shape_str(values.sizes()), " cannot be broadcast to indexing result of shape ",
           shape_str(a.result_shape));
  FT_CHECK(values.dtype() == self.dtype(), "Index put requires the source and destination dtypes match, got ",
           dtype_torch_name(self.dtype()), " for the destination and ", dtype_torch_name(values.dtype()),
           " for the source.");
  const Tensor v = values.expand(a.result_shape);
  auto [s_st, o_st] = walk_strides(a);
  FT_DISPATCH_EVERY(self.dtype(), "index_put", [&] {
    using T = scalar_t;
    auto run = [&](auto op) {
      kernels::index_dim_loop<true>(a.result_shape, a.src.data_ptr<T>(), s_st, v.data_ptr<T>(), v.strides(),
                                    a.offsets.data_ptr<int64_t>(), o_st, kNoBound, 1, false, op, unreachable_bound);
    };
    if (accumulate) {
      run(kernels::AddOp{});
      return;
    }
    if (hardened::active()) {
      std::vector<std::pair<const void*, T>> writes;
      run(RecordWrites<T>{&writes});
      report_write_conflicts("index_put_", writes);
    }
    run(kernels::AssignOp{});
  });
}

}  // namespace index_detail

Tensor index(const Tensor& self, const List<optional<Tensor>>& indices) {
  FT_OP_SCOPE("index");
  Tensor out = index_detail::index_compute(self, indices);
  autograd::record_index(self, indices, out);
  return out;
}
Tensor Tensor::index(const std::vector<std::optional<Tensor>>& indices) const { return ft::index(*this, indices); }

Tensor index_put(const Tensor& self, const List<optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  FT_OP_SCOPE("index_put");
  Tensor out = index_detail::clone_and_write(
      self, [&](Tensor& o) { index_detail::index_put_into(o, indices, values, accumulate); });
  autograd::record_index_put(self, indices, values, accumulate, out);
  return out;
}
Tensor Tensor::index_put(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                         bool accumulate) const {
  return ft::index_put(*this, indices, values, accumulate);
}

Tensor& index_put_(Tensor& self, const List<optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  FT_OP_SCOPE("index_put_");
  std::initializer_list<const Tensor*> others = {&values};
  return index_detail::inplace_or_direct(
      self, others, [&](const Tensor& s) { return ft::index_put(s, indices, values, accumulate); },
      [&](Tensor& s) { index_detail::index_put_into(s, indices, values, accumulate); },
      /*check_overlap=*/false);  // 1.13 warns only
}
Tensor& Tensor::index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                           bool accumulate) {
  return ft::index_put_(*this, indices, values, accumulate);
}

}  // namespace ft
