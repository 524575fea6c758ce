// Case generators for the loss entries (engine/include/ft/ops/loss.def).
// Every case draws a reduction (0 none, 1 mean, 2 sum). Values stay where
// each loss is defined: probabilities in [0, 1] for binary_cross_entropy
// (0 and 1 included, where the log clamp at -100 acts), class indices in
// range or equal to ignore_index, targets of +-1 for the ranking losses.
// ~5% of cases break one rule for error parity.
#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

rc::Gen<double> unit_value() {  // [0, 1] in steps of 0.01
  return gen::map(gen::inRange(0, 101), [](int v) { return v / 100.0; });
}
rc::Gen<double> sign_value() {  // +-1
  return gen::map(gen::inRange(0, 2), [](int v) { return v == 0 ? -1.0 : 1.0; });
}

std::vector<int64_t> any_shape() { return *shape_of_rank(*gen::inRange(0, 4)); }

// Input and target of one shape (elementwise losses).
CaseSpec pair_case(DType dt, const rc::Gen<double>& xv, const rc::Gen<double>& tv) {
  CaseSpec c;
  auto shape = any_shape();
  auto tshape = shape;
  // Shapes that do not broadcast. (Broadcasting ones are left out: for an
  // input smaller than the target, ATen's backward kernels scale the mean
  // by the input's numel and resize their outputs, so that libtorch's own
  // gradients disagree with finite differences; torch.nn.functional
  // broadcasts both first, and so does ft::nn::functional.)
  if (invalid_roll()) {
    shape = {3};
    tshape = {2};
  }
  c.inputs.push_back(tensor_with(shape, dt, true, xv));
  c.inputs.push_back(tensor_with(tshape, dt, true, tv));
  c.n = *gen::inRange(0, 3);
  return c;
}

CaseSpec gen_regression(int, DType dt) { return pair_case(dt, small_value(dt), small_value(dt)); }

CaseSpec gen_smooth_l1(int, DType dt) {
  CaseSpec c = pair_case(dt, small_value(dt), small_value(dt));
  c.scalar = invalid_roll() ? -1.0 : *gen::element(0.0, 0.5, 1.0, 2.0);
  return c;
}

CaseSpec gen_huber(int, DType dt) {
  CaseSpec c = pair_case(dt, small_value(dt), small_value(dt));
  c.scalar = invalid_roll() ? 0.0 : *gen::element(0.5, 1.0, 2.0);
  return c;
}

// A weight of the input's shape or of its trailing dims (broadcast).
void maybe_weight(CaseSpec& c, DType dt, const std::vector<int64_t>& shape, bool always = false) {
  if (!always && *gen::inRange(0, 2) == 0) return;
  std::vector<int64_t> w(shape.end() - *gen::inRange<int64_t>(0, int64_t(shape.size()) + 1), shape.end());
  c.inputs.push_back(tensor_with(w, dt, true, unit_value()));
}

CaseSpec gen_bce(int, DType dt) {
  CaseSpec c;
  auto shape = any_shape();
  rc::Gen<double> xv = unit_value();
  if (invalid_roll()) xv = gen::element(0.5, 1.5, -0.25);  // input outside [0, 1]
  c.inputs.push_back(tensor_with(shape, dt, true, xv));
  c.inputs.push_back(tensor_with(shape, dt, true, unit_value()));
  maybe_weight(c, dt, shape);
  c.n = *gen::inRange(0, 3);
  return c;
}

CaseSpec gen_bce_logits(int, DType dt) {
  CaseSpec c = pair_case(dt, small_value(dt), unit_value());
  const auto shape = c.inputs[0].shape;
  c.flag = *gen::inRange(0, 2) == 0;  // weight given
  if (c.flag) maybe_weight(c, dt, shape, true);
  if (*gen::inRange(0, 2) == 0) {       // pos_weight over the last dim
    std::vector<int64_t> pw;
    if (!shape.empty()) pw.push_back(shape.back());
    c.inputs.push_back(tensor_with(pw, dt, true, gen::map(gen::inRange(0, 301), [](int v) { return v / 100.0; })));
  }
  return c;
}

CaseSpec gen_kl_div(int, DType dt) {
  const bool log_target = *gen::inRange(0, 2) == 0;
  CaseSpec c = pair_case(dt, small_value(dt), log_target ? small_value(dt) : gen::map(gen::inRange(0, 201), [](int v) {
                                                return v / 100.0;
                                              }));
  c.flag = log_target;
  return c;
}

