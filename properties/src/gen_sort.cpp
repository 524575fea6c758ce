// Custom case generators for the sorting family (engine/include/ft/ops/sort.def).
// Values are tie-heavy on purpose (a few distinct values, NaN and +-inf among
// them for floats) so that tie order and NaN placement are compared, and
// some rows are long enough (> 16) for std::sort's introsort and (>= 64)
// for topk's partial_sort path, where the order of equal values differs from
// a stable order (NOTE [ Sorting ties ] in ft/ops/sort.h). Sequences for
// searchsorted/bucketize are sorted ascending (NaN last) along their last
// dim, or come with a sorter that sorts them. ~5% of cases are invalid: dims
// or k out of range, bad side strings, mismatched shapes.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

int64_t st_numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t v : s) n *= v;
  return n;
}

// Mostly a few distinct values (ties), sometimes the ordinary value mix.
rc::Gen<double> tie_value(DType dt) {
  const double inf = std::numeric_limits<double>::infinity();
  if (dt == DType::Bool) return value_of(dt);
  if (is_floating(dt))
    return gen::weightedOneOf<double>({{6, gen::elementOf(std::vector<double>{-1.0, 0.0, 0.5, 2.0})},
                                       {1, gen::elementOf(std::vector<double>{std::nan(""), inf, -inf, -0.0})},
                                       {3, value_of(dt)}});
  return gen::weightedOneOf<double>({{6, gen::map(gen::inRange(-2, 3), [](int x) { return double(x); })},
                                     {3, value_of(dt)}});
}

// A shape for a one-dim op: rank 0-4 as usual, or (30% of cases) rank 1-2
// with a long dim so the library algorithms leave their small-input paths.
std::vector<int64_t> sort_shape() {
  if (*gen::inRange(0, 10) < 3) {
    std::vector<int64_t> s{*gen::inRange<int64_t>(17, 150)};
    if (*gen::inRange(0, 2) == 0) s.insert(s.begin() + *gen::inRange(0, 2), *gen::inRange<int64_t>(1, 4));
    return s;
  }
  return *shape_of_rank(*gen::inRange(0, 5));
}

int64_t wrapped(int64_t dim, int64_t rank) {
  const int64_t span = std::max<int64_t>(rank, 1);
  return std::clamp<int64_t>(dim < 0 ? dim + span : dim, 0, std::max<int64_t>(rank - 1, 0));
}

// sort / argsort / msort: dim, descending, stable.
CaseSpec gen_sort(int, DType dt) {
  CaseSpec c;
  auto shape = sort_shape();
  c.inputs.push_back(tensor_with(shape, dt, true, tie_value(dt)));
  c.dim = shape.size() >= 2 && *gen::inRange(0, 2) == 0 ? -1 : pick_dim(int64_t(shape.size()));
  c.flag = *gen::inRange(0, 2) == 0;
  c.keepdim = *gen::inRange(0, 2) == 0;
  return c;
}

// topk: k in [0, n] (out of range on an invalid roll), largest, sorted.
CaseSpec gen_topk(int, DType dt) {
  CaseSpec c = gen_sort(0, dt);
  const auto& shape = c.inputs[0].shape;
  const int64_t n = shape.empty() ? 1 : shape[size_t(wrapped(c.dim, int64_t(shape.size())))];
  // small k next to a long row takes the partial_sort path (k * 64 <= n)
  c.n = *gen::inRange(0, 3) == 0 ? std::min<int64_t>(n, *gen::inRange<int64_t>(0, 3)) : *gen::inRange<int64_t>(0, n + 1);
  if (invalid_roll()) c.n = *gen::element<int64_t>(n + 1, -1);
  return c;
}

// kthvalue: k in [1, n] (0 or n + 1 on an invalid roll), keepdim.
CaseSpec gen_kthvalue(int, DType dt) {
  CaseSpec c = gen_sort(0, dt);
  const auto& shape = c.inputs[0].shape;
  const int64_t n = shape.empty() ? 1 : shape[size_t(wrapped(c.dim, int64_t(shape.size())))];
  c.n = *gen::inRange<int64_t>(1, std::max<int64_t>(n, 1) + 1);
  if (invalid_roll()) c.n = *gen::element<int64_t>(n + 1, 0);
  return c;
}

