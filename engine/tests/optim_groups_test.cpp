// Parameter groups (NOTE [ Parameter groups ]) against torch.optim 1.13: two
// groups with different hyperparameters, parameters after 1..25 steps bit for
// bit (float32 and float64); resuming from a two-group state_dict saved by
// PyTorch; the engine's own layout, round trip and errors. Reference values
// come from tests/python/make_optim_fixtures.py (OPTG records).
#include "ft/optim/lr_scheduler.h"
#include "ft/optim/pt_state_dict.h"
#include "optim_fixture_util.h"

namespace {

namespace fx = ft::test::optim_fx;
namespace optim = ft::optim;
using ft::Tensor;

struct GroupRun {
  std::string name, kind, dtype;
  fx::Config c0, c1;                  // the constructor's options; group 1's overrides
  std::map<int, std::string> values;  // step -> parameter field
};

std::vector<GroupRun> group_runs(const std::string& dir) {
  std::vector<GroupRun> out;
  for (const auto& r : fx::records(dir, "OPTG")) {
    if (r.size() != 8) continue;
    if (out.empty() || out.back().name != r[1] || out.back().dtype != r[3])
      out.push_back({r[1], r[2], r[3], fx::parse_config(r[4]), fx::parse_config(r[5]), {}});
    out.back().values[std::stoi(r[6])] = r[7];
  }
  return out;
}

// Group 1's options: the constructor's, overridden (PyTorch's defaults).
fx::Config merged(const fx::Config& c0, const fx::Config& c1) {
  fx::Config c = c0;
  for (const auto& [k, v] : c1) c[k] = v;
  return c;
}

// p0 in group 0, p1 in group 1.
std::unique_ptr<optim::Optimizer> two_groups(const std::string& kind, const std::vector<Tensor>& ps,
                                             const fx::Config& c0, const fx::Config& c1, bool add) {
  return fx::make_group_optimizer(kind, {{ps[0]}, {ps[1]}}, {c0, c1}, add);
}

TEST(OptimParity, TwoParamGroupsMatchTorchBitForBit) {
  FT_NEED_OPTIM_FIXTURES();
  auto all = group_runs(dir);
  ASSERT_EQ(all.size(), 12u);
  bool add = false;
  for (const auto& run : all) {
    SCOPED_TRACE(run.name + " " + run.dtype);
    const ft::DType dt = fx::dtype_of(run.dtype);
    auto ps = fx::make_params(dt);
    add = !add;  // both ways of making the second group
    auto opt = two_groups(run.kind, ps, run.c0, merged(run.c0, run.c1), add);
    ASSERT_EQ(opt->num_param_groups(), 2);
    for (int t = 0; t < run.values.rbegin()->first; ++t) {
      fx::set_grads(ps, t);
      opt->step();
      auto it = run.values.find(t + 1);
      if (it != run.values.end()) {
        EXPECT_EQ(fx::max_ulps(ps, it->second, dt), 0) << "after step " << t + 1;
      }
    }
  }
}

TEST(OptimParity, LoadsTwoGroupStateDictSavedByTorch) {
  FT_NEED_OPTIM_FIXTURES();
  constexpr int kResumeAt = 5;
  int loaded = 0;
  for (const auto& run : group_runs(dir)) {
    SCOPED_TRACE(run.name + " " + run.dtype);
    const ft::DType dt = fx::dtype_of(run.dtype);
    auto ps = fx::make_params(dt);
    auto fields = fx::split(run.values.at(kResumeAt), ';');
    for (size_t k = 0; k < ps.size(); ++k)
      ps[k] = ft::from_vector(fx::hex_list(fields[k]), ps[k].sizes(), dt).requires_grad_();
    // Default options in both groups: every hyperparameter comes from the file.
    auto opt = two_groups(run.kind, ps, {}, {}, false);
    opt->load_state_dict(optim::load_optimizer_state_dict_pt(dir + "/" + run.name + "_" + run.dtype + "_state.pt"));
    EXPECT_EQ(opt->group_lr(0), fx::get(run.c0, "lr", 0));
    EXPECT_EQ(opt->group_lr(1), fx::get(merged(run.c0, run.c1), "lr", 0));
    for (int t = kResumeAt; t < run.values.rbegin()->first; ++t) {
      fx::set_grads(ps, t);
      opt->step();
      auto it = run.values.find(t + 1);
      if (it != run.values.end()) {
        EXPECT_EQ(fx::max_ulps(ps, it->second, dt), 0) << "after step " << t + 1;
      }
    }
    ++loaded;
  }
  EXPECT_EQ(loaded, 12);
}

TEST(Optim, ParamGroupStateDictLayoutAndRoundTrip) {
  for (const char* kind : {"sgd", "adam", "adamw", "rmsprop", "adagrad"}) {
    SCOPED_TRACE(kind);
    const fx::Config c0 = {{"lr", 0.01}, {"momentum", 0.9}}, c1 = {{"lr", 0.03}, {"weight_decay", 0.1}};
    auto a = fx::make_params(ft::DType::Float64);
    auto opt_a = two_groups(kind, a, c0, merged(c0, c1), true);
    optim::StepLR sched(*opt_a, 2, 0.5);  // sets initial_lr in both groups
    for (int t = 0; t < 3; ++t) {
      fx::set_grads(a, t);
      opt_a->step();
      sched.step();
    }
    auto sd = opt_a->state_dict();
    EXPECT_EQ(sd.group_params, (std::vector<std::vector<int64_t>>{{0}, {1}}));
    ASSERT_EQ(sd.param_groups.size(), 2u);
    EXPECT_EQ(sd.param_groups[0].at("lr"), 0.005);
    EXPECT_EQ(sd.param_groups[1].at("lr"), 0.015);
    EXPECT_EQ(sd.param_groups[1].at("initial_lr"), 0.03);
    EXPECT_EQ(sd.param_groups[1].at("weight_decay"), 0.1);
    EXPECT_EQ(sd.state.size(), 2u);

    std::vector<Tensor> b;
    for (const auto& p : a) b.push_back(p.detach().clone().requires_grad_());
    auto opt_b = two_groups(kind, b, {}, {}, false);
    opt_b->load_state_dict(sd);
    EXPECT_EQ(opt_b->state_dict().param_groups, sd.param_groups);
    EXPECT_EQ(opt_b->group_initial_lr(0), 0.01);
    for (int t = 3; t < 6; ++t) {
      fx::set_grads(a, t);
      fx::set_grads(b, t);
      opt_a->step();
      opt_b->step();
    }
    for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].to_double_vector(), b[k].to_double_vector());

