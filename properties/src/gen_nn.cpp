// Custom case generators for the nn op family (engine/include/ft/ops/nn.def):
// convolutions and 2-D pooling. Shapes are small (batch 0-3, channels 1-9,
// spatial 1-9) and mostly valid: sizes are drawn so that the kernel fits the
// padded input, and every option (stride, padding, dilation, groups, ceil
// mode, count_include_pad, divisor, one- or two-value lists, unbatched
// inputs, zero batch) is exercised. ~5% of cases break one rule for error
// parity. Int lists are packed (NOTE [ Packed int lists ] in ft/ops/nn.h).
//
// Convolution values are finite and small: how +-inf/NaN and huge values
// propagate through a convolution depends on the algorithm (a padded tap is
// skipped by oneDNN but multiplied by im2col), which is not a behaviour.
// Pooling gets the full value generator (NaN, +-inf, signed zeros): max
// pooling's NaN rule and the windows' summation order are defined.
#include <algorithm>

#include "ft/props/gen_util.h"

namespace ft::props {

namespace gen = rc::gen;

void nn_pack(std::vector<int64_t>& packed, const std::vector<int64_t>& list) {
  packed.push_back(int64_t(list.size()));
  packed.insert(packed.end(), list.begin(), list.end());
}

// One value (the same for every dim) or one per dim, at random.
std::vector<int64_t> nn_list(const std::vector<int64_t>& per_dim) {
  bool same = std::all_of(per_dim.begin(), per_dim.end(), [&](int64_t v) { return v == per_dim[0]; });
  if (same && *gen::inRange(0, 2) == 0) return {per_dim[0]};
  return per_dim;
}

namespace {

// ---- convolution ----------------------------------------------------------------------------
CaseSpec conv_case(DType dt, int spatial, bool string_padding) {
  CaseSpec c;
  const int64_t groups = *gen::weightedOneOf<int64_t>({{6, gen::just<int64_t>(1)}, {2, gen::just<int64_t>(2)},
                                                       {1, gen::just<int64_t>(3)}});
  const int64_t cin_g = *gen::inRange<int64_t>(1, 4), cout_g = *gen::inRange<int64_t>(1, 4);
  const int64_t batch = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {12, gen::inRange<int64_t>(1, 4)}});
  const bool unbatched = *gen::inRange(0, 8) == 0;
  std::string mode = string_padding ? (*gen::inRange(0, 10) < 7 ? "same" : "valid") : "";
  std::vector<int64_t> kernel, stride, padding, dilation, size;
  for (int d = 0; d < spatial; ++d) {
    kernel.push_back(*gen::inRange<int64_t>(1, 4));
    dilation.push_back(*gen::weightedOneOf<int64_t>({{4, gen::just<int64_t>(1)}, {1, gen::just<int64_t>(2)}}));
    stride.push_back(mode == "same" ? 1 : *gen::weightedOneOf<int64_t>({{3, gen::just<int64_t>(1)},
                                                                         {2, gen::just<int64_t>(2)},
                                                                         {1, gen::just<int64_t>(3)}}));
    padding.push_back(mode.empty() ? *gen::inRange<int64_t>(0, 3) : 0);
    // The padded input must hold one dilated kernel extent ('same' pads it).
    int64_t extent = dilation.back() * (kernel.back() - 1) + 1;
    int64_t min_size = mode == "same" ? 1 : std::max<int64_t>(1, extent - 2 * padding.back());
    size.push_back(min_size + *gen::inRange<int64_t>(0, 5));
  }
  std::vector<int64_t> in_shape, w_shape{groups * cout_g, cin_g};
  if (!unbatched) in_shape.push_back(batch);
  in_shape.push_back(groups * cin_g);
  in_shape.insert(in_shape.end(), size.begin(), size.end());
  w_shape.insert(w_shape.end(), kernel.begin(), kernel.end());
  std::vector<int64_t> b_shape{groups * cout_g};
  bool has_bias = *gen::inRange(0, 10) < 7;
  std::vector<int64_t> s_list = nn_list(stride), p_list = nn_list(padding), d_list = nn_list(dilation);
  DType wdt = dt;
  c.n = groups;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 9)) {
      case 0: w_shape[1] += 1; break;                              // channel mismatch
      case 1: has_bias = true; b_shape[0] += 1; break;             // bias size
      case 2: s_list = {0}; break;                                 // non-positive stride
      case 3: p_list = {-1}; break;                                // negative padding
      case 4: d_list = std::vector<int64_t>(size_t(spatial + 1), 1); break;  // list too long
      case 5: c.n = *gen::element<int64_t>(0, groups + 1); break;  // bad groups
      case 6: in_shape.erase(in_shape.begin()); if (unbatched) in_shape.erase(in_shape.begin()); break;  // rank
      case 7: for (size_t d = in_shape.size() - size_t(spatial); d < in_shape.size(); ++d) in_shape[d] = 1;
              for (size_t d = 2; d < w_shape.size(); ++d) w_shape[d] = 3;
              p_list = {0}; break;                                 // kernel larger than the input
      default: wdt = *gen::element(DType::Float32, DType::Float64, DType::Int64); break;  // dtype mismatch
    }
    if (string_padding && *gen::inRange(0, 3) == 0) mode = "full";  // not a padding string
  }
  c.inputs.push_back(tensor_with(in_shape, dt, true, small_value(dt)));
  c.inputs.push_back(tensor_with(w_shape, wdt, true, small_value(wdt)));
  if (has_bias) c.inputs.push_back(tensor_with(b_shape, dt, true, small_value(dt)));
  nn_pack(c.ints, s_list);
  nn_pack(c.ints, string_padding ? std::vector<int64_t>{} : p_list);
  nn_pack(c.ints, d_list);
  c.str = mode;
  return c;
}

