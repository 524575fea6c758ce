// Movement copies: flip, roll, repeat, tile, repeat_interleave, narrow_copy.
// The first five are one gather each (NOTE [ Gather by per-dim maps ] in
// kernels/cpu/shape_gather.h), dtype-agnostic, into a fresh contiguous
// result; out= forms go through ops::write_out. Argument checks follow
// ATen 1.13 (TensorTransformations.cpp, TensorShape.cpp, Repeat.cpp).
#include <algorithm>

#include "op_helpers.h"
#include "shape_internal.h"

namespace ft {
namespace {

using shape_detail::gather_by_maps;
using shape_detail::iota_map;

std::vector<std::vector<int64_t>> identity_maps(IntArrayRef sizes) {
  std::vector<std::vector<int64_t>> maps;
  for (int64_t s : sizes) maps.push_back(iota_map(s));
  return maps;
}

DimVector flip_dims(const Tensor& self, IntArrayRef dims) {
  DimVector wrapped;
  if (dims.empty()) return wrapped;
  uint64_t mask = ops::reduce_dim_mask(dims, self.dim(), "flip");
  for (int64_t d = 0; d < self.dim(); ++d)
    if (mask & (uint64_t(1) << d)) wrapped.push_back(d);
  return wrapped;
}

Tensor flip_compute(const Tensor& self, const DimVector& dims) {
  auto maps = identity_maps(self.sizes());
  for (int64_t d : dims) std::reverse(maps[size_t(d)].begin(), maps[size_t(d)].end());
  return gather_by_maps(self, self.sizes(), maps);
}

// roll's checks (roll_common / roll_cpu): shifts required; with no dims one
// shift rolls the flattened tensor; otherwise one shift per dim. An empty
// tensor is returned as a copy before any dim is looked at.
struct RollPlan {
  bool flat = false;
  std::vector<int64_t> shift_of_dim;  // net shift per dim (rolls on one dim add up)
};

RollPlan plan_roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  FT_CHECK(!shifts.empty(), "`shifts` required");
  RollPlan p;
  if (dims.empty() && shifts.size() == 1) {
    p.flat = true;
    p.shift_of_dim = {shifts[0]};
    return p;
  }
  FT_CHECK(shifts.size() == dims.size(), "shifts and dimensions must align. shifts: ", shifts.size(),
           ", dims:", dims.size());
  p.shift_of_dim.assign(size_t(self.dim()), 0);
  if (self.numel() == 0) return p;
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = maybe_wrap_dim(dims[i], self.dim(), /*wrap_scalar=*/false);
    p.shift_of_dim[size_t(d)] += shifts[i];
  }
  return p;
}

// out[i] = in[(i - shift) mod n] along each rolled dim.
std::vector<int64_t> roll_map(int64_t n, int64_t shift) {
  std::vector<int64_t> m(static_cast<size_t>(n));
  int64_t s = n == 0 ? 0 : ((shift % n) + n) % n;
  for (int64_t i = 0; i < n; ++i) m[size_t(i)] = (i - s + n) % n;
  return m;
}

Tensor roll_compute(const Tensor& self, const RollPlan& p) {
  autograd::NoGradGuard ng;
  if (self.numel() == 0) return clone(self);
  if (p.flat) {
    Tensor flat = self.contiguous().view({self.numel()});
    return gather_by_maps(flat, flat.sizes(), {roll_map(self.numel(), p.shift_of_dim[0])}).view(self.sizes());
  }
  auto maps = identity_maps(self.sizes());
  for (size_t d = 0; d < maps.size(); ++d)
    if (p.shift_of_dim[d] != 0) maps[d] = roll_map(self.sizes()[d], p.shift_of_dim[d]);
  return gather_by_maps(self, self.sizes(), maps);
}

