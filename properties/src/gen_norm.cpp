// Case generators for the normalization and embedding entries
// (engine/include/ft/ops/norm.def). Values are small and finite
// (small_value): how NaN/inf propagate through a mean and a variance depends
// on the summation algorithm, not on a behaviour. A fifth of the inputs are
// constant (variance exactly 0, where eps alone keeps rstd finite). ~5% of
// cases break one rule for error parity.
#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

// eps = 0 only for constant (zero) inputs, where it exercises the var = 0
// rules (batch_norm's invstd of 0, layer_norm's inf); on other inputs it
// only makes groups of two nearly equal values ill-conditioned (rstd and its
// derivatives blow up), which measures finite differences, not the op.
double pick_eps(const TensorSpec& input) {
  bool zeros = !input.values.empty();
  for (double v : input.values) zeros = zeros && v == 0;
  if (zeros && *gen::inRange(0, 2) == 0) return 0.0;
  return *gen::element(1e-5, 1e-3, 0.1);
}

// NOTE [ Degenerate normalization groups ]
// A group of one element, or of equal nonzero elements, has the exact
// output bias (x - mean = 0), but both sides compute it as x * rstd - mean *
// rstd with rstd up to 1/sqrt(eps) = 316: the result is rounding noise whose
// sign depends on whether a kernel fused that multiply-add, not a behaviour.
// So every group has at least two elements (shapes below), values are
// drawn from 2e6 steps (two equal draws in a group are rare), and the
// constant inputs (a fifth, to exercise var = 0 where eps alone keeps rstd
// finite) are zeros, for which x - mean is exactly 0 on both sides.
TensorSpec norm_input(const std::vector<int64_t>& shape, DType dt) {
  if (*gen::inRange(0, 5) == 0) return tensor_with(shape, dt, true, gen::just(0.0));  // constant
  return tensor_with(shape, dt, true, gen::map(gen::inRange(-1000000, 1000001), [](int v) { return v / 1e5; }));
}

// Optional affine parameters: none, weight, or weight and bias.
// NOTE [ batch_norm's strided weight ]
// libtorch 1.13's batch_norm backward reads a non-contiguous weight as if it
// were contiguous (weight = w[::2] of [-10, -10, -9.99, -10] gives
// grad_input from -10 for both channels; with w.clone() -9.99): a libtorch
// bug, not a behaviour. batch_norm's affine parameters are therefore drawn
// contiguous (allow_layouts false); the engine's result for a strided weight
// is pinned by nn_norm_test instead.
void affine(CaseSpec& c, const std::vector<int64_t>& shape, DType dt, bool allow_layouts = true) {
  int k = *gen::inRange(0, 3);
  DType pdt = invalid_roll() ? *gen::element(DType::Float32, DType::Float64) : dt;
  for (int i = 0; i < k; ++i) c.inputs.push_back(tensor_with(shape, pdt, allow_layouts, small_value(pdt)));
}

CaseSpec gen_layer_norm(int, DType dt) {
  CaseSpec c;
  int rank = *gen::inRange(1, 5);
  auto shape = *shape_of_rank(rank);
  int k = *gen::inRange(1, rank + 1);
  if (shape.back() == 1) shape.back() = 2;  // rows of at least two elements (NOTE above)
  std::vector<int64_t> ns(shape.end() - k, shape.end());
  std::vector<int64_t> wshape = ns;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 3)) {
      case 0: ns[0] += 1; break;   // does not match the input's trailing dims
      case 1: ns.clear(); break;   // empty normalized_shape
      default: wshape.push_back(2); break;  // weight shape
    }
  }
  c.inputs.push_back(norm_input(shape, dt));
  affine(c, wshape, dt);
  c.ints = ns;
  c.scalar = pick_eps(c.inputs[0]);
  return c;
}

