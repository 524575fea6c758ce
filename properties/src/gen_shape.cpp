// Custom case generators for the shape op family (entries of kind Custom in
// engine/include/ft/ops/shape.def). Inputs are rank 0-4 in every layout
// (tril_/triu_ excepted, see gen_tri); parameters are drawn in range, with
// ~5% of cases deliberately invalid (dims out of range, mismatched shapes,
// negative or inconsistent sizes) for error parity.
#include <algorithm>
#include <numeric>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

int64_t wrap(int64_t d, int64_t rank) { return d < 0 ? d + std::max<int64_t>(rank, 1) : d; }

// ---- joining: cat / stack / hstack / vstack -------------------------------------------------
enum class Join { Cat, Stack, HStack, VStack };

CaseSpec join_case(DType dt, Join how) {
  CaseSpec c;
  int rank = how == Join::Cat ? *gen::weightedOneOf<int>({{1, gen::just(0)}, {19, gen::inRange(1, 5)}})
                              : *gen::inRange(0, 5);
  auto base = *shape_of_rank(rank);
  int k = *gen::inRange(1, 5);
  if (invalid_roll()) k = 0;  // an empty list
  c.dim = how == Join::Stack ? *gen::inRange<int64_t>(-rank - 1, rank + 1) : pick_dim(rank);
  if (how == Join::Stack && invalid_roll()) c.dim = rank + 1;
  // The dim whose size may differ between inputs.
  int64_t vary = -1;
  if (how == Join::Cat && rank > 0 && wrap(c.dim, rank) < rank && wrap(c.dim, rank) >= 0) vary = wrap(c.dim, rank);
  if (how == Join::HStack && rank > 0) vary = rank == 1 ? 0 : 1;
  if (how == Join::VStack && rank >= 2) vary = 0;
  for (int i = 0; i < k; ++i) {
    auto shape = base;
    if (vary >= 0) shape[size_t(vary)] = *dim_size();
    if (how == Join::Cat && *gen::inRange(0, 10) == 0) shape = {0};  // legacy skipped input
    if (invalid_roll() && !shape.empty()) shape[size_t(*gen::inRange<int>(0, int(shape.size())))] += 1;
    if (invalid_roll()) shape.push_back(2);
    c.inputs.push_back(tensor_of(shape, i == 0 ? dt : maybe_other_dtype(dt), true));
  }
  return c;
}

CaseSpec gen_cat(int, DType dt) { return join_case(dt, Join::Cat); }
CaseSpec gen_stack(int, DType dt) { return join_case(dt, Join::Stack); }
CaseSpec gen_hstack(int, DType dt) { return join_case(dt, Join::HStack); }
CaseSpec gen_vstack(int, DType dt) { return join_case(dt, Join::VStack); }

// ---- splitting ------------------------------------------------------------------------------
// One input (rank 1-4, rarely 0) and a dim.
CaseSpec one_input_dim(DType dt, int min_rank) {
  CaseSpec c;
  int rank = *gen::weightedOneOf<int>({{1, gen::just(0)}, {19, gen::inRange(min_rank, 5)}});
  c.inputs.push_back(tensor_of(*shape_of_rank(rank), dt, true));
  c.dim = pick_dim(rank);
  return c;
}

int64_t size_at(const CaseSpec& c, int64_t d) {
  const auto& s = c.inputs[0].shape;
  int64_t w = wrap(d, int64_t(s.size()));
  return w >= 0 && w < int64_t(s.size()) ? s[size_t(w)] : 3;
}

CaseSpec gen_split(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 1);
  int64_t n = size_at(c, c.dim);
  c.n = n == 0 ? *gen::element<int64_t>(0, 1, 2) : *gen::inRange<int64_t>(1, n + 2);
  if (invalid_roll()) c.n = *gen::element<int64_t>(-1, 0);
  return c;
}

