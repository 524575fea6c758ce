// Custom case generators for the creation family (engine/include/ft/ops/creation.def).
// Creation ops take no tensor input (the _like forms take their source): a
// case is its parameters. dtype= is the case's dtype most of the time and
// None otherwise (PyTorch's inference is compared too). Ranges are drawn so
// that some are long enough (>= 2 vectors of 8) for libtorch's vectorized
// path (NOTE [ Range roundings ] in src/ops/creation_range.cpp) and stay
// under its 32768-element parallel grain. ~5% of cases are invalid:
// negative sizes, n, rows or steps; zero or wrong-sign arange steps;
// infinite bounds.
#include <cmath>
#include <limits>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

// dtype=: the case's dtype (80%) or None.
std::optional<DType> dtype_or_none(DType dt) {
  if (*gen::inRange(0, 5) == 0) return std::nullopt;
  return dt;
}

// A size list of rank 0-3; one negative dim on an invalid roll.
std::vector<int64_t> creation_size() {
  std::vector<int64_t> s = *shape_of_rank(*gen::inRange(0, 4));
  if (invalid_roll()) {
    if (s.empty()) s.push_back(0);
    s[size_t(*gen::inRange<size_t>(0, s.size()))] = *gen::inRange<int64_t>(-3, 0);
  }
  return s;
}

// A fill value of any kind that every dtype can hold: bools, small ints, and
// for floating dtypes fractions and the special values.
Scalar fill_value(DType dt) {
  const int p = *gen::inRange(0, 10);
  if (p < 2) return Scalar(bool(*gen::inRange(0, 2)));
  if (p < 5 || dt == DType::Bool) return Scalar(int64_t(*gen::inRange(-5, 6)));
  if (is_floating(dt) && p == 9) {
    const double inf = std::numeric_limits<double>::infinity();
    return Scalar(*gen::element(std::nan(""), inf, -inf, -0.0));
  }
  return Scalar(double(*gen::inRange(-400, 401)) / 8.0);
}

CaseSpec gen_factory(int op, DType dt) {
  CaseSpec c;
  c.ints = creation_size();
  c.dtype_arg = dtype_or_none(dt);
  // With dtype= None full infers the dtype from the fill value, so any kind
  // goes; full.out fills out's dtype (dt).
  const bool inferred = !c.dtype_arg && op_table()[op].variant != OpVariant::Out;
  c.scalar = fill_value(inferred ? DType::Float64 : dt);
  return c;
}

CaseSpec gen_like(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(tensor_of(*shape_of_rank(*gen::inRange(0, 4)), dt, true));
  c.dtype_arg = std::nullopt;
  if (*gen::inRange(0, 3) == 0)
    c.dtype_arg = *gen::element(DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool);
  c.scalar = fill_value(c.dtype_arg.value_or(dt));
  return c;
}

// A bound: an int or a fraction with two decimals.
Scalar bound(bool ints, int64_t lo, int64_t hi) {
  if (ints) return Scalar(*gen::inRange<int64_t>(lo, hi + 1));
  return Scalar(double(*gen::inRange<int64_t>(lo * 100, hi * 100 + 1)) / 100.0);
}

