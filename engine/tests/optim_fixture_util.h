// Reads the torch.optim reference values written by
// tests/python/make_optim_fixtures.py (see its docstring for the format) and
// builds the matching engine optimizers. Inline: the tests are a unity build.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

inline std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& kind, std::vector<Tensor> ps,
                                                        const Config& c) {
  if (kind == "sgd") {
    optim::SGDOptions o;
    o.lr = get(c, "lr", o.lr);
    o.momentum = get(c, "momentum", o.momentum);
    o.dampening = get(c, "dampening", o.dampening);
    o.weight_decay = get(c, "weight_decay", o.weight_decay);
    o.nesterov = get(c, "nesterov", 0) != 0;
    o.maximize = get(c, "maximize", 0) != 0;
    return std::make_unique<optim::SGD>(std::move(ps), o);
  }
  if (kind == "adam" || kind == "adamw") {
    optim::AdamOptions o;
    o.lr = get(c, "lr", o.lr);
    o.beta1 = get(c, "beta1", o.beta1);
    o.beta2 = get(c, "beta2", o.beta2);
    o.eps = get(c, "eps", o.eps);
    o.weight_decay = get(c, "weight_decay", kind == "adamw" ? 1e-2 : 0.0);
    o.amsgrad = get(c, "amsgrad", 0) != 0;
    o.maximize = get(c, "maximize", 0) != 0;
    if (kind == "adamw") return std::make_unique<optim::AdamW>(std::move(ps), o);
    return std::make_unique<optim::Adam>(std::move(ps), o);
  }
  if (kind == "rmsprop") {
    optim::RMSpropOptions o;
    o.lr = get(c, "lr", o.lr);
    o.alpha = get(c, "alpha", o.alpha);
    o.eps = get(c, "eps", o.eps);
    o.weight_decay = get(c, "weight_decay", o.weight_decay);
    o.momentum = get(c, "momentum", o.momentum);
    o.centered = get(c, "centered", 0) != 0;
    o.maximize = get(c, "maximize", 0) != 0;
    return std::make_unique<optim::RMSprop>(std::move(ps), o);
  }
  EXPECT_EQ(kind, "adagrad") << "unknown optimizer kind";
  optim::AdagradOptions o;
  o.lr = get(c, "lr", o.lr);
  o.lr_decay = get(c, "lr_decay", o.lr_decay);
  o.weight_decay = get(c, "weight_decay", o.weight_decay);
  o.initial_accumulator_value = get(c, "initial_accumulator_value", o.initial_accumulator_value);
  o.eps = get(c, "eps", o.eps);
  o.maximize = get(c, "maximize", 0) != 0;
  return std::make_unique<optim::Adagrad>(std::move(ps), o);
}

}  // namespace ft::test::optim_fx