CaseSpec gen_split_sizes(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 1);
  int64_t left = size_at(c, c.dim);
  while (left > 0) {
    int64_t piece = *gen::inRange<int64_t>(1, left + 1);  // >= 1: inRange may always draw its minimum
    c.ints.push_back(piece);
    left -= piece;
  }
  if (*gen::inRange(0, 3) == 0) c.ints.insert(c.ints.begin() + long(*gen::inRange<size_t>(0, c.ints.size() + 1)), 0);
  if (invalid_roll()) {
    if (c.ints.empty() || *gen::inRange(0, 2) == 0) c.ints.push_back(1);  // sums past the size
    else { c.ints[0] -= 1; c.ints.push_back(1); if (c.ints[0] >= 0) c.ints[0] = -1; }
  }
  return c;
}

CaseSpec gen_chunk(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 1);
  c.n = *gen::inRange<int64_t>(1, 7);
  if (invalid_roll()) c.n = *gen::element<int64_t>(0, -2);
  return c;
}

CaseSpec gen_unbind(int, DType dt) { return one_input_dim(dt, 1); }


// ---- movement copies ----------------------------------------------------------------------------
// One input of rank 0-max_rank (any layout unless told) and nothing else.
CaseSpec one_input(DType dt, int max_rank, bool layouts = true) {
  CaseSpec c;
  c.inputs.push_back(tensor_of(*shape_of_rank(*gen::inRange(0, max_rank + 1)), dt, layouts));
  return c;
}
int64_t rank_of(const CaseSpec& c) { return int64_t(c.inputs[0].shape.size()); }

// A list of distinct dims (each either sign), possibly empty.
std::vector<int64_t> distinct_dims(int64_t rank, int64_t max_count) {
  std::vector<int64_t> all(static_cast<size_t>(rank));
  std::iota(all.begin(), all.end(), int64_t(0));
  std::vector<int64_t> picked;
  for (int64_t d : all)
    if (int64_t(picked.size()) < max_count && *gen::inRange(0, 2) == 0) picked.push_back(d);
  // shuffle by random swaps; flip signs at random
  for (size_t i = 1; i < picked.size(); ++i) std::swap(picked[i], picked[*gen::inRange<size_t>(0, i + 1)]);
  for (auto& d : picked)
    if (*gen::inRange(0, 2) == 0) d -= rank;
  return picked;
}

CaseSpec gen_flip(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  int64_t r = rank_of(c);
  c.dims = distinct_dims(r, r);
  if (r == 0 && *gen::inRange(0, 2) == 0) c.dims = {*gen::element<int64_t>(0, -1)};
  if (invalid_roll()) {
    if (!c.dims.empty() && *gen::inRange(0, 2) == 0) c.dims.push_back(c.dims[0]);  // duplicate
    else c.dims.push_back(std::max<int64_t>(r, 1));                                  // out of range
  }
  return c;
}

CaseSpec gen_roll(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  int64_t r = rank_of(c);
  auto shift = [] { return *gen::inRange<int64_t>(-7, 8); };
  if (r == 0 || *gen::inRange(0, 4) == 0) {
    c.ints = {shift()};  // flattened roll
  } else {
    int k = *gen::inRange(1, 4);
    for (int i = 0; i < k; ++i) {  // a dim may repeat: its shifts add up
      c.dims.push_back(*gen::inRange<int64_t>(-r, r));
      c.ints.push_back(shift());
    }
  }
  if (invalid_roll()) {
    int what = *gen::inRange(0, 3);
    if (what == 0) c.ints.clear();
    else if (what == 1) c.ints.push_back(1);
    else { c.dims.push_back(std::max<int64_t>(r, 1)); c.ints.push_back(1); }
  }
  return c;
}

CaseSpec gen_repeat(int, DType dt) {
  CaseSpec c = one_input(dt, 3);
  int64_t r = rank_of(c);
  int64_t len = r + *gen::inRange<int64_t>(0, 2);
  for (int64_t i = 0; i < len; ++i) c.ints.push_back(*gen::inRange<int64_t>(0, 4));
  if (invalid_roll()) {
    if (!c.ints.empty() && *gen::inRange(0, 2) == 0) c.ints.pop_back();  // fewer than the rank
    else c.ints.push_back(-1);
  }
  return c;
}

CaseSpec gen_tile(int, DType dt) {
  CaseSpec c = one_input(dt, 3);
  int64_t len = *gen::inRange<int64_t>(0, rank_of(c) + 2);
  for (int64_t i = 0; i < len; ++i) c.ints.push_back(*gen::inRange<int64_t>(0, 4));
  if (invalid_roll()) c.ints.push_back(-2);
  return c;
}

