// Custom case generators for the binary op family (entries of kind Custom in
// engine/include/ft/ops/binary.def):
//  - shifts: shift amounts in [0, 31], the range where PyTorch's C++ shift
//    is defined for every integer dtype (out-of-range counts are UB in ATen);
//  - division family: integer values never hold the dtype's minimum, since
//    INT_MIN / -1 traps (SIGFPE) inside the oracle; zero divisors stay in;
//  - where: a bool condition; masked_fill: a bool mask broadcastable to self.
#include <limits>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

bool is_inplace(int op) { return op_table()[op].variant == OpVariant::Inplace; }

// Shapes of two operands that broadcast (the first equals the result for in-place).
std::pair<std::vector<int64_t>, std::vector<int64_t>> pair_shapes(int op) {
  auto out = *shape_of_rank(*gen::inRange(0, 5));
  auto sa = broadcast_operand(out), sb = broadcast_operand(out);
  if (*gen::inRange(0, 2) == 0) std::swap(sa, sb);
  if (is_inplace(op)) sa = out;
  if (invalid_roll() && !sb.empty()) sb[0] += 2;
  return {sa, sb};
}

rc::Gen<double> no_int_min(DType dt) {
  if (!is_integral(dt, false)) return value_of(dt);
  // 2^62 for int64: INT64_MAX is not a double, and -(double)INT64_MAX rounds to INT64_MIN.
  double hi = dt == DType::Int64 ? 4611686018427387904.0 : double(std::numeric_limits<int32_t>::max());
  return gen::weightedOneOf<double>({
      {18, gen::map(gen::inRange(-100, 101), [](int x) { return double(x); })},
      {1, gen::elementOf(std::vector<double>{hi, -hi, 0.0, -1.0})},
  });
}

CaseSpec divmod_case(int op, DType dt) {
  return *gen::exec([op, dt] {
    CaseSpec c;
    auto [sa, sb] = pair_shapes(op);
    c.inputs.push_back(tensor_with(sa, dt, true, no_int_min(dt)));
    if (std::string_view(op_table()[op].id).find("_scalar") != std::string_view::npos) {
      c.inputs.pop_back();
      c.inputs.push_back(tensor_with(*shape_of_rank(*gen::inRange(0, 5)), dt, true, no_int_min(dt)));
      c.scalar = gen_scalar();
      return c;
    }
    DType db = maybe_other_dtype(dt);
    c.inputs.push_back(tensor_with(sb, db, true, no_int_min(db)));
    return c;
  });
}

CaseSpec shift_case(int op, DType dt) {
  return *gen::exec([op, dt] {
    CaseSpec c;
    auto [sa, sb] = pair_shapes(op);
    c.inputs.push_back(tensor_of(sa, dt, true));
    DType db = maybe_other_dtype(dt);
    c.inputs.push_back(tensor_with(sb, db, true, gen::map(gen::inRange(0, 32), [](int x) { return double(x); })));
    return c;
  });
}

CaseSpec where_case(int op, DType dt) {
  return *gen::exec([op, dt] {
    CaseSpec c;
    auto out = *shape_of_rank(*gen::inRange(0, 5));
    auto sc = broadcast_operand(out);
    if (invalid_roll() && !sc.empty()) sc[0] += 2;
    DType cdt = invalid_roll() ? DType::Int64 : DType::Bool;  // a non-bool condition must raise
    c.inputs.push_back(tensor_of(sc, cdt, true));
    c.inputs.push_back(tensor_of(broadcast_operand(out), dt, true));
    c.inputs.push_back(tensor_of(broadcast_operand(out), maybe_other_dtype(dt), true));
    c.scalar = gen_scalar();
    // where_out writes the promoted type of the two values, not the condition's bool.
    if (op_table()[op].variant == OpVariant::Out)
      c.out_dtype = result_type(materialize(c.inputs[1]), materialize(c.inputs[2]));
    return c;
  });
}

CaseSpec masked_fill_case(int op, DType dt) {
  return *gen::exec([op, dt] {
    CaseSpec c;
    auto out = *shape_of_rank(*gen::inRange(0, 5));
    auto ss = is_inplace(op) ? out : broadcast_operand(out);
    auto sm = broadcast_operand(out);
    if (invalid_roll() && !sm.empty()) sm[0] += 2;
    c.inputs.push_back(tensor_of(ss, dt, true));
    c.inputs.push_back(tensor_of(sm, DType::Bool, true));
    c.scalar = gen_scalar();
    return c;
  });
}

}  // namespace

void register_binary_generators(GenRegistry& r) {
  for (const char* base : {"bitwise_left_shift", "bitwise_right_shift"})
    for (const char* v : {"", "_method", "_inplace", "_out"}) r.add(std::string(base) + v, shift_case);
  for (const char* base : {"div_trunc", "div_floor", "floor_divide", "remainder", "fmod"})
    for (const char* v : {"", "_method", "_inplace", "_out", "_scalar"}) r.add(std::string(base) + v, divmod_case);
  for (const char* id : {"where", "where_method", "where_out", "where_scalar"}) r.add(id, where_case);
  for (const char* id : {"masked_fill", "masked_fill_method", "masked_fill_inplace"}) r.add(id, masked_fill_case);
}

}  // namespace ft::props
