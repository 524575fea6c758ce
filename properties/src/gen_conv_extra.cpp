// Custom case generators for the conv_extra op family
// (engine/include/ft/ops/conv_extra.def): transposed convolutions, 1-D
// pooling and bilinear. Shapes are small and mostly valid (the output has at
// least one element); every option is exercised (stride, padding, output_padding
// below the stride or the dilation, dilation, groups, bias, unbatched
// inputs, zero batch, ceil mode, count_include_pad). ~5% of cases break one
// rule for error parity. Convolution values are finite and small (see
// gen_nn.cpp); pooling gets the full value generator.
#include <algorithm>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

// One of the values, drawn with the given weights.
int64_t cx_pick(std::initializer_list<std::pair<int, int64_t>> weighted) {
  int total = 0;
  for (const auto& e : weighted) total += e.first;
  int r = *gen::inRange(0, total);
  for (const auto& e : weighted) {
    if (r < e.first) return e.second;
    r -= e.first;
  }
  return weighted.begin()->second;
}

// ---- transposed convolution ----------------------------------------------------------------
CaseSpec conv_transpose_case(DType dt, int spatial) {
  CaseSpec c;
  const int64_t groups = cx_pick({{6, 1}, {2, 2}, {1, 3}});
  const int64_t cin_g = *gen::inRange<int64_t>(1, 4), cout_g = *gen::inRange<int64_t>(1, 4);
  const int64_t batch = cx_pick({{1, 0}, {12, *gen::inRange<int64_t>(1, 4)}});
  const bool unbatched = *gen::inRange(0, 8) == 0;
  std::vector<int64_t> kernel, stride, padding, out_pad, dilation, size;
  for (int d = 0; d < spatial; ++d) {
    kernel.push_back(*gen::inRange<int64_t>(1, 4));
    dilation.push_back(cx_pick({{4, 1}, {1, 2}}));
    stride.push_back(cx_pick({{3, 1}, {2, 2}, {1, 3}}));
    out_pad.push_back(*gen::inRange<int64_t>(0, std::max(stride.back(), dilation.back())));
    size.push_back(*gen::inRange<int64_t>(1, 6));
    // The output (in-1)*s - 2p + d(k-1) + op + 1 must be at least 1.
    const int64_t room = (size.back() - 1) * stride.back() + dilation.back() * (kernel.back() - 1) + out_pad.back();
    padding.push_back(std::min<int64_t>(*gen::inRange<int64_t>(0, 3), room / 2));
  }
  std::vector<int64_t> in_shape, w_shape{groups * cin_g, cout_g}, b_shape{groups * cout_g};
  if (!unbatched) in_shape.push_back(batch);
  in_shape.push_back(groups * cin_g);
  in_shape.insert(in_shape.end(), size.begin(), size.end());
  w_shape.insert(w_shape.end(), kernel.begin(), kernel.end());
  bool has_bias = *gen::inRange(0, 10) < 7;
  std::vector<int64_t> s_list = nn_list(stride), p_list = nn_list(padding), o_list = nn_list(out_pad),
                       d_list = nn_list(dilation);
  DType wdt = dt;
  c.n = groups;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 11)) {
      case 0: w_shape[0] += groups; break;                          // channel mismatch
      case 1: has_bias = true; b_shape[0] += 1; break;              // bias size
      case 2: s_list = {0}; break;                                  // non-positive stride
      case 3: p_list = {-1}; break;                                 // negative padding
      case 4: o_list = {std::max(stride[0], dilation[0])}; break;   // output_padding too large
      case 5: o_list = {-1}; break;                                 // negative output_padding
      case 6: d_list = std::vector<int64_t>(size_t(spatial + 1), 1); break;  // list too long
      case 7: c.n = *gen::element<int64_t>(0, groups + 1, 4); break;          // bad groups
      case 8: in_shape.erase(in_shape.begin()); if (unbatched) in_shape.erase(in_shape.begin()); break;  // rank
      case 9: p_list = {8}; break;                                  // output smaller than 1
      default: wdt = *gen::element(DType::Float32, DType::Float64, DType::Int64); break;  // dtype mismatch
    }
  }
  c.inputs.push_back(tensor_with(in_shape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(w_shape, wdt, true, small_value(wdt)));
  if (has_bias) c.inputs.push_back(tensor_with(b_shape, dt, true, small_value(dt)));
  for (const auto* l : {&s_list, &p_list, &o_list, &d_list}) nn_pack(c.ints, *l);
  return c;
}

CaseSpec gen_conv_transpose1d(int, DType dt) { return conv_transpose_case(dt, 1); }
CaseSpec gen_conv_transpose2d(int, DType dt) { return conv_transpose_case(dt, 2); }

// ---- 1-D pooling ------------------------------------------------------------------------------
// (N,) C, L with L at least `min_len`.
std::vector<int64_t> pool1d_shape(int64_t min_len) {
  std::vector<int64_t> s;
  if (*gen::inRange(0, 4) != 0) s.push_back(cx_pick({{1, 0}, {10, *gen::inRange<int64_t>(1, 4)}}));
  s.push_back(*gen::inRange<int64_t>(1, 4));
  s.push_back(std::max<int64_t>(1, min_len) + *gen::inRange<int64_t>(0, 6));
  return s;
}

