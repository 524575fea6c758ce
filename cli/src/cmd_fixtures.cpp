// `ftorch fixtures export`: runs the conformance cases against libtorch and
// keeps libtorch's answers as a golden corpus (NOTE [ Fixture corpus ]), for
// `ftorch conform --oracle fixtures` where libtorch is not installed.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ft/op_table.h"
#include "fixture_source.h"
#include "ft/props/conform.h"

namespace ft::cli {

const oracle::CorpusInfo& use_fixture_corpus(const std::string& path) {
  // Lives until exit: forked conform workers inherit it, and the backend
  // stays installed for every later oracle call.
  static std::unique_ptr<oracle::Corpus> corpus;
  static std::unique_ptr<oracle::FixtureBackend> backend;
  corpus = std::make_unique<oracle::Corpus>(oracle::Corpus::load(path));
  backend = std::make_unique<oracle::FixtureBackend>(*corpus, path);
  oracle::set_backend(backend.get());
  return corpus->info;
}

std::string fixture_path_of_run(const std::string& v) {
  const std::string prefix = "fixtures ";
  if (v.compare(0, prefix.size(), prefix) != 0) return "";
  size_t paren = v.rfind(" (");
  return v.substr(prefix.size(), paren == std::string::npos ? std::string::npos : paren - prefix.size());
}

Command add_fixtures(CLI::App& app, const std::string& argv_joined) {
  auto* sub = app.add_subcommand("fixtures", "Golden oracle corpora: export libtorch's answers for offline conformance runs");
  sub->require_subcommand(1);
  auto* exp = sub->add_subcommand("export", "Run the conformance cases on libtorch and write its answers to a corpus file");
  struct Opts {
    std::string out, ops, dtypes = "f32,f64,i64,i32,bool";
    int cases = 10;
    uint64_t seed = 1;
    bool double_backward = false, gradcheck = false;
  };
  auto o = std::make_shared<Opts>();
  exp->add_option("--out", o->out, "Corpus file to write (e.g. fixtures/golden/corpus.ftfx)")->required();
  exp->add_option("--ops", o->ops, "Comma-separated op ids or names (default: all; see 'ftorch ops')");
  exp->add_option("--dtypes", o->dtypes, "Comma-separated dtypes (default f32,f64,i64,i32,bool)");
  exp->add_option("--cases", o->cases, "Cases per op variant x dtype (default 10)")->check(CLI::PositiveNumber);
  exp->add_option("--seed", o->seed, "Run seed; conform --oracle fixtures replays exactly this seed (default 1)");
  exp->add_flag("--double-backward", o->double_backward, "Also keep the second-order gradients (conform --double-backward)");
  exp->add_flag("--gradcheck", o->gradcheck,
                "Also keep the answers gradcheck failures consult (upstream attribution, conform --gradcheck)");
  return {sub, [o, exp, argv_joined]() -> int {
            if (!exp->parsed()) return usage_error("fixtures", "name a subcommand: export");
            if (!oracle::libtorch_available())
              return usage_error("fixtures", "exporting asks libtorch, and this ftorch was built without it (FT_WITH_ORACLE=OFF)");
            props::ConformOptions co;
            std::string err;
            if (!o->ops.empty()) {
              co.ops = resolve_ops(split_csv(o->ops), err);
              if (!err.empty()) return usage_error("fixtures", err);
            }
            co.dtypes = resolve_dtypes(o->dtypes, err);
            if (!err.empty()) return usage_error("fixtures", err);
            co.cases = o->cases;
            co.seed = o->seed;
            co.run.double_backward = o->double_backward;
            co.run.gradcheck = o->gradcheck;
            std::filesystem::path parent = std::filesystem::path(o->out).parent_path();
            if (!parent.empty() && !std::filesystem::is_directory(parent))
              return usage_error("fixtures", "directory '" + parent.string() + "' of --out does not exist");

            oracle::Corpus corpus;
            corpus.info.oracle_version = oracle::libtorch_version();
            corpus.info.argv = argv_joined;
            corpus.info.seed = co.seed;
            corpus.info.cases = co.cases;
            corpus.info.double_backward = o->double_backward;
            if (co.ops.empty())
              for (int i = 0; i < kNumOps; ++i) corpus.info.ops.push_back(op_table()[i].id);
            else
              for (int i : co.ops) corpus.info.ops.push_back(op_table()[i].id);
            for (DType d : co.dtypes) corpus.info.dtypes.push_back(dtype_name(d));

            // The cases run as in conform, in this process (the recording
            // backend keeps answers in memory), with a throwaway ledger.
            auto ledger = ledger::Ledger::open(":memory:");
            ledger::RunInfo info = new_run_info("fixtures-export", "strict", argv_joined, co.seed, 1, corpus.info.oracle_version);
            corpus.info.created = ledger->run(ledger->begin_run(info))->started;
            oracle::RecordingBackend rec(corpus);
            oracle::set_backend(&rec);
            props::ConformSummary s = props::run_conform(*ledger, ledger->latest_run_id(), co);
            oracle::set_backend(nullptr);
            corpus.save(o->out);
            std::printf("%zu oracle answers for %lld cases of %zu op variants x %zu dtypes (seed %llu) written to %s "
                        "(%.1f MB)\n",
                        corpus.answers.size(), (long long)s.cases, corpus.info.ops.size(), corpus.info.dtypes.size(),
                        (unsigned long long)co.seed, o->out.c_str(),
                        double(std::filesystem::file_size(o->out)) / 1e6);
            std::printf("replay: ftorch conform --oracle fixtures --fixtures %s\n", o->out.c_str());
            return kExitOk;
          }};
}

}  // namespace ft::cli