// repeat_interleave: dim given (flag) most of the time, else the input is flattened.
CaseSpec ri_common(DType dt) {
  CaseSpec c = one_input(dt, 3);
  c.flag = *gen::inRange(0, 10) < 7;
  c.dim = pick_dim(rank_of(c));
  return c;
}

CaseSpec gen_repeat_interleave(int, DType dt) {
  CaseSpec c = ri_common(dt);
  c.n = *gen::inRange<int64_t>(0, 4);
  if (invalid_roll()) c.n = -1;
  return c;
}

CaseSpec gen_repeat_interleave_tensor(int, DType dt) {
  CaseSpec c = ri_common(dt);
  const auto& s = c.inputs[0].shape;
  int64_t n = 1;
  if (!c.flag) for (int64_t v : s) n *= v;
  else n = size_at(c, c.dim);
  std::vector<int64_t> shape;
  int form = *gen::inRange(0, 4);  // 0-dim, [1], or one count per slice
  if (form == 1) shape = {1};
  else if (form >= 2) shape = {n};
  if (invalid_roll()) shape = *gen::element(std::vector<int64_t>{n + 1}, std::vector<int64_t>{1, 1});
  DType rdt = *gen::inRange(0, 5) == 0 ? DType::Int32 : DType::Int64;
  auto counts = gen::map(gen::inRange(invalid_roll() ? -1 : 0, 4), [](int v) { return double(v); });
  c.inputs.push_back(tensor_with(shape, rdt, false, counts));
  return c;
}

CaseSpec gen_narrow_copy(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 1);
  int64_t n = size_at(c, c.dim);
  int64_t start = *gen::inRange<int64_t>(-n, n + 1);
  int64_t ws = start < 0 ? start + n : start;
  int64_t length = *gen::inRange<int64_t>(0, n - ws + 1);
  if (invalid_roll()) length = n - ws + 1;
  c.ints = {start, length};
  return c;
}

// ---- views ------------------------------------------------------------------------------------
CaseSpec gen_expand_as(int, DType dt) {
  CaseSpec c;
  auto target = *shape_of_rank(*gen::inRange(0, 5));
  auto self = broadcast_operand(target);
  if (invalid_roll() && !self.empty()) self[0] += 2;
  c.inputs.push_back(tensor_of(self, dt, true));
  c.inputs.push_back(tensor_of(target, maybe_other_dtype(dt), true));
  return c;
}

CaseSpec gen_movedim(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  int64_t r = rank_of(c);
  c.dims = distinct_dims(r, r);
  std::vector<int64_t> dst = distinct_dims(r, r);
  while (dst.size() > c.dims.size()) dst.pop_back();
  // destination needs as many dims as source: top up with the unused ones
  for (int64_t d = 0; d < r && dst.size() < c.dims.size(); ++d)
    if (std::find(dst.begin(), dst.end(), d) == dst.end() && std::find(dst.begin(), dst.end(), d - r) == dst.end())
      dst.push_back(d);
  c.ints = dst;
  if (r == 0 && *gen::inRange(0, 2) == 0) { c.dims = {0}; c.ints = {-1}; }
  if (invalid_roll()) {
    int what = *gen::inRange(0, 3);
    if (what == 0) c.ints.push_back(0);                                  // lengths differ
    else if (what == 1 && !c.dims.empty()) { c.dims.push_back(c.dims[0]); c.ints.push_back(r + 5); }
    else { c.dims.push_back(std::max<int64_t>(r, 1)); c.ints.push_back(0); }
  }
  return c;
}

// Two dims (movedim.int, swapaxes, swapdims): C.dim and C.n.
CaseSpec gen_two_dims(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  c.dim = pick_dim(rank_of(c));
  c.n = pick_dim(rank_of(c));
  return c;
}

// t / t_: rank 0-2 (3 on an invalid roll: t() refuses it).
CaseSpec gen_matrix_t(int, DType dt) {
  if (!invalid_roll()) return one_input(dt, 2);
  CaseSpec c;
  c.inputs.push_back(tensor_of(*shape_of_rank(3), dt, true));
  return c;
}