CaseSpec gen_conv1d(int, DType dt) { return conv_case(dt, 1, false); }
CaseSpec gen_conv1d_padding(int, DType dt) { return conv_case(dt, 1, true); }
CaseSpec gen_conv2d(int, DType dt) { return conv_case(dt, 2, false); }
CaseSpec gen_conv2d_padding(int, DType dt) { return conv_case(dt, 2, true); }

// ---- pooling --------------------------------------------------------------------------------
enum class Pool { Max, Avg };

// (N,) C, H, W with H, W large enough for the window unless told otherwise.
std::vector<int64_t> pool_input_shape(const std::vector<int64_t>& extent_min) {
  std::vector<int64_t> s;
  if (*gen::inRange(0, 4) != 0)
    s.push_back(*gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {10, gen::inRange<int64_t>(1, 4)}}));
  s.push_back(*gen::inRange<int64_t>(1, 4));
  for (int64_t m : extent_min) s.push_back(std::max<int64_t>(1, m) + *gen::inRange<int64_t>(0, 5));
  return s;
}

CaseSpec pool_case(DType dt, Pool kind) {
  CaseSpec c;
  std::vector<int64_t> kernel, stride, padding, dilation, min_size;
  const bool default_stride = *gen::inRange(0, 4) == 0;
  for (int d = 0; d < 2; ++d) {
    kernel.push_back(*gen::inRange<int64_t>(1, 4));
    stride.push_back(*gen::inRange<int64_t>(1, 4));
    padding.push_back(*gen::inRange<int64_t>(0, kernel.back() / 2 + 1));
    dilation.push_back(kind == Pool::Max ? *gen::element<int64_t>(1, 1, 2) : 1);
    min_size.push_back(dilation.back() * (kernel.back() - 1) + 1 - 2 * padding.back());
  }
  std::vector<int64_t> shape = pool_input_shape(min_size);
  c.flag = *gen::inRange(0, 2) == 0;     // ceil_mode
  for (int d = 0; d < 2; ++d) {
    int64_t st = default_stride ? kernel[size_t(d)] : stride[size_t(d)];
    if (has_empty_window(shape[shape.size() - 2 + size_t(d)], kernel[size_t(d)], st, padding[size_t(d)],
                         dilation[size_t(d)], c.flag))
      dilation[size_t(d)] = 1;
  }
  std::vector<int64_t> k_list = nn_list(kernel), s_list = default_stride ? std::vector<int64_t>{} : nn_list(stride),
                       p_list = nn_list(padding), d_list = nn_list(dilation);
  c.keepdim = *gen::inRange(0, 3) != 0;  // count_include_pad
  if (kind == Pool::Avg && *gen::inRange(0, 5) == 0) {
    c.dim = 1;  // divisor_override present (no -1: INT64_MIN / -1 traps in libtorch)
    c.n = *gen::element<int64_t>(1, 2, 3, 5, -2);
  }
  if (invalid_roll()) {
    switch (*gen::inRange(0, 9)) {
      case 0: k_list = {0}; break;
      case 1: s_list = {0}; break;
      case 2: p_list = {kernel[0] / 2 + 1, 0}; break;               // pad above half the kernel
      case 3: p_list = {-1}; break;
      case 4: k_list = {2, 2, 2}; break;                             // list too long
      case 5: shape.erase(shape.begin()); if (shape.size() > 2) shape.erase(shape.begin()); break;  // rank 2
      case 6: shape.insert(shape.begin(), 2); break;                 // rank 5
      case 7: shape[shape.size() - 3] = 0; break;                    // empty channels
      default:
        if (kind == Pool::Avg) { c.dim = 1; c.n = 0; }               // divisor 0
        else d_list = {0};
        break;
    }
  }
  c.inputs.push_back(tensor_of(shape, dt, true));
  nn_pack(c.ints, k_list);
  nn_pack(c.ints, s_list);
  nn_pack(c.ints, p_list);
  nn_pack(c.ints, d_list);
  return c;
}