// repeat: the input padded with leading 1s, tiled repeats[d] times per dim.
Tensor repeat_compute(const Tensor& self, IntArrayRef repeats) {
  FT_CHECK(int64_t(repeats.size()) >= self.dim(),
           "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  size_t lead = repeats.size() - size_t(self.dim());
  DimVector padded(lead, 1), target;
  for (int64_t s : self.sizes()) padded.push_back(s);
  for (size_t d = 0; d < repeats.size(); ++d) target.push_back(padded[d] * repeats[d]);
  for (int64_t t : target)
    FT_CHECK(t >= 0, "Trying to create tensor with negative dimension ", t, ": ", shape_str(target));
  autograd::NoGradGuard ng;
  Tensor x = self.view(padded);
  std::vector<std::vector<int64_t>> maps(target.size());
  for (size_t d = 0; d < target.size(); ++d) {
    maps[d].resize(size_t(target[d]));
    for (int64_t i = 0; i < target[d]; ++i) maps[d][size_t(i)] = i % padded[d];
  }
  return gather_by_maps(x, target, maps);
}

// repeat_interleave: slice i of src along d copied counts[i] times in a row.
Tensor repeat_interleave_compute(const Tensor& src, int64_t d, const std::vector<int64_t>& counts) {
  DimVector out_sizes(src.sizes());
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  out_sizes[size_t(d)] = total;
  auto maps = identity_maps(out_sizes);
  std::vector<int64_t>& m = maps[size_t(d)];
  m.clear();
  for (size_t i = 0; i < counts.size(); ++i) m.insert(m.end(), size_t(counts[i]), int64_t(i));
  return gather_by_maps(src, out_sizes, maps);
}

Tensor repeat_interleave_with_counts(const Tensor& self, std::vector<int64_t> counts_in, bool broadcast,
                                     std::optional<int64_t> dim, std::optional<int64_t> output_size) {
  bool flattened = !dim.has_value();
  Tensor src = flattened ? self.reshape({self.numel()}) : self;
  int64_t d = flattened ? 0 : maybe_wrap_dim(*dim, src.dim(), /*wrap_scalar=*/false);
  int64_t n = src.sizes()[size_t(d)];
  std::vector<int64_t> counts = broadcast ? std::vector<int64_t>(size_t(n), counts_in[0]) : counts_in;
  FT_CHECK(broadcast || int64_t(counts.size()) == n, "repeats must have the same size as input along dim");
  for (int64_t c : counts) FT_CHECK(c >= 0, "repeats can not be negative");
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  FT_CHECK(!output_size || *output_size == total, "allocated size does not match required size");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = repeat_interleave_compute(src, d, counts);
  }
  autograd::record_repeat_interleave(self, counts, d, flattened, out);
  return out;
}

// narrow_copy's checks (narrow_copy_dense_cpu_out): a start equal to the size
// is valid (an empty slice at the end); a negative start wraps like a dim.
Tensor narrow_copy_compute(const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  FT_CHECK(self.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  int64_t d = maybe_wrap_dim(dim, self.dim());
  int64_t n = self.sizes()[size_t(d)];
  if (start != n && start < 0) start = maybe_wrap_dim(start, n);
  FT_CHECK(length >= 0 && start <= n - length, "start (", start, ") + length (", length,
           ") exceeds dimension size (", n, ").");
  autograd::NoGradGuard ng;
  return clone(self.narrow(d, start, length)).contiguous();
}

}  // namespace

Tensor flip(const Tensor& self, IntArrayRef dims) {
  FT_OP_SCOPE("flip");
  DimVector d = flip_dims(self, dims);
  Tensor out = flip_compute(self, d);
  autograd::record_flip(self, d, out);
  return out;
}
Tensor& flip_out(Tensor& out, const Tensor& self, IntArrayRef dims) {
  FT_OP_SCOPE("flip");
  ops::check_out_autograd("flip", {&self});
  return ops::write_out(out, flip_compute(self, flip_dims(self, dims)));
}

Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  FT_OP_SCOPE("roll");
  Tensor out = roll_compute(self, plan_roll(self, shifts, dims));
  autograd::record_roll(self, shifts.vec(), dims.vec(), out);
  return out;
}
Tensor& roll_out(Tensor& out, const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  FT_OP_SCOPE("roll");
  ops::check_out_autograd("roll", {&self});
  return ops::write_out(out, roll_compute(self, plan_roll(self, shifts, dims)));
}

Tensor repeat(const Tensor& self, IntArrayRef repeats) {
  FT_OP_SCOPE("repeat");
  Tensor out = repeat_compute(self, repeats);
  autograd::record_repeat(self, repeats.vec(), out);
  return out;
}

