// Building blocks for case generators (used by generators.cpp and by the
// per-family custom generators in gen_<family>.cpp). Every function here that
// draws values must run inside rc::gen::exec (it uses `*gen` picks).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ft/props/case.h"

namespace ft::props {

rc::Gen<int64_t> dim_size();                              // 0 sometimes, else 1..5
rc::Gen<std::vector<int64_t>> shape_of_rank(int rank);
rc::Gen<double> value_of(DType dt);                       // ordinary + special values
rc::Gen<double> float_value(DType dt);
rc::Gen<double> int_value(DType dt);
rc::Gen<double> small_value(DType dt);                   // finite, 2 decimals in [-10, 10] ([-5, 5] ints)
TensorSpec tensor_of(const std::vector<int64_t>& shape, DType dt, bool allow_layouts);
TensorSpec tensor_with(const std::vector<int64_t>& shape, DType dt, bool allow_layouts, const rc::Gen<double>& values);
DType maybe_other_dtype(DType dt);                        // 15%: another dtype (promotion cases)
std::vector<int64_t> broadcast_operand(const std::vector<int64_t>& out);
bool invalid_roll();                                      // true in ~5% of draws
bool invalid_roll(int percent);                           // true in `percent`% of draws (any size)
bool one_in(int n);                                       // true in 1 of n draws, at any generation size
// A dim for a tensor of `rank` dims, in range (either sign), or out of range
// on an invalid roll. A 0-dim tensor accepts 0 and -1 where wrap_scalar holds.
int64_t pick_dim(int64_t rank);
Scalar gen_alpha();
Scalar gen_scalar();

// Custom generators: build the whole CaseSpec for one op-table entry whose
// kind is Custom (op and dtype are filled in by the caller).
using CustomGen = CaseSpec (*)(int op, DType dt);
CustomGen find_custom_gen(const std::string& op_id);     // null when none

struct GenRegistry {
  std::unordered_map<std::string, CustomGen> by_id;
  void add(const std::string& op_id, CustomGen g) { by_id[op_id] = g; }
};
// One registration function per family (properties/src/gen_<family>.cpp).
void register_unary_generators(GenRegistry& r);
void register_binary_generators(GenRegistry& r);
void register_reduce_generators(GenRegistry& r);
void register_shape_generators(GenRegistry& r);
void register_nn_generators(GenRegistry& r);
void register_index_generators(GenRegistry& r);
void register_linalg_generators(GenRegistry& r);

// The linear-algebra family's contraction length (len) and magnitude (amax)
// for the Matmul comparator (reduction_scale in runner.cpp): the fan-in of
// each op (bmm's k, addmm's k, addbmm's batch*k, einsum's summed labels) and
// alpha * |operands| + beta * |self|. False for ops of other families.
bool linalg_fan_in(const OpInfo& op, const EngineCall& call, const Tensor& out, const Tensor* grad,
                   double (*abs_max)(const Tensor&), double& len, double& amax);
void register_norm_generators(GenRegistry& r);
void register_loss_generators(GenRegistry& r);
void register_sort_generators(GenRegistry& r);
void register_conv_extra_generators(GenRegistry& r);
void register_creation_generators(GenRegistry& r);

// Helpers of the nn family's generators (gen_nn.cpp), shared with conv_extra:
// append one list to a packed int-list slot (NOTE [ Packed int lists ] in
// ft/ops/nn.h); one value or the per-dim values at random; whether a dilated
// pooling window of one dim has no tap inside the input (such cases make
// libtorch 1.13 write out of bounds, so they are not generated).
void nn_pack(std::vector<int64_t>& packed, const std::vector<int64_t>& list);
std::vector<int64_t> nn_list(const std::vector<int64_t>& per_dim);
bool has_empty_window(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode);

}  // namespace ft::props