// A contiguous sequence of `shape` whose rows (last dim) ascend, NaN last.
TensorSpec sorted_rows(const std::vector<int64_t>& shape, DType dt) {
  TensorSpec t = tensor_with(shape, dt, false, tie_value(dt));
  const int64_t row = shape.empty() ? 1 : shape.back();
  for (int64_t r = 0; row > 0 && r < st_numel(shape) / row; ++r)
    std::sort(t.values.begin() + r * row, t.values.begin() + (r + 1) * row, [](double a, double b) {
      return (!std::isnan(a) && std::isnan(b)) || a < b;
    });
  return t;
}

// The sorter of an unsorted sequence: per row, the stable ascending order.
TensorSpec sorter_of(const TensorSpec& seq) {
  TensorSpec s;
  s.shape = seq.shape;
  s.dtype = DType::Int64;
  const int64_t row = seq.shape.back();
  s.values.assign(seq.values.size(), 0);
  for (int64_t r = 0; row > 0 && r < st_numel(seq.shape) / row; ++r) {
    std::vector<int64_t> p(static_cast<size_t>(row));
    std::iota(p.begin(), p.end(), int64_t(0));
    const double* v = seq.values.data() + r * row;
    std::stable_sort(p.begin(), p.end(), [v](int64_t a, int64_t b) {
      return (!std::isnan(v[a]) && std::isnan(v[b])) || v[a] < v[b];
    });
    for (int64_t j = 0; j < row; ++j) s.values[size_t(r * row + j)] = double(p[size_t(j)]);
  }
  return s;
}

// searchsorted: a 1-D sequence, or one whose leading dims match the values';
// sometimes an unsorted sequence with its sorter; side / right / out_int32.
CaseSpec search_case(DType dt, bool scalar) {
  CaseSpec c;
  std::vector<int64_t> vshape = scalar ? std::vector<int64_t>{} : *shape_of_rank(*gen::inRange(1, 4));
  std::vector<int64_t> bshape{*gen::inRange<int64_t>(0, 9)};
  if (!scalar && *gen::inRange(0, 3) == 0) {
    bshape = vshape;
    bshape.back() = *gen::inRange<int64_t>(0, 9);
  }
  if (invalid_roll()) bshape = *gen::element(std::vector<int64_t>{}, std::vector<int64_t>{2, 3});
  const bool with_sorter = !bshape.empty() && *gen::inRange(0, 4) == 0;
  TensorSpec seq = with_sorter ? tensor_with(bshape, dt, false, tie_value(dt)) : sorted_rows(bshape, dt);
  c.inputs.push_back(seq);
  if (scalar) {
    c.scalar = *gen::inRange(0, 3) == 0 ? gen_scalar() : Scalar(double(*gen::inRange(-4, 9)) / 2.0);
    if (!is_floating(dt) && *gen::inRange(0, 2) == 0) c.scalar = Scalar(int64_t(*gen::inRange(-3, 4)));
  } else {
    const DType vdt = maybe_other_dtype(dt);
    c.inputs.push_back(tensor_with(vshape, vdt, true, tie_value(vdt)));
  }
  if (with_sorter) {
    c.inputs.push_back(sorter_of(seq));
    c.n = 1;
  }
  c.flag = *gen::inRange(0, 2) == 0;     // right
  c.keepdim = *gen::inRange(0, 3) == 0;  // out_int32
  c.str = *gen::element<std::string>("", "", "left", "right");
  if (c.str == "left") c.flag = false;   // side and right must agree...
  if (invalid_roll()) c.str = *gen::element<std::string>("middle", "left");  // ...except here
  if (c.str == "left" && invalid_roll()) c.flag = true;
  return c;
}
CaseSpec gen_searchsorted(int, DType dt) { return search_case(dt, false); }
CaseSpec gen_searchsorted_scalar(int, DType dt) { return search_case(dt, true); }

// bucketize: any input, 1-D sorted boundaries (2-D on an invalid roll).
CaseSpec bucket_case(DType dt, bool scalar) {
  CaseSpec c;
  std::vector<int64_t> bshape{*gen::inRange<int64_t>(0, 9)};
  if (invalid_roll()) bshape = {2, 3};
  if (scalar) {
    c.inputs.push_back(sorted_rows(bshape, dt));
    c.scalar = *gen::inRange(0, 3) == 0 ? gen_scalar() : Scalar(double(*gen::inRange(-4, 9)) / 2.0);
  } else {
    c.inputs.push_back(tensor_with(*shape_of_rank(*gen::inRange(0, 4)), dt, true, tie_value(dt)));
    c.inputs.push_back(sorted_rows(bshape, maybe_other_dtype(dt)));  // drawn in its own dtype
  }
  c.flag = *gen::inRange(0, 2) == 0;
  c.keepdim = *gen::inRange(0, 3) == 0;
  return c;
}
CaseSpec gen_bucketize(int, DType dt) { return bucket_case(dt, false); }
CaseSpec gen_bucketize_scalar(int, DType dt) { return bucket_case(dt, true); }

