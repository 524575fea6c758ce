// LR schedulers against torch.optim.lr_scheduler 1.13: the group lr (and the
// cycled momentum / beta1 of OneCycleLR) after the constructor and after each
// of 50 steps, compared bit for bit with the values PyTorch computed
// (tests/python/make_optim_fixtures.py); plus state_dict round trips and
// argument errors.
#include "ft/optim/lr_scheduler.h"
#include "optim_fixture_util.h"

namespace {

namespace fx = ft::test::optim_fx;
namespace optim = ft::optim;

std::unique_ptr<optim::LRScheduler> make_scheduler(const std::string& kind, optim::Optimizer& opt,
                                                   const fx::Config& c) {
  const auto last_epoch = int64_t(fx::get(c, "last_epoch", -1));
  if (last_epoch != -1) opt.set_group_initial_lr(0, opt.group_lr(0));  // what a resumed optimizer carries
  if (kind == "StepLR")
    return std::make_unique<optim::StepLR>(opt, int64_t(fx::get(c, "step_size", 0)), fx::get(c, "gamma", 0.1),
                                           last_epoch);
  if (kind == "MultiStepLR") {
    std::vector<int64_t> ms;
    for (int i = 0; c.count("milestone" + std::to_string(i)); ++i)
      ms.push_back(int64_t(c.at("milestone" + std::to_string(i))));
    return std::make_unique<optim::MultiStepLR>(opt, ms, fx::get(c, "gamma", 0.1), last_epoch);
  }
  if (kind == "ExponentialLR") return std::make_unique<optim::ExponentialLR>(opt, fx::get(c, "gamma", 0), last_epoch);
  if (kind == "LinearLR")
    return std::make_unique<optim::LinearLR>(opt, fx::get(c, "start_factor", 1.0 / 3), fx::get(c, "end_factor", 1.0),
                                             int64_t(fx::get(c, "total_iters", 5)), last_epoch);
  if (kind == "CosineAnnealingLR")
    return std::make_unique<optim::CosineAnnealingLR>(opt, int64_t(fx::get(c, "T_max", 0)), fx::get(c, "eta_min", 0),
                                                      last_epoch);
  EXPECT_EQ(kind, "OneCycleLR") << "unknown scheduler";
  optim::OneCycleLROptions o;
  o.max_lr = fx::get(c, "max_lr", 0);
  o.total_steps = int64_t(fx::get(c, "total_steps", 0));
  o.epochs = int64_t(fx::get(c, "epochs", 0));
  o.steps_per_epoch = int64_t(fx::get(c, "steps_per_epoch", 0));
  o.pct_start = fx::get(c, "pct_start", o.pct_start);
  o.anneal_strategy = fx::get(c, "anneal_strategy", 0) != 0 ? "linear" : "cos";
  o.cycle_momentum = fx::get(c, "cycle_momentum", 1) != 0;
  o.base_momentum = fx::get(c, "base_momentum", o.base_momentum);
  o.max_momentum = fx::get(c, "max_momentum", o.max_momentum);
  o.div_factor = fx::get(c, "div_factor", o.div_factor);
  o.final_div_factor = fx::get(c, "final_div_factor", o.final_div_factor);
  o.three_phase = fx::get(c, "three_phase", 0) != 0;
  return std::make_unique<optim::OneCycleLR>(opt, o, last_epoch);
}

double momentum_of(const optim::Optimizer& opt) {
  return opt.momentum_kind() == optim::Optimizer::MomentumKind::None ? 0.0 : opt.group_momentum(0);
}

TEST(SchedParity, LrSequencesMatchTorchBitForBit) {
  FT_NEED_OPTIM_FIXTURES();
  auto recs = fx::records(dir, "SCHED");
  ASSERT_GE(recs.size(), 16u);
  for (const auto& r : recs) {
    ASSERT_EQ(r.size(), 8u);
    SCOPED_TRACE(r[1]);
    ft::Tensor p = ft::zeros({3}).requires_grad_();
    auto opt = fx::make_optimizer(r[2], {p}, fx::parse_config(r[3]));
    auto sched = make_scheduler(r[4], *opt, fx::parse_config(r[5]));
    const auto want_lr = fx::hex_list(r[6]), want_mom = fx::hex_list(r[7]);
    ASSERT_EQ(want_lr.size(), 51u);
    for (size_t i = 0; i < want_lr.size(); ++i) {
      if (i > 0) {
        opt->step();
        sched->step();
      }
      EXPECT_EQ(opt->group_lr(0), want_lr[i]) << "after " << i << " steps";
      EXPECT_EQ(sched->get_last_lr().at(0), want_lr[i]);
      EXPECT_EQ(momentum_of(*opt), want_mom[i]) << "momentum after " << i << " steps";
    }
  }
}

// Two parameter groups (different lr and momentum): every group follows its
// own sequence, as PyTorch's schedulers update each group.
TEST(SchedParity, TwoParamGroupsMatchTorchBitForBit) {
  FT_NEED_OPTIM_FIXTURES();
  auto recs = fx::records(dir, "SCHEDG");
  ASSERT_EQ(recs.size(), 5u);
  for (const auto& r : recs) {
    ASSERT_EQ(r.size(), 11u);
    SCOPED_TRACE(r[1]);
    fx::Config c0 = fx::parse_config(r[3]), c1 = c0;
    for (const auto& [k, v] : fx::parse_config(r[4])) c1[k] = v;  // the second group overrides
    ft::Tensor p = ft::zeros({3}).requires_grad_(), q = ft::zeros({2}).requires_grad_();
    auto opt = fx::make_group_optimizer(r[2], {{p}, {q}}, {c0, c1}, false);
    auto sched = make_scheduler(r[5], *opt, fx::parse_config(r[6]));
    const std::vector<double> want_lr[2] = {fx::hex_list(r[7]), fx::hex_list(r[8])};
    const std::vector<double> want_mom[2] = {fx::hex_list(r[9]), fx::hex_list(r[10])};
    for (size_t i = 0; i < want_lr[0].size(); ++i) {
      if (i > 0) {
        opt->step();
        sched->step();
      }
      for (int64_t g = 0; g < 2; ++g) {
        EXPECT_EQ(opt->group_lr(g), want_lr[g].at(i)) << "group " << g << " after " << i << " steps";
        EXPECT_EQ(sched->get_last_lr().at(size_t(g)), want_lr[g].at(i));
        EXPECT_EQ(opt->group_momentum(g), want_mom[g].at(i)) << "group " << g << " momentum after " << i;
      }
    }
  }
}

TEST(SchedParity, ReduceLROnPlateauMatchesTorchBitForBit) {
  FT_NEED_OPTIM_FIXTURES();
  auto recs = fx::records(dir, "PLATEAU");
  ASSERT_EQ(recs.size(), 4u);
  for (const auto& r : recs) {
    ASSERT_EQ(r.size(), 5u);
    SCOPED_TRACE(r[1]);
    const auto c = fx::parse_config(r[2]);
    optim::ReduceLROnPlateauOptions o;
    o.mode = fx::get(c, "mode", 0) != 0 ? "max" : "min";
    o.threshold_mode = fx::get(c, "threshold_mode", 0) != 0 ? "abs" : "rel";
    o.factor = fx::get(c, "factor", o.factor);
    o.patience = int64_t(fx::get(c, "patience", double(o.patience)));
    o.threshold = fx::get(c, "threshold", o.threshold);
    o.cooldown = int64_t(fx::get(c, "cooldown", 0));
    o.min_lr = fx::get(c, "min_lr", 0);
    o.eps = fx::get(c, "eps", o.eps);
    ft::Tensor p = ft::zeros({3}).requires_grad_();
    optim::SGD opt({p}, {.lr = 0.1});
    optim::ReduceLROnPlateau sched(opt, o);
    EXPECT_TRUE(sched.get_last_lr().empty());
    const auto metrics = fx::hex_list(r[3]), want = fx::hex_list(r[4]);
    ASSERT_EQ(metrics.size(), want.size());
    int reductions = 0;
    for (size_t i = 0; i < metrics.size(); ++i) {
      const double before = opt.lr();
      sched.step(metrics[i]);
      reductions += opt.lr() != before;
      EXPECT_EQ(opt.lr(), want[i]) << "after step " << i + 1;
    }
    EXPECT_GT(reductions, 0);  // the configuration exercises a reduction
  }
}

// Engine-only: a scheduler restored from state_dict continues the sequence.
TEST(LRScheduler, StateDictRoundTrip) {
  ft::Tensor p = ft::zeros({3}).requires_grad_();
  optim::SGD a({p}, {.lr = 0.1}), b({p}, {.lr = 0.1});
  optim::CosineAnnealingLR sa(a, 10, 0.001);
  for (int i = 0; i < 13; ++i) sa.step();
  b.set_lr(a.lr());
  b.set_group_initial_lr(0, 0.1);
  optim::CosineAnnealingLR sb(b, 10, 0.001, 0);  // resumed at epoch 0, then overwritten
  sb.load_state_dict(sa.state_dict());
  b.set_lr(a.lr());
  for (int i = 0; i < 20; ++i) {
    sa.step();
    sb.step();
    EXPECT_EQ(a.lr(), b.lr());
  }
  optim::ReduceLROnPlateau ra(a, {.patience = 1}), rb(b, {.patience = 1});
  for (double m : {1.0, 0.5, 0.6, 0.7}) ra.step(m);
  rb.load_state_dict(ra.state_dict());
  b.set_lr(a.lr());
  for (double m : {0.8, 0.9, 0.4, 0.45, 0.5}) {
    ra.step(m);
    rb.step(m);
    EXPECT_EQ(a.lr(), b.lr());
  }
}

TEST(LRScheduler, BadArgumentsRaise) {
  ft::Tensor p = ft::zeros({3}).requires_grad_();
  optim::SGD sgd({p}, {.lr = 0.1});
  EXPECT_THROW(optim::LinearLR(sgd, 1.5), ft::Error);
  EXPECT_THROW(optim::LinearLR(sgd, 0.5, -0.1), ft::Error);
  EXPECT_THROW(optim::StepLR(sgd, 0), ft::Error);
  EXPECT_THROW(optim::CosineAnnealingLR(sgd, 0), ft::Error);
  optim::Adam adam({p}, {});
  EXPECT_THROW(optim::StepLR(adam, 3, 0.1, 5), ft::Error);  // resuming needs initial_lr
  EXPECT_THROW(optim::ReduceLROnPlateau(sgd, {.factor = 1.0}), ft::Error);
  EXPECT_THROW(optim::ReduceLROnPlateau(sgd, {.mode = "up"}), ft::Error);
  EXPECT_THROW(optim::ReduceLROnPlateau(sgd, {.threshold_mode = "pct"}), ft::Error);
  optim::Adagrad ada({p}, {});
  EXPECT_THROW(optim::OneCycleLR(ada, {.max_lr = 0.1, .total_steps = 10}), ft::Error);  // no momentum
  EXPECT_THROW(optim::OneCycleLR(sgd, {.max_lr = 0.1}), ft::Error);                     // no length
  EXPECT_THROW(optim::OneCycleLR(sgd, {.max_lr = 0.1, .total_steps = 10, .anneal_strategy = "exp"}), ft::Error);
  optim::OneCycleLR one(sgd, {.max_lr = 0.1, .total_steps = 3});
  for (int i = 0; i < 3; ++i) one.step();
  EXPECT_THROW(one.step(), ft::Error);  // past total_steps, as PyTorch
}

}  // namespace

namespace {

// The README's scheduler example, compiled.
TEST(LRScheduler, ReadmeExample) {
  ft::Tensor w = ft::zeros({3}).requires_grad_();
  ft::optim::SGD opt({w}, {.lr = 0.1, .momentum = 0.9});
  ft::optim::OneCycleLR sched(opt, {.max_lr = 0.1, .total_steps = 100});
  for (int i = 0; i < 100; ++i) {
    (w * w).sum().backward();
    opt.step();
    sched.step();
    opt.zero_grad();
  }
  // torch 1.13 gives this value (step 100 overshoots the cosine's end at step 99).
  EXPECT_EQ(opt.lr(), 0x1.a9b137c48025ap-15);
}

}  // namespace
