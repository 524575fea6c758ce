// Reads the torch.optim reference values written by
// tests/python/make_optim_fixtures.py (see its docstring for the format) and
// builds the matching engine optimizers. Inline: the tests are a unity build.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/optim/optimizer.h"

namespace ft::test::optim_fx {

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, sep)) v.push_back(x);
  if (!s.empty() && s.back() == sep) v.push_back("");
  return v;
}

// float.hex() values, comma separated.
inline std::vector<double> hex_list(const std::string& s) {
  std::vector<double> v;
  for (const auto& x : split(s, ','))
    if (!x.empty()) v.push_back(std::strtod(x.c_str(), nullptr));
  return v;
}

using Config = std::map<std::string, double>;
inline Config parse_config(const std::string& s) {
  Config c;
  for (const auto& kv : split(s, ';')) {
    auto eq = kv.find('=');
    if (eq != std::string::npos) c[kv.substr(0, eq)] = std::strtod(kv.c_str() + eq + 1, nullptr);
  }
  return c;
}
inline double get(const Config& c, const char* k, double fallback) {
  auto it = c.find(k);
  return it == c.end() ? fallback : it->second;
}

// The fixture directory: $FT_OPTIM_FIXTURES (set by ctest), else the build's
// default when the fixture already ran; "" means skip.
inline std::string fixture_dir() {
  if (const char* e = std::getenv("FT_OPTIM_FIXTURES")) return e;
  std::string d = FT_OPTIM_FIXTURE_DIR;
  return std::ifstream(d + "/optim_expected.txt").good() ? d : "";
}

// Records of one type ("OPT", "SCHED", "PLATEAU"), split into fields.
inline std::vector<std::vector<std::string>> records(const std::string& dir, const std::string& type) {
  std::ifstream f(dir + "/optim_expected.txt");
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (std::getline(f, line)) {
    auto parts = split(line, '|');
    if (!parts.empty() && parts[0] == type) out.push_back(parts);
  }
  return out;
}

#define FT_NEED_OPTIM_FIXTURES()                                                                        \
  const std::string dir = ::ft::test::optim_fx::fixture_dir();                                        \
  if (dir.empty()) GTEST_SKIP() << "no optimizer fixtures: run `ctest -R Parity` (it generates them)"; \
  ASSERT_TRUE(std::ifstream(dir + "/optim_expected.txt").good()) << "fixture setup did not run in " << dir

// The fixtures' problem (make_optim_fixtures.py): parameters of kShapes,
// their gradients at step t, and the ulp distance to a record's values.
inline const std::vector<std::vector<int64_t>> kShapes = {{3, 4}, {530}};

inline ft::DType dtype_of(const std::string& s) { return s == "float64" ? ft::DType::Float64 : ft::DType::Float32; }

// Same formulas as the python script (double libm, then cast to the dtype).
inline std::vector<Tensor> make_params(ft::DType dt) {
  std::vector<Tensor> ps;
  int64_t off = 0;
  for (const auto& s : kShapes) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = std::sin(0.7 * double(i + off) + 0.3) * 1.5;
    ps.push_back(ft::from_vector(v, s, dt).requires_grad_());
    off += n;
  }
  return ps;
}

inline void set_grads(const std::vector<Tensor>& ps, int t) {
  ft::autograd::NoGradGuard ng;
  int64_t off = 0;
  for (const auto& p : ps) {
    const int64_t n = p.numel();
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = std::cos(0.37 * double(i + off) + 1.3 * t) / 2;
    Tensor q = p;  // a handle: sets p's grad
    q.mutable_grad() = p.detach() * 2 + ft::from_vector(v, p.sizes(), p.dtype());
    off += n;
  }
}

// Units in the last place between a and b in the dtype's precision.
inline int64_t ulps(double a, double b, ft::DType dt) {
  if (a == b) return 0;
  if (std::isnan(a) || std::isnan(b)) return INT64_MAX;
  auto key = [&](double x) -> int64_t {
    if (dt == ft::DType::Float32) {
      float f = float(x);
      int32_t i;
      std::memcpy(&i, &f, 4);
      return i < 0 ? int64_t(INT32_MIN) - i : i;
    }
    int64_t i;
    std::memcpy(&i, &x, 8);
    return i < 0 ? INT64_MIN - i : i;
  };
  return std::abs(key(a) - key(b));
}

