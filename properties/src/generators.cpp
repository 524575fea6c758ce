// RapidCheck generators: shapes (rank 0-4, zero-size dims), layouts, values
// (ordinary ranges plus NaN, +-inf, +-0, subnormals, large magnitudes),
// broadcast-compatible pairs, reduction dims, matmul shapes; and a few percent
// of deliberately invalid cases for error parity.
#include <cmath>
#include <limits>

#include "ft/props/gen_util.h"

namespace ft::props {

using rc::Gen;
namespace gen = rc::gen;

constexpr int kInvalidPercent = 5;

Gen<int64_t> dim_size() {
  return gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {9, gen::inRange<int64_t>(1, 6)}});
}

Gen<std::vector<int64_t>> shape_of_rank(int rank) {
  return gen::container<std::vector<int64_t>>(size_t(rank), dim_size());
}

// Small finite values: 2 decimals in [-10, 10] (floats), [-5, 5] (integers).
Gen<double> small_value(DType dt) {
  if (is_floating(dt)) return gen::map(gen::inRange(-1000, 1001), [](int x) { return x / 100.0; });
  if (dt == DType::Bool) return gen::map(gen::inRange(0, 2), [](int x) { return double(x); });
  return gen::map(gen::inRange(-5, 6), [](int x) { return double(x); });
}

Gen<double> float_value(DType dt) {
  const double big = dt == DType::Float32 ? 1e30 : 1e200;
  const double sub = dt == DType::Float32 ? 1e-40 : 1e-310;
  const double inf = std::numeric_limits<double>::infinity();
  return gen::weightedOneOf<double>({
      {17, gen::map(gen::inRange(-1000, 1001), [](int x) { return x / 100.0; })},
      {2, gen::map(gen::inRange(-100000, 100001), [](int x) { return x / 7.0; })},
      {1, gen::elementOf(std::vector<double>{std::nan(""), inf, -inf, 0.0, -0.0, sub, -sub, big, -big, 1e-30})},
  });
}

Gen<double> int_value(DType dt) {
  double lo = dt == DType::Int64 ? -9223372036854775808.0 : double(std::numeric_limits<int32_t>::min());
  double hi = dt == DType::Int64 ? 9223372036854775807.0 : double(std::numeric_limits<int32_t>::max());
  return gen::weightedOneOf<double>({
      {18, gen::map(gen::inRange(-100, 101), [](int x) { return double(x); })},
      {1, gen::elementOf(std::vector<double>{lo, hi, 0.0, -1.0})},
  });
}

Gen<double> value_of(DType dt) {
  if (is_floating(dt)) return float_value(dt);
  if (dt == DType::Bool) return gen::map(gen::inRange(0, 2), [](int x) { return double(x); });
  return int_value(dt);
}

TensorSpec tensor_of(const std::vector<int64_t>& shape, DType dt, bool allow_layouts) {
  return tensor_with(shape, dt, allow_layouts, value_of(dt));
}

TensorSpec tensor_with(const std::vector<int64_t>& shape, DType dt, bool allow_layouts, const rc::Gen<double>& values) {
  TensorSpec t;
  t.shape = shape;
  t.dtype = dt;
  if (allow_layouts) {
    int pick = *gen::inRange(0, 10);  // half contiguous, half one of the others
    if (pick >= 5) {
      static const Layout kOthers[] = {Layout::Transposed, Layout::Strided, Layout::Expanded, Layout::Offset,
                                       Layout::Offset};
      Layout l = kOthers[pick - 5];
      bool ok = (l == Layout::Transposed && shape.size() >= 2) || (l == Layout::Strided && !shape.empty()) ||
                (l == Layout::Expanded && !shape.empty() && shape[0] > 1) || l == Layout::Offset;
      if (ok) t.layout = l;
    }
  }
  t.values = *gen::container<std::vector<double>>(size_t(storage_numel(shape, t.layout)), values);
  return t;
}

// Another dtype for the second operand, sometimes (type promotion cases).
DType maybe_other_dtype(DType dt) {
  if (*gen::inRange(0, 100) >= 15) return dt;
  return *gen::element(DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool);
}

// A shape that broadcasts to `out`: leading dims dropped, some dims set to 1.
std::vector<int64_t> broadcast_operand(const std::vector<int64_t>& out) {
  size_t drop = size_t(*gen::inRange<int>(0, int(out.size()) + 1));
  if (*gen::inRange(0, 2) == 0) drop = 0;
  std::vector<int64_t> s(out.begin() + long(drop), out.end());
  for (auto& d : s)
    if (*gen::inRange(0, 4) == 0) d = 1;
  return s;
}

// RapidCheck scales inRange by the generation size (at size 0 it always
// yields the lower bound), so the roll is drawn at a fixed size: otherwise the
// small-size cases of every run would all be invalid. Invalid is the top of
// the range, so shrinking the roll toward 0 moves toward a valid case.
bool invalid_roll(int percent) { return *gen::resize(100, gen::inRange(0, 100)) >= 100 - percent; }
bool invalid_roll() { return invalid_roll(kInvalidPercent); }
bool one_in(int n) { return *gen::resize(100, gen::inRange(0, n)) == n - 1; }

int64_t pick_dim(int64_t rank) {
  int64_t span = std::max<int64_t>(rank, 1);
  int64_t d = *gen::inRange<int64_t>(-span, span);
  if (invalid_roll()) d = *gen::element(span, -span - 1);
  return d;
}

Scalar gen_alpha() {
  int p = *gen::inRange(0, 10);
  if (p < 6) return Scalar(int64_t(1));
  if (p < 9) return Scalar(int64_t(*gen::inRange(-3, 4)));
  return Scalar(*gen::inRange(-8, 9) / 4.0);
}

