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
    std::string target, ledger = default_ledger_path(), save_dir = "fixtures/fuzz", mode = "strict";
    double seconds = 10;
    uint64_t seed = 0;
    bool seed_set = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("target", o->target, "What to fuzz: autograd")->required()->check(CLI::IsMember({"autograd"}));
  sub->add_option("--time", o->seconds, "Seconds to run (default 10)")->check(CLI::PositiveNumber);
  sub->add_option_function<uint64_t>("--seed", [o](uint64_t s) { o->seed = s; o->seed_set = true; }, "Seed (default: random, printed)");
  sub->add_option("--ledger", o->ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--mode", o->mode,
                  "strict (PyTorch behaviour), hardened (plus the engine's defensive checks: each intervention is "
                  "an event in the ledger, and the result must equal strict mode's bit for bit) or both")
      ->check(CLI::IsMember({"strict", "hardened", "both"}));
  sub->add_option("--save-dir", o->save_dir, "Where minimized failures are written as program files (default fixtures/fuzz)");
  return {sub, [o, argv_joined]() -> int {
            if (!oracle::libtorch_available())
              return usage_error("fuzz", "fuzzing compares with libtorch, and this ftorch was built without it (FT_WITH_ORACLE=OFF)");
            auto ledger = ledger::Ledger::open(o->ledger);
            ledger::RunInfo info = new_run_info("fuzz-autograd", o->mode, argv_joined,
                                                o->seed_set ? o->seed : std::random_device{}(), 1, oracle::version());
            int64_t run = ledger->begin_run(info);
            std::cout << "ftorch fuzz autograd: run " << run << ", seed " << info.seed << ", " << o->seconds << " s\n";
            props::FuzzOptions fo;
            fo.seconds = o->seconds;
            fo.seed = info.seed;
            fo.save_dir = o->save_dir;
            fo.modes.clear();
            if (o->mode != "hardened") fo.modes.push_back(false);
            if (o->mode != "strict") fo.modes.push_back(true);
            // A terminal gets one redrawn progress line; a log (CI) a plain line every 10 s.
            const bool tty = isatty(STDOUT_FILENO);
            auto drawn = std::make_shared<bool>(false);
            fo.log = [tty, drawn](const std::string& s) {
              if (tty && *drawn) std::cout << "\r\033[K";
              *drawn = false;
              std::cout << s << "\n" << std::flush;
            };
            fo.progress_interval_s = tty ? 0.25 : 10.0;
            const double total = o->seconds;
            fo.progress = [tty, drawn, total](const props::FuzzSummary& p) {
              const double rate = p.seconds > 0 ? double(p.programs) / p.seconds : 0.0;
              if (!tty) {
                std::printf("[%.0f/%.0f s] %lld programs (%.0f/s), %lld fail\n", p.seconds, total, (long long)p.programs,
                            rate, (long long)p.failed);
                std::fflush(stdout);
                return;
              }
              const int width = 30;
              const int filled = int(width * std::min(1.0, p.seconds / total));
              std::printf("\r\033[K[%s%s] %.1f/%.0f s  %lld programs (%.0f/s)  %lld fail", std::string(size_t(filled), '#').c_str(),
                          std::string(size_t(width - filled), '.').c_str(), p.seconds, total, (long long)p.programs, rate,
                          (long long)p.failed);
              std::fflush(stdout);
              *drawn = true;
            };
            props::FuzzSummary s = props::run_fuzz(*ledger, run, fo);
            if (tty && *drawn) std::cout << "\n";
            ledger->finish_run(run);
            std::printf("%lld programs in %.1f s (%.0f programs/s): %lld pass (%lld with both sides raising), %lld fail\n",
                        (long long)s.programs, s.seconds, s.seconds > 0 ? double(s.programs) / s.seconds : 0.0,
                        (long long)s.passed, (long long)s.both_raised, (long long)s.failed);
            return s.failed ? kExitDrift : kExitOk;
          }};
}

}  // namespace ft::cli
