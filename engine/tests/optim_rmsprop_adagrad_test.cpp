// RMSprop and Adagrad (and Adam/AdamW amsgrad + maximize, SGD Nesterov)
// against torch.optim 1.13 (foreach=False): parameters after 1..25 steps of a
// fixed problem, bit for bit; loading a state_dict saved by PyTorch; and the
// engine's own state_dict round trip. Reference values come from
// tests/python/make_optim_fixtures.py (a CTest fixture).
#include "ft/autograd.h"
#include "ft/optim/pt_state_dict.h"
#include "optim_fixture_util.h"

namespace {

namespace fx = ft::test::optim_fx;
using ft::Tensor;

using fx::dtype_of;
using fx::make_params;
using fx::max_ulps;
using fx::set_grads;

// Records of one configuration and dtype, by step.
struct Run {
  std::string name, kind, dtype, config;
  std::map<int, std::string> values;  // step -> parameter field
};
std::vector<Run> runs(const std::string& dir) {
  std::vector<Run> out;
  for (const auto& r : fx::records(dir, "OPT")) {
    if (r.size() != 7) continue;
    if (out.empty() || out.back().name != r[1] || out.back().dtype != r[3]) out.push_back({r[1], r[2], r[3], r[4], {}});
    out.back().values[std::stoi(r[5])] = r[6];
  }
  return out;
}

TEST(OptimParity, ParametersMatchTorchBitForBit) {
  FT_NEED_OPTIM_FIXTURES();
  auto all = runs(dir);
  ASSERT_GE(all.size(), 24u);
  for (const auto& run : all) {
    SCOPED_TRACE(run.name + " " + run.dtype);
    const ft::DType dt = dtype_of(run.dtype);
    auto ps = make_params(dt);
    auto opt = fx::make_optimizer(run.kind, ps, fx::parse_config(run.config));
    const int last = run.values.rbegin()->first;
    for (int t = 0; t < last; ++t) {
      set_grads(ps, t);
      opt->step();
      auto it = run.values.find(t + 1);
      if (it != run.values.end()) EXPECT_EQ(max_ulps(ps, it->second, dt), 0) << "after step " << t + 1;
    }
  }
}

TEST(OptimParity, LoadsStateDictSavedByTorch) {
  FT_NEED_OPTIM_FIXTURES();
  constexpr int kResumeAt = 5;
  int loaded = 0;
  for (const auto& run : runs(dir)) {
    if (run.kind != "rmsprop" && run.kind != "adagrad") continue;
    SCOPED_TRACE(run.name + " " + run.dtype);
    const ft::DType dt = dtype_of(run.dtype);
    // Parameters as PyTorch left them after kResumeAt steps.
    auto ps = make_params(dt);
    auto fields = fx::split(run.values.at(kResumeAt), ';');
    for (size_t k = 0; k < ps.size(); ++k)
      ps[k] = ft::from_vector(fx::hex_list(fields[k]), ps[k].sizes(), dt).requires_grad_();
    // Constructed with defaults: the hyperparameters come from the file.
    auto opt = fx::make_optimizer(run.kind, ps, {});
    opt->load_state_dict(ft::optim::load_optimizer_state_dict_pt(dir + "/" + run.name + "_" + run.dtype + "_state.pt"));
    for (int t = kResumeAt; t < run.values.rbegin()->first; ++t) {
      set_grads(ps, t);
      opt->step();
      auto it = run.values.find(t + 1);
      if (it != run.values.end()) EXPECT_EQ(max_ulps(ps, it->second, dt), 0) << "after step " << t + 1;
    }
    ++loaded;
  }
  EXPECT_EQ(loaded, 16);
}

// Engine-only: state_dict -> load into a fresh optimizer -> identical steps.
void expect_round_trip(const std::string& kind, const fx::Config& c) {
  SCOPED_TRACE(kind);
  auto a = make_params(ft::DType::Float32);
  auto opt_a = fx::make_optimizer(kind, a, c);
  for (int t = 0; t < 3; ++t) {
    set_grads(a, t);
    opt_a->step();
  }
  std::vector<Tensor> b;
  for (const auto& p : a) b.push_back(p.detach().clone().requires_grad_());
  auto opt_b = fx::make_optimizer(kind, b, {});
  auto sd = opt_a->state_dict();
  opt_b->load_state_dict(sd);
  EXPECT_EQ(opt_b->state_dict().param_groups, sd.param_groups);
  for (int t = 3; t < 6; ++t) {
    set_grads(a, t);
    set_grads(b, t);
    opt_a->step();
    opt_b->step();
  }
  for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].to_double_vector(), b[k].to_double_vector());
}