Scalar gen_scalar() {
  int p = *gen::inRange(0, 10);
  if (p < 5) return Scalar(int64_t(*gen::inRange(-5, 6)));
  if (p < 9) return Scalar(*gen::inRange(-20, 21) / 4.0);
  return Scalar(bool(*gen::inRange(0, 2)));
}

namespace {

CaseSpec build(int op_index, DType dt) {
  const OpInfo& op = op_table()[op_index];
  if (op.kind == OpKind::Custom) {
    CustomGen g = find_custom_gen(op.id);
    FT_CHECK(g != nullptr, "op-table entry '", op.id, "' has kind Custom but no generator is registered for it ",
             "(add one in properties/src/gen_<family>.cpp)");
    CaseSpec c = g(op_index, dt);
    c.op = op_index;
    c.dtype = dt;
    if (op.variant == OpVariant::Out) c.out_nonempty = *gen::inRange(0, 2) == 0;
    return c;
  }
  CaseSpec c;
  c.op = op_index;
  c.dtype = dt;
  switch (op.kind) {
    case OpKind::Unary:
    case OpKind::UnaryScalar:
    case OpKind::ReduceAll: {
      auto shape = *shape_of_rank(*gen::inRange(0, 5));
      c.inputs.push_back(tensor_of(shape, dt, true));
      if (op.kind == OpKind::UnaryScalar) {
        c.scalar = gen_scalar();
        if (std::string_view(op.name).substr(0, 3) == "add") c.alpha = gen_alpha();
      }
      break;
    }
    case OpKind::Binary:
    case OpKind::BinaryAlpha: {
      auto out = *shape_of_rank(*gen::inRange(0, 5));
      auto sa = op.variant == OpVariant::Inplace ? out : broadcast_operand(out);
      auto sb = broadcast_operand(out);
      if (*gen::inRange(0, 2) == 0) std::swap(sa, sb);
      if (op.variant == OpVariant::Inplace) sa = out;
      if (invalid_roll() && !sb.empty()) sb[0] = sb[0] + 2;  // may not broadcast
      c.inputs.push_back(tensor_of(sa, dt, true));
      c.inputs.push_back(tensor_of(sb, maybe_other_dtype(dt), true));
      if (op.kind == OpKind::BinaryAlpha) c.alpha = gen_alpha();
      break;
    }
    case OpKind::Reduce: {
      int rank = *gen::inRange(0, 5);
      auto shape = *shape_of_rank(rank);
      c.inputs.push_back(tensor_of(shape, dt, true));
      for (int d = 0; d < rank; ++d)
        if (*gen::inRange(0, 2) == 0) c.dims.push_back(*gen::inRange(0, 2) == 0 ? d : d - rank);
      if (rank == 0 && *gen::inRange(0, 2) == 0) c.dims.push_back(*gen::element<int64_t>(0, -1));
      if (invalid_roll()) {
        if (*gen::inRange(0, 2) == 0) c.dims.push_back(rank + *gen::inRange(0, 2));   // out of range
        else if (!c.dims.empty()) c.dims.push_back(c.dims[0]);                      // duplicate
      }
      c.keepdim = *gen::inRange(0, 2) == 0;
      break;
    }
    case OpKind::MM: {
      int64_t n = *gen::inRange<int64_t>(0, 7), k = *gen::inRange<int64_t>(0, 7), m = *gen::inRange<int64_t>(0, 7);
      int64_t k2 = invalid_roll() ? k + 1 : k;
      c.inputs.push_back(tensor_of({n, k}, dt, true));
      c.inputs.push_back(tensor_of({k2, m}, invalid_roll() ? maybe_other_dtype(dt) : dt, true));
      break;
    }
    case OpKind::Ternary: {
      auto out = *shape_of_rank(*gen::inRange(0, 5));
      for (int k = 0; k < 3; ++k) {
        auto sh = op.variant == OpVariant::Inplace && k == 0 ? out : broadcast_operand(out);
        if (k == 2 && invalid_roll() && !sh.empty()) sh[0] += 2;
        c.inputs.push_back(tensor_of(sh, k == 0 ? dt : maybe_other_dtype(dt), true));
      }
      c.scalar = gen_scalar();
      break;
    }
    case OpKind::Custom:
      break;
    case OpKind::Matmul: {
      int ra = *gen::inRange(1, 5), rb = *gen::inRange(1, 5);
      int64_t n = *gen::inRange<int64_t>(1, 6), k = *gen::inRange<int64_t>(0, 6), m = *gen::inRange<int64_t>(1, 6);
      auto batch = *shape_of_rank(std::max(ra, rb) - 2 > 0 ? std::max(ra, rb) - 2 : 0);
      auto make = [&](int r, bool left) {
        std::vector<int64_t> s;
        if (r == 1) return std::vector<int64_t>{k};
        if (r > 2) {
          std::vector<int64_t> b(batch.end() - (r - 2), batch.end());
          for (auto& d : b)
            if (*gen::inRange(0, 4) == 0) d = 1;
          s = b;
        }
        if (left) { s.push_back(n); s.push_back(k); } else { s.push_back(k); s.push_back(m); }
        return s;
      };
      auto sa = make(ra, true), sb = make(rb, false);
      if (invalid_roll()) sb[sb.size() == 1 ? 0 : sb.size() - 2] += 1;
      c.inputs.push_back(tensor_of(sa, dt, true));
      c.inputs.push_back(tensor_of(sb, dt, true));
      break;
    }
  }
  if (op.variant == OpVariant::Out) c.out_nonempty = *gen::inRange(0, 2) == 0;
  return c;
}

}  // namespace

rc::Gen<CaseSpec> gen_case(int op, DType dtype) {
  return gen::exec([op, dtype] { return build(op, dtype); });
}

}  // namespace ft::props
