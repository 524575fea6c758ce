// `ftorch replay CASE_ID | --file CASE.json`: re-run a ledger case (its
// minimized form) or a saved case file, and say whether it still drifts.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "ft/ledger/ledger.h"
#include "fixture_source.h"
#include "ft/props/case_json.h"
#include "ft/props/checkpoint_suite.h"
#include "ft/props/conform.h"
#include "ft/props/fuzz.h"

namespace ft::cli {
namespace {
// A fuzz program (ftprogram-json file or an "ftprog1:" ledger row): run both
// sides again and print what each did.
int replay_program(const oracle::Program& p, const std::string& origin, bool hardened) {
  std::vector<hardened::Event> events;
  auto v = hardened ? props::check_program_hardened(p, &events) : props::check_program(p);
  std::cout << origin << "\n" << props::explain_program(p, v);
  for (const auto& ev : events) std::cout << "  event " << ev.reason << ": " << ev.detail << "\n";
  bool bad = v.outcome != "pass";
  std::cout << (bad ? "still drifts\n" : "no longer drifts\n");
  return bad ? kExitDrift : kExitOk;
}

// A checkpoint-suite case ("ftckpt1:" ledger row): run every format's checks
// again and print each outcome and hardened event.
int replay_checkpoint(const std::string& reproduce, bool hardened, const std::string& origin) {
  uint64_t seed = 0;
  DType dt = DType::Float32;
  props::parse_checkpoint_reproduce(reproduce, seed, dt);
  std::cout << origin << "\n";
  bool bad = false;
  for (const auto& c : props::run_checkpoint_case(seed, dt, hardened)) {
    bad = bad || c.outcome != "pass";
    std::cout << "  " << c.format << " " << c.suite << ": " << c.outcome << (c.message.empty() ? "" : ": " + c.message)
              << "\n";
    for (const auto& ev : c.events) std::cout << "    event " << ev.reason << ": " << ev.detail << "\n";
  }
  std::cout << (bad ? "still drifts\n" : "no longer drifts\n");
  return bad ? kExitDrift : kExitOk;
}
}  // namespace

Command add_replay(CLI::App& app) {
  auto* sub = app.add_subcommand("replay", "Re-run one ledger case (its minimized form) or a case file; exit 1 if it still drifts");
  struct Opts {
    int64_t id = 0;
    std::string ledger = default_ledger_path(), file, save, mode = "strict";
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("case_id", o->id, "Case id (from the report or 'ftorch ledger cases')");
  sub->add_option("--file", o->file, "Replay a case file (fixtures/regressions/*.json) instead of a ledger case");
  sub->add_option("--save", o->save, "Write the (minimized) case as a JSON case file, e.g. into fixtures/regressions/");
  sub->add_option("--mode", o->mode, "strict or hardened")->check(CLI::IsMember({"strict", "hardened"}));
  sub->add_option("--ledger", o->ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  return {sub, [o]() -> int {
            // Without libtorch only cases of --oracle fixtures runs can be replayed.
            const std::string no_libtorch =
                "this ftorch was built without libtorch (FT_WITH_ORACLE=OFF): it can replay only cases of runs made "
                "with --oracle fixtures";
            props::CaseSpec spec;
            std::string origin;
            bool fixture_double_backward = true;  // false: the corpus cannot answer backward2
            std::string recorded_provenance;  // digest of the recorded backward pass, if any
            if (!o->file.empty()) {
              if (!oracle::libtorch_available()) return usage_error("replay", no_libtorch);
              std::ifstream in(o->file);
              std::stringstream text;
              text << in.rdbuf();
              if (in && props::is_program_json(text.str())) {
                try {
                  return replay_program(props::program_from_json(text.str(), o->file), o->file, o->mode == "hardened");
                } catch (const Error& e) {
                  return usage_error("replay", e.what());
                }
              }
              try {
                spec = props::load_case_file(o->file);
              } catch (const Error& e) {
                return usage_error("replay", e.what());
              }
              origin = o->file;
            } else {
              if (o->id <= 0) return usage_error("replay", "give a case id or --file CASE.json");
              if (!std::filesystem::exists(o->ledger))
                return usage_error("replay", "ledger '" + o->ledger + "' does not exist (pass --ledger PATH)");
              auto l = ledger::Ledger::open(o->ledger);
              auto row = l->case_by_id(o->id);
              if (!row) return usage_error("replay", "ledger has no case " + std::to_string(o->id) + " (see 'ftorch ledger cases')");
              if (row->reproduce.empty())
                return usage_error("replay", "case " + std::to_string(o->id) + " has no reproduce string (" + row->outcome + ")");
              if (props::is_checkpoint_reproduce(row->reproduce)) {
                if (!oracle::libtorch_available()) return usage_error("replay", no_libtorch);
                try {
                  return replay_checkpoint(row->reproduce, o->mode == "hardened" || row->mode == "hardened",
                                           "case " + std::to_string(o->id) + " (" + row->outcome + " when recorded): " +
                                               row->reproduce);
                } catch (const Error& e) {
                  return usage_error("replay", e.what());
                }
              }
              if (props::is_program_reproduce(row->reproduce)) {
                if (!oracle::libtorch_available()) return usage_error("replay", no_libtorch);
                try {
                  return replay_program(props::program_from_reproduce(row->reproduce),
                                        "case " + std::to_string(o->id) + " (" + row->outcome + " when recorded): " +
                                            row->reproduce,
                                        o->mode == "hardened" || row->mode == "hardened");
                } catch (const Error& e) {
                  return usage_error("replay", e.what());
                }
              }
              try {
                spec = props::regenerate(props::parse_reproduce(row->reproduce));
              } catch (const Error& e) {
                return usage_error("replay", e.what());
              }
              origin = "case " + std::to_string(o->id) + " (" + row->outcome + " when recorded): " + row->reproduce;
              // A case of a --oracle fixtures run replays against the same corpus.
              auto run = l->run(row->run_id);
              std::string corpus = run ? fixture_path_of_run(run->info.oracle_version) : "";
              if (!corpus.empty()) {
                try {
                  fixture_double_backward = use_fixture_corpus(corpus).double_backward;
                } catch (const Error& e) {
                  return usage_error("replay", "case " + std::to_string(o->id) + " was recorded against the fixture corpus " +
                                                   corpus + ", which cannot be used now: " + e.what());
                }
                origin += "\n  oracle: fixture corpus " + corpus;
              } else if (!oracle::libtorch_available()) {
                return usage_error("replay", no_libtorch);
              }
              if (row->suite == "backward") recorded_provenance = row->provenance;
            }
            std::cout << origin << "\n  " << props::describe(spec) << "\n";
            props::RunOptions ro;
            ro.hardened = o->mode == "hardened";
            ro.double_backward = fixture_double_backward;  // replays backward2 rows too (float64 cases)
            ro.gradcheck = true;        // and the gradcheck suites
            std::vector<props::Outcome> outs;
            try {
              outs = props::run_case(spec, ro);
            } catch (const oracle::FixtureMiss& m) {
              return usage_error("replay", m.what());
            }
            bool bad = false;
            for (const auto& r : outs) {
              std::cout << "  " << r.suite << ": " << r.outcome;
              if (!r.ok()) std::cout << " - " << r.message << (r.attribution.empty() ? "" : " [" + r.attribution + "]");
              std::cout << " (max abs " << r.cmp.max_abs << ", max ulp " << r.cmp.max_ulp << ")\n";
              for (const auto& ev : r.events) std::cout << "  event " << ev.reason << ": " << ev.detail << "\n";
              bad = bad || !r.ok();
              // DAC promise 3: the replayed backward pass must reproduce the recorded provenance.
              if (r.suite == "backward" && !recorded_provenance.empty()) {
                bool same = r.provenance_digest == recorded_provenance;
                std::cout << "  provenance: " << (same ? "reproduced" : "REPLAY-INCONSISTENCY") << " (recorded "
                          << recorded_provenance << ", now " << r.provenance_digest << ")\n";
                bad = bad || !same;
              }
            }
            if (!o->save.empty()) {
              props::save_case_file(spec, o->save, origin);
              std::cout << "saved to " << o->save << "\n";
            }
            std::cout << (bad ? "still drifts\n" : "no longer drifts\n");
            return bad ? kExitDrift : kExitOk;
          }};
}

}  // namespace ft::cli