CaseSpec gen_group_norm(int, DType dt) {
  CaseSpec c;
  int64_t G = *gen::inRange<int64_t>(1, 4), D = *gen::inRange<int64_t>(1, 4);
  int64_t N = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {8, gen::inRange<int64_t>(1, 4)}});
  std::vector<int64_t> shape{N, G * D};
  int spatial = *gen::inRange(0, 3);
  for (int i = 0; i < spatial; ++i) shape.push_back(*gen::inRange<int64_t>(1, 5));
  if (D == 1 && (spatial == 0 || shape.back() == 1)) shape.push_back(2);  // groups of two or more
  c.n = G;
  std::vector<int64_t> wshape{G * D};
  if (invalid_roll()) {
    switch (*gen::inRange(0, 3)) {
      case 0: c.n = G * D + 1; break;  // channels not divisible
      case 1: wshape[0] += 1; break;   // weight size
      default: shape = {N * G * D}; break;  // rank 1
    }
  }
  c.inputs.push_back(norm_input(shape, dt));
  affine(c, wshape, dt);
  c.scalar = pick_eps(c.inputs[0]);
  return c;
}

// (N, C, *spatial) with the batch statistics drawn from at least one element.
std::vector<int64_t> batch_shape() {
  std::vector<int64_t> shape{*gen::inRange<int64_t>(1, 5), *gen::inRange<int64_t>(1, 5)};
  int spatial = *gen::inRange(0, 3);
  for (int i = 0; i < spatial; ++i) shape.push_back(*gen::inRange<int64_t>(1, 4));
  int64_t per_channel = shape[0];
  for (size_t i = 2; i < shape.size(); ++i) per_channel *= shape[i];
  if (per_channel == 1) shape[0] = 2;  // two or more elements per channel
  return shape;
}

CaseSpec gen_batch_norm(int, DType dt) {
  CaseSpec c;
  auto shape = batch_shape();
  std::vector<int64_t> cshape{shape[1]};
  c.flag = *gen::inRange(0, 3) != 0;  // training
  if (invalid_roll()) {
    switch (*gen::inRange(0, 2)) {
      case 0: cshape[0] += 1; break;  // running stats size
      default: shape = {shape[0]}; break;  // rank 1
    }
  }
  c.inputs.push_back(norm_input(shape, dt));
  c.inputs.push_back(tensor_with(cshape, dt, false, small_value(dt)));                      // running_mean
  c.inputs.push_back(tensor_with(cshape, dt, false, gen::map(gen::inRange(1, 500), [](int x) {
                                   return x / 100.0;
                                 })));                                                       // running_var > 0
  affine(c, {shape.size() > 1 ? shape[1] : 1}, dt, false);
  c.scalar = *gen::element(0.1, 0.0, 1.0, 0.37);  // momentum
  c.scalar2 = pick_eps(c.inputs[0]);
  return c;
}

CaseSpec gen_batch_norm_nostats(int, DType dt) {
  CaseSpec c;
  auto shape = batch_shape();
  if (invalid_roll()) shape = {shape[0]};
  c.inputs.push_back(norm_input(shape, dt));
  affine(c, {shape.size() > 1 ? shape[1] : 1}, dt, false);
  c.scalar = 0.1;
  c.scalar2 = pick_eps(c.inputs[0]);
  return c;
}

CaseSpec gen_embedding(int, DType dt) {
  CaseSpec c;
  int64_t V = *gen::inRange<int64_t>(1, 7), D = *gen::inRange<int64_t>(1, 5);
  std::vector<int64_t> wshape{V, D};
  auto ishape = *shape_of_rank(*gen::inRange(0, 4));
  DType idt = *gen::element(DType::Int64, DType::Int64, DType::Int32);
  int64_t hi = V;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 4)) {
      case 0: hi = V + 2; break;          // an index out of range (when drawn)
      case 1: idt = DType::Float32; break;  // float indices
      case 2: wshape = {V}; break;        // 1-D weight
      default: wshape.push_back(2); break;  // 3-D weight
    }
  }
  c.inputs.push_back(tensor_with(wshape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(ishape, idt, true, gen::map(gen::inRange<int64_t>(0, hi), [](int64_t v) {
                                   return double(v);
                                 })));
  c.n = *gen::inRange(0, 2) == 0 ? -1 : *gen::inRange<int64_t>(0, V);  // padding_idx
  c.flag = *gen::inRange(0, 3) == 0;                                      // scale_grad_by_freq
  return c;
}

}  // namespace

void register_norm_generators(GenRegistry& r) {
  r.add("layer_norm", gen_layer_norm);
  r.add("group_norm", gen_group_norm);
  r.add("batch_norm", gen_batch_norm);
  r.add("batch_norm_nostats", gen_batch_norm_nostats);
  r.add("embedding", gen_embedding);
}

}  // namespace ft::props
