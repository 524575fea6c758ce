// Custom case generators for the reduce op family (entries of kind Custom in
// engine/include/ft/ops/reduce.def): one dim (max.dim, argmax, prod.dim_int,
// all.dim, scans, softmax), dim lists with a correction (var/std), and dim
// lists with a norm order (linalg_vector_norm, norm). Each draws rank 0-4
// inputs in every layout; ~5% of cases carry an out-of-range dim.
#include <cmath>
#include <limits>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

// One input of rank 0-4 and one dim in range (sometimes out of range), keepdim.
CaseSpec one_dim_case(DType dt) {
  CaseSpec c;
  int rank = *gen::inRange(0, 5);
  auto shape = *shape_of_rank(rank);
  c.inputs.push_back(tensor_of(shape, dt, true));
  int64_t span = std::max(rank, 1);  // a 0-dim tensor accepts dim 0 and -1
  c.dim = *gen::inRange<int64_t>(-span, span);
  if (invalid_roll()) c.dim = *gen::element(int64_t(span), int64_t(-span - 1));
  c.keepdim = *gen::inRange(0, 2) == 0;
  return c;
}

// ... plus dtype= sometimes (floating only: float->int casts of NaN/inf are
// not meaningful to compare).
CaseSpec one_dim_dtype_case(DType dt) {
  CaseSpec c = one_dim_case(dt);
  if (*gen::inRange(0, 100) < 20) c.dtype_arg = *gen::element(DType::Float32, DType::Float64);
  return c;
}

// A dim list like OpKind::Reduce: each dim in or out, positive or negative.
CaseSpec dim_list_case(DType dt) {
  CaseSpec c;
  int rank = *gen::inRange(0, 5);
  auto shape = *shape_of_rank(rank);
  c.inputs.push_back(tensor_of(shape, dt, true));
  for (int d = 0; d < rank; ++d)
    if (*gen::inRange(0, 2) == 0) c.dims.push_back(*gen::inRange(0, 2) == 0 ? d : d - rank);
  if (rank == 0 && *gen::inRange(0, 2) == 0) c.dims.push_back(*gen::element<int64_t>(0, -1));
  if (invalid_roll()) {
    if (*gen::inRange(0, 2) == 0) c.dims.push_back(rank + *gen::inRange(0, 2));
    else if (!c.dims.empty()) c.dims.push_back(c.dims[0]);
  }
  c.keepdim = *gen::inRange(0, 2) == 0;
  return c;
}

CaseSpec gen_one_dim(int, DType dt) { return one_dim_case(dt); }
CaseSpec gen_one_dim_dtype(int, DType dt) { return one_dim_dtype_case(dt); }

// var/std: correction in {0, 1, 2, -1, 3} (1 most often; n <= correction gives NaN/inf).
CaseSpec gen_var(int, DType dt) {
  CaseSpec c = dim_list_case(dt);
  c.n = *gen::element<int64_t>(1, 1, 0, 2, -1, 3);
  return c;
}

// Vector norms: ord in {0, 1, 2, inf, -inf}.
CaseSpec gen_norm(int, DType dt) {
  CaseSpec c = dim_list_case(dt);
  const double inf = std::numeric_limits<double>::infinity();
  c.scalar = Scalar(*gen::element(0.0, 1.0, 2.0, inf, -inf));
  return c;
}

}  // namespace

void register_reduce_generators(GenRegistry& r) {
  for (const char* id : {"max_dim", "max_dim_method", "min_dim", "min_dim_method", "argmax", "argmax_method",
                         "argmin", "argmin_method", "aminmax_dim", "prod_dim_out", "all_dim", "all_dim_method",
                         "any_dim", "any_dim_method", "cumsum_out", "cumprod_out", "cummax", "cummax_method",
                         "cummin", "cummin_method", "median_dim", "median_dim_method"})
    r.add(id, gen_one_dim);
  for (const char* id : {"prod_dim", "prod_dim_method", "cumsum", "cumsum_method", "cumprod", "cumprod_method",
                         "softmax", "softmax_method", "log_softmax", "log_softmax_method"})
    r.add(id, gen_one_dim_dtype);
  for (const char* id : {"var", "var_method", "var_out", "std", "std_method", "std_out", "var_mean", "std_mean"}) r.add(id, gen_var);
  for (const char* id : {"linalg_vector_norm", "linalg_vector_norm_out", "norm", "norm_method"}) r.add(id, gen_norm);
}

}  // namespace ft::props