// tile: repeat with dims padded by leading 1s up to the input's rank (numpy.tile).
Tensor tile(const Tensor& self, IntArrayRef dims) {
  int64_t missing = self.dim() - int64_t(dims.size());
  if (missing <= 0) return repeat(self, dims);
  std::vector<int64_t> reps(size_t(missing), 1);
  reps.insert(reps.end(), dims.begin(), dims.end());
  return repeat(self, reps);
}

Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  FT_OP_SCOPE("repeat_interleave");
  return repeat_interleave_with_counts(self, {repeats}, /*broadcast=*/true, dim, output_size);
}

Tensor repeat_interleave(const Tensor& self, const Tensor& repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  FT_OP_SCOPE("repeat_interleave");
  FT_CHECK(repeats.dim() <= 1, "repeats must be 0-dim or 1-dim tensor");
  FT_CHECK(repeats.dtype() == DType::Int64 || repeats.dtype() == DType::Int32,
           "repeats has to be Long or Int tensor");
  std::vector<int64_t> counts;
  for (double v : repeats.to_double_vector()) counts.push_back(int64_t(v));
  // A 0-dim or one-element repeats applies to every slice.
  bool broadcast = repeats.numel() == 1;
  return repeat_interleave_with_counts(self, counts, broadcast, dim, output_size);
}

// True when t's elements tile one block of memory without gaps or overlap
// (any dim order): the tensors empty_like keeps the strides of.
bool dense_in_some_order(const Tensor& t) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size)
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.sizes()[size_t(d)] != 1) dims.push_back({t.strides()[size_t(d)], t.sizes()[size_t(d)]});
  std::sort(dims.begin(), dims.end());
  int64_t expected = 1;
  for (auto [stride, size] : dims) {
    if (stride != expected) return false;
    expected *= size;
  }
  return true;
}

// NOTE [ narrow_copy keeps a dense input's strides ]
// libtorch 1.13's CPU narrow_copy allocates empty_like(self) and resize_s it
// to the result shape; when the narrow keeps the whole dim the shape does not
// change, so a dense but non-contiguous input (e.g. transposed) passes its
// strides on, and the kernel then writes the data in row-major order into it.
// The observable result is the row-major copy reinterpreted with the input's
// strides; reproduced here (strict PyTorch behaviour).
Tensor narrow_copy_result_layout(const Tensor& self, const Tensor& r) {
  if (self.is_contiguous() || !r.sizes().equals(self.sizes()) || !dense_in_some_order(self) || r.numel() == 0)
    return r;
  return r.as_strided(self.sizes(), self.strides(), r.storage_offset()).detach();
}

// No derivative in PyTorch 1.13: the result carries a node that raises.
Tensor narrow_copy(const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  FT_OP_SCOPE("narrow_copy");
  Tensor out = narrow_copy_result_layout(self, narrow_copy_compute(self, dim, start, length));
  autograd::record_not_implemented(self, "narrow_copy", out);
  return out;
}
Tensor& narrow_copy_out(Tensor& out, const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  FT_OP_SCOPE("narrow_copy");
  ops::check_out_autograd("narrow_copy", {&self});
  return ops::write_out(out, narrow_copy_compute(self, dim, start, length));
}

Tensor Tensor::flip(IntArrayRef dims) const { return ft::flip(*this, dims); }
Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims) const { return ft::roll(*this, shifts, dims); }
Tensor Tensor::repeat(IntArrayRef repeats) const { return ft::repeat(*this, repeats); }
Tensor Tensor::tile(IntArrayRef dims) const { return ft::tile(*this, dims); }
Tensor Tensor::repeat_interleave(int64_t repeats, std::optional<int64_t> dim, std::optional<int64_t> output_size) const {
  return ft::repeat_interleave(*this, repeats, dim, output_size);
}
Tensor Tensor::repeat_interleave(const Tensor& repeats, std::optional<int64_t> dim,
                                 std::optional<int64_t> output_size) const {
  return ft::repeat_interleave(*this, repeats, dim, output_size);
}
Tensor Tensor::narrow_copy(int64_t dim, int64_t start, int64_t length) const {
  return ft::narrow_copy(*this, dim, start, length);
}

}  // namespace ft