TEST(Optim, RMSpropAndAdagradStateDictRoundTrip) {
  expect_round_trip("rmsprop", {{"lr", 0.01}, {"momentum", 0.9}, {"centered", 1}, {"weight_decay", 0.1}});
  expect_round_trip("rmsprop", {{"lr", 0.01}});
  expect_round_trip("adagrad", {{"lr", 0.1}, {"lr_decay", 0.1}, {"initial_accumulator_value", 0.5}});
  expect_round_trip("adamw", {{"lr", 0.01}, {"amsgrad", 1}, {"maximize", 1}});
}

TEST(Optim, RMSpropAndAdagradStateLayout) {
  auto ps = make_params(ft::DType::Float32);
  ft::optim::RMSpropOptions ro;
  ro.momentum = 0.9;
  ro.centered = true;
  ft::optim::RMSprop rms(ps, ro);
  EXPECT_TRUE(rms.state_dict().state.empty());  // created at the first step, as PyTorch
  set_grads(ps, 0);
  rms.step();
  auto sd = rms.state_dict();
  ASSERT_EQ(sd.state.size(), 2u);
  std::vector<std::string> names;
  for (const auto& e : sd.state.at(0)) names.push_back(e.first);
  EXPECT_EQ(names, (std::vector<std::string>{"step", "square_avg", "momentum_buffer", "grad_avg"}));
  EXPECT_EQ(sd.state.at(0).at(0).second.dtype(), ft::DType::Int64);

  ft::optim::Adagrad ada(ps, {});
  auto asd = ada.state_dict();  // created in the constructor, as PyTorch
  ASSERT_EQ(asd.state.size(), 2u);
  EXPECT_EQ(asd.state.at(1).at(0).first, "step");
  EXPECT_EQ(asd.state.at(1).at(0).second.dtype(), ft::DType::Float32);
  EXPECT_EQ(asd.state.at(1).at(1).first, "sum");
}

TEST(Optim, RMSpropAndAdagradBadArgumentsRaise) {
  auto p = ft::zeros({2}).requires_grad_();
  auto bad_rms = [&](auto set) {
    ft::optim::RMSpropOptions o;
    set(o);
    EXPECT_THROW(ft::optim::RMSprop({p}, o), ft::Error);
  };
  bad_rms([](auto& o) { o.lr = -1; });
  bad_rms([](auto& o) { o.alpha = -0.5; });
  bad_rms([](auto& o) { o.eps = -1; });
  bad_rms([](auto& o) { o.momentum = -1; });
  bad_rms([](auto& o) { o.weight_decay = -1; });
  auto bad_ada = [&](auto set) {
    ft::optim::AdagradOptions o;
    set(o);
    EXPECT_THROW(ft::optim::Adagrad({p}, o), ft::Error);
  };
  bad_ada([](auto& o) { o.lr_decay = -1; });
  bad_ada([](auto& o) { o.initial_accumulator_value = -1; });
  bad_ada([](auto& o) { o.eps = -1; });
  // Adagrad has no momentum for OneCycleLR to cycle.
  ft::optim::Adagrad ada({p}, {});
  EXPECT_EQ(ada.momentum_kind(), ft::optim::Optimizer::MomentumKind::None);
  EXPECT_THROW(ada.group_momentum(0), ft::Error);
  EXPECT_THROW(ada.group_lr(1), ft::Error);
}

}  // namespace