CaseSpec gen_diagonal(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 2);
  int64_t r = rank_of(c);
  auto ds = distinct_dims(r, 2);
  if (ds.size() < 2 || *gen::inRange(0, 10) == 0) ds = {pick_dim(r), pick_dim(r)};  // may be identical
  c.dims = ds;
  c.n = *gen::inRange<int64_t>(-6, 7);
  return c;
}

CaseSpec gen_unfold(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  int64_t r = rank_of(c);
  c.dim = pick_dim(r);
  int64_t max_size = r == 0 ? 1 : size_at(c, c.dim);
  int64_t size = *gen::inRange<int64_t>(0, max_size + 1);
  int64_t step = *gen::inRange<int64_t>(1, 4);
  if (invalid_roll()) {
    if (*gen::inRange(0, 2) == 0) size = max_size + 1;
    else step = 0;
  }
  c.ints = {size, step};
  return c;
}

CaseSpec gen_squeeze_dim(int, DType dt) {
  CaseSpec c;
  auto shape = *shape_of_rank(*gen::inRange(0, 5));
  c.dim = pick_dim(int64_t(shape.size()));
  int64_t w = wrap(c.dim, int64_t(shape.size()));
  if (w >= 0 && w < int64_t(shape.size()) && *gen::inRange(0, 2) == 0) shape[size_t(w)] = 1;
  c.inputs.push_back(tensor_of(shape, dt, true));
  return c;
}

CaseSpec gen_unsqueeze(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  int64_t r = rank_of(c);
  c.dim = *gen::inRange<int64_t>(-r - 1, r + 1);
  if (invalid_roll()) c.dim = r + 1;
  return c;
}

CaseSpec gen_flatten(int, DType dt) {
  CaseSpec c = one_input(dt, 4);
  c.dim = pick_dim(rank_of(c));
  c.n = pick_dim(rank_of(c));
  return c;
}

CaseSpec gen_unflatten(int, DType dt) {
  CaseSpec c = one_input_dim(dt, 1);
  int64_t n = size_at(c, c.dim);
  // n = a * b with a a divisor of n (0 splits as 0 * b).
  std::vector<int64_t> divs;
  for (int64_t a = 1; a <= std::max<int64_t>(n, 1); ++a)
    if (n == 0 || n % a == 0) divs.push_back(a);
  int64_t a = *gen::elementOf(divs);
  int64_t b = n == 0 ? 0 : n / a;
  c.ints = *gen::inRange(0, 2) == 0 ? std::vector<int64_t>{a, b} : std::vector<int64_t>{b, a};
  if (*gen::inRange(0, 4) == 0) c.ints.insert(c.ints.begin() + long(*gen::inRange(0, 3)), 1);
  if (n > 0 && *gen::inRange(0, 3) == 0) c.ints[0] = -1;
  if (invalid_roll()) {
    if (*gen::inRange(0, 2) == 0) c.ints.back() += 1;
    else c.ints.clear();
  }
  return c;
}

// ---- diagonals and triangles --------------------------------------------------------------------
CaseSpec gen_diag(int, DType dt) {
  CaseSpec c;
  int rank = *gen::weightedOneOf<int>({{1, gen::element(0, 3)}, {19, gen::inRange(1, 3)}});
  c.inputs.push_back(tensor_of(*shape_of_rank(rank), dt, true));
  c.n = *gen::inRange<int64_t>(-6, 7);
  return c;
}

CaseSpec gen_diag_embed(int, DType dt) {
  CaseSpec c;
  int rank = *gen::weightedOneOf<int>({{1, gen::just(0)}, {19, gen::inRange(1, 4)}});
  c.inputs.push_back(tensor_of(*shape_of_rank(rank), dt, true));
  auto ds = distinct_dims(rank + 1, 2);
  if (ds.size() < 2 || *gen::inRange(0, 10) == 0) ds = {pick_dim(rank + 1), pick_dim(rank + 1)};
  c.dims = ds;
  c.n = *gen::inRange<int64_t>(-3, 4);
  return c;
}