    // PyTorch's checks: the same number of groups, of the same sizes.
    auto one = fx::make_optimizer(kind, b, {});
    EXPECT_THROW(one->load_state_dict(sd), ft::Error);
    auto sizes = fx::make_group_optimizer(kind, {{b[0], b[1]}, {}}, {{}, {}}, true);
    EXPECT_THROW(sizes->load_state_dict(sd), ft::Error);
    auto bad = sd;
    bad.state[7] = bad.state.at(0);  // state of no parameter
    EXPECT_THROW(opt_b->load_state_dict(bad), ft::Error);
  }
}

TEST(Optim, AddParamGroup) {
  Tensor p = ft::ones({3}).requires_grad_(), q = ft::ones({2}).requires_grad_();
  optim::SGD sgd({p}, {.lr = 0.1, .momentum = 0.9});
  EXPECT_THROW(sgd.add_param_group({p}), ft::Error);                             // already in a group
  EXPECT_THROW(sgd.add_param_group({q}, {.lr = -1}), ft::Error);                  // invalid lr
  EXPECT_THROW(sgd.add_param_group({q * 2}), ft::Error);                          // not a leaf
  EXPECT_THROW(optim::SGD(std::vector<optim::ParamGroup<optim::SGDOptions>>{}), ft::Error);  // no groups
  EXPECT_EQ(sgd.num_param_groups(), 1);
  sgd.add_param_group({q});  // the constructor's options
  ASSERT_EQ(sgd.num_param_groups(), 2);
  EXPECT_EQ(sgd.options(1).momentum, 0.9);
  EXPECT_EQ(sgd.params().size(), 2u);
  EXPECT_EQ(sgd.group_begin(1), 1u);
  EXPECT_EQ(sgd.group_end(1), 2u);
  EXPECT_THROW(sgd.group_lr(2), ft::Error);
  sgd.set_group_lr(1, 0.5);
  EXPECT_EQ(sgd.lr(), 0.1);
  EXPECT_EQ(sgd.group_lr(1), 0.5);
  // One step: each group's lr (first step of momentum: the gradient itself).
  (p.sum() + q.sum()).backward();
  sgd.step();
  EXPECT_EQ(p.to_double_vector(), std::vector<double>(3, double(0.9f)));
  EXPECT_EQ(q.to_double_vector(), std::vector<double>(2, 0.5));
  sgd.set_lr(0.2);  // every group
  EXPECT_EQ(sgd.group_lr(1), 0.2);
}

}  // namespace