CaseSpec pool1d_case(DType dt, bool is_max) {
  CaseSpec c;
  const int64_t k = *gen::inRange<int64_t>(1, 5), pad = *gen::inRange<int64_t>(0, k / 2 + 1);
  const bool default_stride = *gen::inRange(0, 4) == 0;
  const int64_t s = default_stride ? k : *gen::inRange<int64_t>(1, 4);
  int64_t dil = is_max ? cx_pick({{2, 1}, {1, 2}}) : 1;
  std::vector<int64_t> shape = pool1d_shape(dil * (k - 1) + 1 - 2 * pad);
  c.flag = *gen::inRange(0, 2) == 0;     // ceil_mode
  c.keepdim = *gen::inRange(0, 3) != 0;  // count_include_pad
  if (has_empty_window(shape.back(), k, s, pad, dil, c.flag)) dil = 1;
  std::vector<int64_t> k_list{k}, s_list = default_stride ? std::vector<int64_t>{} : std::vector<int64_t>{s},
                       p_list{pad}, d_list{dil};
  if (invalid_roll()) {
    switch (*gen::inRange(0, 9)) {
      case 0: k_list = {0}; break;
      case 1: s_list = {0}; break;
      case 2: p_list = {k / 2 + 1}; break;       // pad above half the kernel
      case 3: p_list = {-1}; break;
      case 4: k_list = {2, 2}; break;            // list too long
      case 5: shape.erase(shape.begin()); if (shape.size() > 1) shape.erase(shape.begin()); break;  // rank 1
      case 6: shape.insert(shape.begin(), 2); break;  // rank 4
      case 7: shape[shape.size() - 2] = 0; break;     // empty channels
      default: if (is_max) d_list = {0}; else shape.back() = 0; break;
    }
  }
  // The window longer than the input: max_pool1d without autograd returns an
  // empty result where the indices path raises.
  if (is_max && *gen::inRange(0, 15) == 0) {
    k_list = {shape.back() + 1};
    s_list = {1};
    p_list = {0};
    d_list = {1};
  }
  c.inputs.push_back(tensor_of(shape, dt, true));
  for (const auto* l : {&k_list, &s_list, &p_list, &d_list}) nn_pack(c.ints, *l);
  return c;
}

CaseSpec gen_max_pool1d(int, DType dt) { return pool1d_case(dt, true); }
CaseSpec gen_avg_pool1d(int, DType dt) { return pool1d_case(dt, false); }

CaseSpec gen_adaptive_avg_pool1d(int, DType dt) {
  CaseSpec c;
  std::vector<int64_t> shape = pool1d_shape(1);
  c.ints = {*gen::inRange<int64_t>(0, shape.back() + 3)};
  if (invalid_roll()) {
    switch (*gen::inRange(0, 4)) {
      case 0: c.ints[0] = -1; break;
      case 1: c.ints.push_back(2); break;
      case 2: shape.erase(shape.begin()); if (shape.size() > 1) shape.erase(shape.begin()); break;  // rank 1
      default: shape.back() = 0; break;  // empty L
    }
  }
  c.inputs.push_back(tensor_of(shape, dt, true));
  return c;
}

// ---- bilinear: inputs (input1, input2, weight[, bias]) -----------------------------------------
CaseSpec gen_bilinear(int, DType dt) {
  CaseSpec c;
  const int64_t I = *gen::inRange<int64_t>(1, 5), J = *gen::inRange<int64_t>(1, 5), O = *gen::inRange<int64_t>(1, 5);
  std::vector<int64_t> lead;
  const int rank = int(cx_pick({{1, 0}, {6, 1}, {2, 2}}));
  for (int d = 0; d < rank; ++d) lead.push_back(cx_pick({{1, 0}, {10, *gen::inRange<int64_t>(1, 4)}}));
  std::vector<int64_t> s1 = lead, s2 = lead, ws{O, I, J}, bs{O};
  s1.push_back(I);
  s2.push_back(J);
  bool has_bias = *gen::inRange(0, 10) < 7;
  DType dt2 = dt;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 6)) {
      case 0: s1.back() += 1; break;                          // input1 vs weight
      case 1: s2.back() += 1; break;                          // input2 vs weight
      case 2: has_bias = true; bs[0] += 1; break;             // bias size
      case 3: s2.insert(s2.begin(), 2); break;                // ranks differ
      case 4: if (!lead.empty()) s2[0] += 1; else ws.pop_back(); break;  // batch dims / weight rank
      default: dt2 = *gen::element(DType::Float32, DType::Float64, DType::Int64); break;  // dtype mismatch
    }
  }
  c.inputs.push_back(tensor_with(s1, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(s2, dt2, true, small_value(dt2)));
  c.inputs.push_back(tensor_with(ws, dt, true, small_value(dt)));
  if (has_bias) c.inputs.push_back(tensor_with(bs, dt, true, small_value(dt)));
  return c;
}

}  // namespace

void register_conv_extra_generators(GenRegistry& r) {
  r.add("conv_transpose1d", gen_conv_transpose1d);
  r.add("conv_transpose2d", gen_conv_transpose2d);
  for (const char* id : {"max_pool1d", "max_pool1d_with_indices"}) r.add(id, gen_max_pool1d);
  r.add("avg_pool1d", gen_avg_pool1d);
  r.add("adaptive_avg_pool1d", gen_adaptive_avg_pool1d);
  r.add("adaptive_max_pool1d", gen_adaptive_avg_pool1d);
  r.add("bilinear", gen_bilinear);
}

}  // namespace ft::props