// tril/triu: the in-place forms get no Expanded layout: libtorch 1.13's
// in-place kernel writes through stride-0 batch dims without an overlap check
// (it indexes past the storage for rank > 3), which is undefined, not a behaviour.
CaseSpec tri_case(DType dt, bool inplace) {
  CaseSpec c;
  int rank = *gen::weightedOneOf<int>({{1, gen::element(0, 1)}, {19, gen::inRange(2, 5)}});
  auto shape = *shape_of_rank(rank);
  TensorSpec t = tensor_of(shape, dt, true);
  if (inplace && t.layout == Layout::Expanded) t = tensor_of(shape, dt, false);
  c.inputs.push_back(t);
  c.n = *gen::inRange<int64_t>(-5, 6);
  return c;
}
CaseSpec gen_tri(int, DType dt) { return tri_case(dt, false); }
CaseSpec gen_tri_inplace(int, DType dt) { return tri_case(dt, true); }

}  // namespace

void register_shape_generators(GenRegistry& r) {
  for (const char* id : {"cat", "cat_out"}) r.add(id, gen_cat);
  for (const char* id : {"stack", "stack_out"}) r.add(id, gen_stack);
  for (const char* id : {"hstack", "hstack_out"}) r.add(id, gen_hstack);
  for (const char* id : {"vstack", "vstack_out"}) r.add(id, gen_vstack);
  for (const char* id : {"split", "split_method"}) r.add(id, gen_split);
  for (const char* id : {"split_sizes", "split_sizes_method", "split_with_sizes", "split_with_sizes_method"})
    r.add(id, gen_split_sizes);
  for (const char* id : {"chunk", "chunk_method"}) r.add(id, gen_chunk);
  for (const char* id : {"unbind", "unbind_method"}) r.add(id, gen_unbind);
  for (const char* id : {"flip", "flip_method", "flip_out"}) r.add(id, gen_flip);
  for (const char* id : {"roll", "roll_method", "roll_out"}) r.add(id, gen_roll);
  r.add("repeat_method", gen_repeat);
  for (const char* id : {"tile", "tile_method"}) r.add(id, gen_tile);
  for (const char* id : {"repeat_interleave", "repeat_interleave_method"}) r.add(id, gen_repeat_interleave);
  for (const char* id : {"repeat_interleave_tensor", "repeat_interleave_tensor_method"})
    r.add(id, gen_repeat_interleave_tensor);
  for (const char* id : {"narrow_copy", "narrow_copy_method", "narrow_copy_out"}) r.add(id, gen_narrow_copy);
  r.add("expand_as_method", gen_expand_as);
  for (const char* id : {"movedim", "movedim_method", "moveaxis"}) r.add(id, gen_movedim);
  for (const char* id : {"movedim_int", "movedim_int_method", "swapaxes", "swapaxes_method", "swapdims", "swapdims_method"})
    r.add(id, gen_two_dims);
  for (const char* id : {"diagonal", "diagonal_method"}) r.add(id, gen_diagonal);
  r.add("unfold_method", gen_unfold);
  for (const char* id : {"squeeze_dim", "squeeze_dim_method", "squeeze_dim_inplace"}) r.add(id, gen_squeeze_dim);
  for (const char* id : {"unsqueeze", "unsqueeze_method", "unsqueeze_inplace"}) r.add(id, gen_unsqueeze);
  for (const char* id : {"flatten", "flatten_method"}) r.add(id, gen_flatten);
  for (const char* id : {"unflatten", "unflatten_method"}) r.add(id, gen_unflatten);
  for (const char* id : {"diag", "diag_method", "diag_out"}) r.add(id, gen_diag);
  for (const char* id : {"diag_embed", "diag_embed_method", "diag_embed_out"}) r.add(id, gen_diag_embed);
  for (const char* id : {"tril", "tril_method", "tril_out", "triu", "triu_method", "triu_out"}) r.add(id, gen_tri);
  for (const char* id : {"tril_inplace", "triu_inplace"}) r.add(id, gen_tri_inplace);
  for (const char* id : {"transpose", "transpose_method", "transpose_inplace", "swapaxes_inplace", "swapdims_inplace"})
    r.add(id, gen_two_dims);
  for (const char* id : {"t", "t_method", "t_inplace"}) r.add(id, gen_matrix_t);
}

}  // namespace ft::props
