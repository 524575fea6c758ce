// `ftorch fuzz autograd`: random autograd programs, engine vs libtorch.
#include <unistd.h>

#include <iostream>
#include <random>

#include "commands.h"
#include "ft/ledger/ledger.h"
#include "ft/op_table.h"
#include "ft/oracle/backend.h"
#include "ft/oracle/bridge.h"
#include "ft/props/fuzz.h"

namespace ft::cli {

Command add_fuzz(CLI::App& app, const std::string& argv_joined) {
  auto* sub = app.add_subcommand("fuzz", "Fuzz the engine against libtorch: 'fuzz autograd' runs random autograd programs");
  struct Opts {
    std::string target, ledger = default_ledger_path(), save_dir = "fixtures/fuzz";
    double seconds = 10;
    uint64_t seed = 0;
    bool seed_set = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("target", o->target, "What to fuzz: autograd")->required()->check(CLI::IsMember({"autograd"}));
  sub->add_option("--time", o->seconds, "Seconds to run (default 10)")->check(CLI::PositiveNumber);
  sub->add_option_function<uint64_t>("--seed", [o](uint64_t s) { o->seed = s; o->seed_set = true; }, "Seed (default: random, printed)");
  sub->add_option("--ledger", o->ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--save-dir", o->save_dir, "Where minimized failures are written as program files (default fixtures/fuzz)");
  return {sub, [o, argv_joined]() -> int {
            if (!oracle::libtorch_available())
              return usage_error("fuzz", "fuzzing compares with libtorch, and this ftorch was built without it (FT_WITH_ORACLE=OFF)");
            auto ledger = ledger::Ledger::open(o->ledger);
            ledger::RunInfo info = new_run_info("fuzz-autograd", "strict", argv_joined,
                                                o->seed_set ? o->seed : std::random_device{}(), 1, oracle::version());
            int64_t run = ledger->begin_run(info);
            std::cout << "ftorch fuzz autograd: run " << run << ", seed " << info.seed << ", " << o->seconds << " s\n";
            props::FuzzOptions fo;
            fo.seconds = o->seconds;
            fo.seed = info.seed;
            fo.save_dir = o->save_dir;
            fo.log = [](const std::string& s) { std::cout << s << "\n" << std::flush; };
            props::FuzzSummary s = props::run_fuzz(*ledger, run, fo);
            ledger->finish_run(run);
            std::printf("%lld programs in %.1f s (%.0f programs/s): %lld pass (%lld with both sides raising), %lld fail\n",
                        (long long)s.programs, s.seconds, s.seconds > 0 ? double(s.programs) / s.seconds : 0.0,
                        (long long)s.passed, (long long)s.both_raised, (long long)s.failed);
            return s.failed ? kExitDrift : kExitOk;
          }};
}

}  // namespace ft::cli