// unique: tie-heavy input of any shape; sorted, return_inverse, return_counts.
CaseSpec gen_unique(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(tensor_with(*shape_of_rank(*gen::inRange(0, 4)), dt, true, tie_value(dt)));
  c.flag = *gen::inRange(0, 2) == 0;
  c.keepdim = *gen::inRange(0, 2) == 0;
  c.n = *gen::inRange(0, 2);
  return c;
}

// unique_consecutive: runs of equal values (NaN runs too).
CaseSpec gen_unique_consecutive(int, DType dt) {
  CaseSpec c;
  auto shape = *shape_of_rank(*gen::inRange(0, 4));
  TensorSpec t = tensor_with(shape, dt, false, tie_value(dt));
  for (size_t i = 1; i < t.values.size(); ++i)
    if (*gen::inRange(0, 2) == 0) t.values[i] = t.values[i - 1];
  c.inputs.push_back(t);
  c.keepdim = *gen::inRange(0, 2) == 0;
  c.n = *gen::inRange(0, 2);
  return c;
}

// unique(dim=) / unique_consecutive(dim=): few distinct values in short
// slices, so equal slices are common. unique_dim gets no NaN: with NaN its
// lexicographic comparator is no strict weak order, and std::sort may then
// read outside the range (in libtorch as well).
CaseSpec gen_unique_slices(bool consecutive, DType dt) {
  CaseSpec c;
  auto shape = *shape_of_rank(invalid_roll() ? 0 : *gen::inRange(1, 4));
  for (auto& s : shape) s = std::min<int64_t>(s, 3);
  if (!shape.empty() && *gen::inRange(0, 2) == 0) shape[size_t(*gen::inRange<size_t>(0, shape.size()))] = *gen::inRange<int64_t>(5, 12);
  auto values = is_floating(dt) ? gen::elementOf(std::vector<double>{-1.0, 0.0, 0.5, -0.0})
                                : gen::map(gen::inRange(0, 2), [](int v) { return double(v); });
  TensorSpec t = tensor_with(shape, dt, true, consecutive ? tie_value(dt) : values);
  c.inputs.push_back(t);
  c.dim = pick_dim(int64_t(shape.size()));
  c.flag = *gen::inRange(0, 2) == 0;
  c.keepdim = *gen::inRange(0, 2) == 0;
  c.n = *gen::inRange(0, 2);
  return c;
}
CaseSpec gen_unique_dim(int, DType dt) { return gen_unique_slices(false, dt); }
CaseSpec gen_unique_consecutive_dim(int, DType dt) { return gen_unique_slices(true, dt); }

}  // namespace

void register_sort_generators(GenRegistry& r) {
  for (const char* id : {"sort", "sort_method", "sort_values_out", "sort_stable", "sort_stable_method",
                         "sort_values_stable_out", "argsort", "argsort_method", "argsort_stable", "msort",
                         "msort_method", "msort_out"})
    r.add(id, gen_sort);
  for (const char* id : {"topk", "topk_method", "topk_out"}) r.add(id, gen_topk);
  for (const char* id : {"kthvalue", "kthvalue_method", "kthvalue_out"}) r.add(id, gen_kthvalue);
  for (const char* id : {"searchsorted", "searchsorted_out"}) r.add(id, gen_searchsorted);
  r.add("searchsorted_scalar", gen_searchsorted_scalar);
  for (const char* id : {"bucketize", "bucketize_out"}) r.add(id, gen_bucketize);
  r.add("bucketize_scalar", gen_bucketize_scalar);
  r.add("unique2", gen_unique);
  r.add("unique_consecutive", gen_unique_consecutive);
  r.add("unique_dim", gen_unique_dim);
  r.add("unique_consecutive_dim", gen_unique_consecutive_dim);
}

}  // namespace ft::props