// (N, C) or (C) scores, int64 targets in [0, C) or ignore_index, optional (C)
// weight. max_rank > 2: (N, C, d1, ...) scores of rank min_rank..max_rank
// with (N, d1, ...) targets (spatial sizes 0..3).
CaseSpec class_case(DType dt, int max_rank = 2, int min_rank = 1) {
  CaseSpec c;
  const int64_t C = *gen::inRange<int64_t>(1, 6);
  const int rank = max_rank <= 2 ? (*gen::inRange(0, 4) != 0 ? 2 : 1) : *gen::inRange(min_rank, max_rank + 1);
  const bool batched = rank >= 2;
  const int64_t N = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {8, gen::inRange<int64_t>(1, 6)}});
  std::vector<int64_t> xshape = batched ? std::vector<int64_t>{N, C} : std::vector<int64_t>{C};
  std::vector<int64_t> tshape = batched ? std::vector<int64_t>{N} : std::vector<int64_t>{};
  for (int d = 2; d < rank; ++d) {
    const int64_t s = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {8, gen::inRange<int64_t>(1, 4)}});
    xshape.push_back(s);
    tshape.push_back(s);
  }
  c.dim = *gen::element<int64_t>(-100, -100, 0, 1);  // ignore_index
  int64_t hi = C;
  DType tdt = DType::Int64;
  std::vector<int64_t> wshape{C};
  if (invalid_roll()) {
    switch (*gen::inRange(0, rank >= 3 ? 5 : 4)) {
      case 0: hi = C + 2; c.dim = -100; break;  // a target out of range (when drawn)
      case 1: tdt = DType::Int32; break;
      case 2: wshape[0] += 1; break;
      case 3: tshape.push_back(2); break;       // a target of one more dim
      default: tshape.back() += 1; break;       // spatial sizes that differ
    }
  }
  c.inputs.push_back(tensor_with(xshape, dt, true, small_value(dt)));
  // Targets drawn from [-1, hi): -1 stands for ignore_index.
  const int64_t ignore = c.dim;
  c.inputs.push_back(tensor_with(tshape, tdt, true, gen::map(gen::inRange<int64_t>(-1, hi), [ignore](int64_t v) {
                                   return double(v < 0 ? ignore : v);
                                 })));
  if (*gen::inRange(0, 2) == 0) c.inputs.push_back(tensor_with(wshape, dt, true, unit_value()));
  c.n = *gen::inRange(0, 3);
  return c;
}

CaseSpec gen_nll(int, DType dt) { return class_case(dt); }
CaseSpec gen_nll2d(int, DType dt) { return class_case(dt, 4, 4); }
CaseSpec gen_nll_nd(int, DType dt) { return class_case(dt, 5, 1); }

CaseSpec gen_cross_entropy(int, DType dt) {
  CaseSpec c = class_case(dt, 5, 1);
  c.scalar = invalid_roll() ? 1.5 : *gen::element(0.0, 0.0, 0.1, 0.5, 1.0);  // label_smoothing
  if (*gen::inRange(0, 3) == 0) {  // class probabilities: a floating target of the input's shape
    c.inputs[1] = tensor_with(c.inputs[0].shape, dt, true, unit_value());
    c.dim = invalid_roll() ? 0 : -100;
  }
  return c;
}

CaseSpec gen_cosine_embedding(int, DType dt) {
  CaseSpec c;
  const int64_t D = *gen::inRange<int64_t>(1, 5), N = *gen::inRange<int64_t>(1, 5);
  const bool batched = *gen::inRange(0, 3) != 0;
  std::vector<int64_t> xshape = batched ? std::vector<int64_t>{N, D} : std::vector<int64_t>{D};
  std::vector<int64_t> tshape = batched ? std::vector<int64_t>{N} : std::vector<int64_t>{};
  if (invalid_roll()) xshape.push_back(2);  // inputs of the wrong rank
  c.inputs.push_back(tensor_with(xshape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(xshape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(tshape, dt, true, sign_value()));
  c.scalar = *gen::element(0.0, 0.3, -0.2);  // margin
  c.n = *gen::inRange(0, 3);
  return c;
}

CaseSpec gen_margin_ranking(int, DType dt) {
  CaseSpec c;
  auto shape = *shape_of_rank(*gen::inRange(0, 3));
  auto tshape = shape;
  if (invalid_roll()) tshape.push_back(3);
  c.inputs.push_back(tensor_with(shape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(shape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(tshape, dt, true, sign_value()));
  c.scalar = *gen::element(0.0, 0.5, 1.0);  // margin
  c.n = *gen::inRange(0, 3);
  return c;
}

}  // namespace

void register_loss_generators(GenRegistry& r) {
  r.add("mse_loss", gen_regression);
  r.add("l1_loss", gen_regression);
  r.add("smooth_l1_loss", gen_smooth_l1);
  r.add("huber_loss", gen_huber);
  r.add("binary_cross_entropy", gen_bce);
  r.add("binary_cross_entropy_with_logits", gen_bce_logits);
  r.add("kl_div", gen_kl_div);
  r.add("nll_loss", gen_nll);
  r.add("nll_loss2d", gen_nll2d);
  r.add("nll_loss_nd", gen_nll_nd);
  r.add("cross_entropy_loss", gen_cross_entropy);
  r.add("cosine_embedding_loss", gen_cosine_embedding);
  r.add("margin_ranking_loss", gen_margin_ranking);
}

}  // namespace ft::props