// The largest ulp distance between the parameters and a record's values.
inline int64_t max_ulps(const std::vector<Tensor>& ps, const std::string& field, ft::DType dt) {
  auto per_param = split(field, ';');
  EXPECT_EQ(per_param.size(), ps.size());
  int64_t worst = 0;
  for (size_t k = 0; k < ps.size() && k < per_param.size(); ++k) {
    auto want = hex_list(per_param[k]);
    auto got = ps[k].detach().to_double_vector();
    EXPECT_EQ(want.size(), got.size());
    for (size_t i = 0; i < want.size() && i < got.size(); ++i) worst = std::max(worst, ulps(got[i], want[i], dt));
  }
  return worst;
}

// Each optimizer's options from a fixture config (missing keys: defaults).
inline optim::SGDOptions sgd_options(const Config& c) {
  optim::SGDOptions o;
  o.lr = get(c, "lr", o.lr);
  o.momentum = get(c, "momentum", o.momentum);
  o.dampening = get(c, "dampening", o.dampening);
  o.weight_decay = get(c, "weight_decay", o.weight_decay);
  o.nesterov = get(c, "nesterov", 0) != 0;
  o.maximize = get(c, "maximize", 0) != 0;
  return o;
}

inline optim::AdamOptions adam_options(const Config& c, bool adamw) {
  optim::AdamOptions o;
  o.lr = get(c, "lr", o.lr);
  o.beta1 = get(c, "beta1", o.beta1);
  o.beta2 = get(c, "beta2", o.beta2);
  o.eps = get(c, "eps", o.eps);
  o.weight_decay = get(c, "weight_decay", adamw ? 1e-2 : 0.0);
  o.amsgrad = get(c, "amsgrad", 0) != 0;
  o.maximize = get(c, "maximize", 0) != 0;
  return o;
}

inline optim::RMSpropOptions rmsprop_options(const Config& c) {
  optim::RMSpropOptions o;
  o.lr = get(c, "lr", o.lr);
  o.alpha = get(c, "alpha", o.alpha);
  o.eps = get(c, "eps", o.eps);
  o.weight_decay = get(c, "weight_decay", o.weight_decay);
  o.momentum = get(c, "momentum", o.momentum);
  o.centered = get(c, "centered", 0) != 0;
  o.maximize = get(c, "maximize", 0) != 0;
  return o;
}

inline optim::AdagradOptions adagrad_options(const Config& c) {
  optim::AdagradOptions o;
  o.lr = get(c, "lr", o.lr);
  o.lr_decay = get(c, "lr_decay", o.lr_decay);
  o.weight_decay = get(c, "weight_decay", o.weight_decay);
  o.initial_accumulator_value = get(c, "initial_accumulator_value", o.initial_accumulator_value);
  o.eps = get(c, "eps", o.eps);
  o.maximize = get(c, "maximize", 0) != 0;
  return o;
}

// One group per entry of `params` with the options of the matching config:
// through the constructor's ParamGroup list, or (add) the first group through
// the plain constructor and the others through add_param_group.
template <typename Opt, typename Options>
std::unique_ptr<optim::Optimizer> grouped(std::vector<std::vector<Tensor>> params, std::vector<Options> opts,
                                          bool add) {
  if (add) {
    auto opt = std::make_unique<Opt>(params[0], opts[0]);
    for (size_t k = 1; k < params.size(); ++k) opt->add_param_group(params[k], opts[k]);
    return opt;
  }
  std::vector<optim::ParamGroup<Options>> groups;
  for (size_t k = 0; k < params.size(); ++k) groups.push_back({params[k], opts[k]});
  return std::make_unique<Opt>(std::move(groups), opts[0]);
}

inline std::unique_ptr<optim::Optimizer> make_group_optimizer(const std::string& kind,
                                                              std::vector<std::vector<Tensor>> params,
                                                              const std::vector<Config>& configs, bool add) {
  auto each = [&](auto to_options) {
    std::vector<decltype(to_options(configs[0]))> v;
    for (const auto& c : configs) v.push_back(to_options(c));
    return v;
  };
  if (kind == "sgd") return grouped<optim::SGD>(std::move(params), each(sgd_options), add);
  if (kind == "adam")
    return grouped<optim::Adam>(std::move(params), each([](const Config& c) { return adam_options(c, false); }), add);
  if (kind == "adamw")
    return grouped<optim::AdamW>(std::move(params), each([](const Config& c) { return adam_options(c, true); }), add);
  if (kind == "rmsprop") return grouped<optim::RMSprop>(std::move(params), each(rmsprop_options), add);
  EXPECT_EQ(kind, "adagrad") << "unknown optimizer kind";
  return grouped<optim::Adagrad>(std::move(params), each(adagrad_options), add);
}

inline std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& kind, std::vector<Tensor> ps,
                                                        const Config& c) {
  return make_group_optimizer(kind, {std::move(ps)}, {c}, true);
}

}  // namespace ft::test::optim_fx