// arange(start, end, step): a count of 0..150 steps from start, the end
// sometimes a fraction of a step past the last element.
CaseSpec gen_arange(int op, DType dt) {
  CaseSpec c;
  c.dtype_arg = dtype_or_none(dt);
  const bool ints = *gen::inRange(0, 2) == 0;
  // Integer dtypes truncate each scalar (a fractional step below 1 becomes 0).
  const DType eff = op_table()[op].variant == OpVariant::Out ? dt : c.dtype_arg.value_or(ints ? DType::Int64 : DType::Float32);
  const bool int_dtype = !is_floating(eff);
  double step = ints || int_dtype ? double(*gen::inRange(1, 6))
                                  : *gen::element(0.1, 0.25, 0.3, 0.5, 1.0, 1.7, 2.5, 3.3);
  if (*gen::inRange(0, 3) == 0) step = -step;
  c.scalar = bound(ints, -20, 20);
  const int64_t count = *gen::inRange<int64_t>(0, 3) == 0 ? *gen::inRange<int64_t>(16, 151) : *gen::inRange<int64_t>(0, 16);
  double end = c.scalar.to_double() + step * double(count);
  if (!ints) end = std::round(end * 100 + *gen::inRange(-30, 31)) / 100.0;
  c.scalar2 = ints ? Scalar(int64_t(end)) : Scalar(end);
  c.alpha = ints ? Scalar(int64_t(step)) : Scalar(step);
  if (invalid_roll()) {
    switch (*gen::inRange(0, 3)) {
      case 0: c.alpha = ints ? Scalar(int64_t(0)) : Scalar(0.0); break;
      case 1: c.alpha = ints ? Scalar(int64_t(-c.alpha.to_int())) : Scalar(-c.alpha.to_double()); break;
      default: c.scalar2 = Scalar(std::numeric_limits<double>::infinity()); break;
    }
  }
  // arange(end): from 0 with step 1 (a negative end is the invalid case).
  if (std::string_view(op_table()[op].id).find("start") == std::string_view::npos) {
    c.scalar2 = bound(ints, -2, 150);
    if (c.scalar2.to_double() < 0 && !invalid_roll(60)) c.scalar2 = ints ? Scalar(int64_t(7)) : Scalar(7.5);
  }
  return c;
}

// linspace / logspace: bounds, steps 0..300 (negative on an invalid roll),
// logspace's base as C.dim / 4.
CaseSpec gen_space(int op, DType dt) {
  CaseSpec c;
  c.dtype_arg = dtype_or_none(dt);
  const bool log = std::string_view(op_table()[op].id).substr(0, 3) == "log";
  const bool ints = *gen::inRange(0, 3) == 0;
  const int64_t mag = log ? 3 : *gen::element<int64_t>(2, 20, 1000);
  c.scalar = bound(ints, -mag, mag);
  c.scalar2 = bound(ints, -mag, mag);
  c.n = *gen::inRange(0, 3) == 0 ? *gen::inRange<int64_t>(16, 301) : *gen::inRange<int64_t>(0, 16);
  if (invalid_roll()) c.n = *gen::inRange<int64_t>(-3, 0);
  // A negative base raises to fractional powers (NaN): floating dtypes only,
  // as converting NaN to an integer is undefined behaviour in C++.
  const bool floating =
      is_floating(op_table()[op].variant == OpVariant::Out ? dt : c.dtype_arg.value_or(DType::Float32));
  c.dim = floating ? *gen::element<int64_t>(2, 4, 8, 10, 40, -8) : *gen::element<int64_t>(2, 4, 8, 10, 40);
  return c;
}

// eye (C.n, C.dim) and tril/triu_indices (C.n rows, C.dim cols, C.ints[0]
// offset): sizes 0..6, one of them negative on an invalid roll.
CaseSpec gen_two_sizes(int, DType dt) {
  CaseSpec c;
  c.dtype_arg = dtype_or_none(dt);
  c.n = *gen::inRange<int64_t>(0, 7);
  c.dim = *gen::inRange<int64_t>(0, 7);
  c.ints = {*gen::inRange<int64_t>(-7, 8)};
  if (invalid_roll()) (*gen::inRange(0, 2) ? c.n : c.dim) = *gen::inRange<int64_t>(-3, 0);
  return c;
}

}  // namespace

void register_creation_generators(GenRegistry& r) {
  for (const char* id : {"empty", "zeros", "zeros_out", "ones", "ones_out", "full", "full_out"}) r.add(id, gen_factory);
  for (const char* id : {"empty_like", "zeros_like", "ones_like", "full_like"}) r.add(id, gen_like);
  for (const char* id : {"arange", "arange_start_step", "arange_out", "arange_start_out"}) r.add(id, gen_arange);
  for (const char* id : {"linspace", "linspace_out", "logspace", "logspace_out"}) r.add(id, gen_space);
  for (const char* id : {"eye", "eye_m", "eye_out", "eye_m_out", "tril_indices", "triu_indices"}) r.add(id, gen_two_sizes);
}

}  // namespace ft::props