CaseSpec gen_max_pool(int, DType dt) { return pool_case(dt, Pool::Max); }
CaseSpec gen_avg_pool(int, DType dt) { return pool_case(dt, Pool::Avg); }

CaseSpec gen_adaptive_avg_pool(int, DType dt) {
  CaseSpec c;
  std::vector<int64_t> shape = pool_input_shape({1, 1});
  const int64_t H = shape[shape.size() - 2], W = shape[shape.size() - 1];
  if (*gen::inRange(0, 5) == 0) c.ints = {1, 1};  // the mean path
  else c.ints = {*gen::inRange<int64_t>(1, H + 3), *gen::inRange<int64_t>(1, W + 3)};
  if (*gen::inRange(0, 12) == 0) c.ints[size_t(*gen::inRange(0, 2))] = 0;  // an empty output (its backward raises)
  if (invalid_roll()) {
    switch (*gen::inRange(0, 5)) {
      case 0: c.ints[0] = -1; break;
      case 1: c.ints.pop_back(); break;
      case 2: c.ints.push_back(2); break;
      case 3: shape.erase(shape.begin()); if (shape.size() > 2) shape.erase(shape.begin()); break;  // rank 2
      default: shape[shape.size() - 1] = 0; break;  // empty W
    }
  }
  c.inputs.push_back(tensor_of(shape, dt, true));
  return c;
}

}  // namespace

// Whether some dilated window of one spatial dim has no tap inside the input.
// libtorch 1.13 then reports an index outside the plane and its backward
// writes through it (heap corruption in the oracle), so such cases are not
// generated; without dilation no window can be empty.
bool has_empty_window(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode) {
  if (s <= 0 || k <= 0 || d <= 0) return false;
  int64_t num = in + 2 * p - d * (k - 1) - 1 + (ceil_mode ? s - 1 : 0);
  int64_t out = (num >= 0 ? num / s : -((-num + s - 1) / s)) + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  for (int64_t o = 0; o < out; ++o) {
    int64_t start = o * s - p, end = std::min(start + (k - 1) * d + 1, in);
    while (start < 0) start += d;
    if (start >= end) return true;
  }
  return false;
}

void register_nn_generators(GenRegistry& r) {
  r.add("conv1d", gen_conv1d);
  r.add("conv1d_padding", gen_conv1d_padding);
  r.add("conv2d", gen_conv2d);
  r.add("conv2d_padding", gen_conv2d_padding);
  for (const char* id : {"max_pool2d", "max_pool2d_with_indices"}) r.add(id, gen_max_pool);
  r.add("avg_pool2d", gen_avg_pool);
  r.add("adaptive_avg_pool2d", gen_adaptive_avg_pool);
  r.add("adaptive_max_pool2d", gen_adaptive_avg_pool);  // (conv_extra family) the same argument space
}

}  // namespace ft::props
