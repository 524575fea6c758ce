// `ftorch bench`: engine vs libtorch, interleaved in one process; medians,
// p99 and speedups (oracle median / engine median), optional JSON.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands.h"
#include "ft/allocator.h"
#include "ft/ops.h"
#ifdef FT_HAVE_LIBTORCH
#include "ft/bench/bench.h"
#endif

namespace ft::cli {
namespace {
// libtorch's OpenMP threads busy-wait after each parallel region by default
// (OMP_WAIT_POLICY=active); in one process on 2 cores that spinning steals
// the second core from the engine's samples and vice versa, so each side
// would measure the other's idle threads. GOMP reads the policy when it is
// loaded, so bench re-executes itself once with OMP_WAIT_POLICY=passive
// unless the user chose a policy (see bench/NOTES.md).
void ensure_omp_wait_policy() {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t b = 0; b < all.size();) {
    size_t e = all.find('\0', b);
    if (e == std::string::npos) e = all.size();
    args.push_back(all.substr(b, e - b));
    b = e + 1;
  }
  if (args.empty()) return;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  ::execv("/proc/self/exe", argv.data());  // returns only on failure: then measure as we are
}
}  // namespace

Command add_bench(CLI::App& app, const std::string& argv_joined) {
  auto* sub = app.add_subcommand("bench", "Benchmark the engine against libtorch side by side (medians and speedups)");
  struct Opts {
    std::string suite = "all", filter, json, ledger;
    int threads = 0;
    double seconds = 0.6;
    bool once = false, list = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--suite", o->suite, "Suite: ops, autograd, nn, train, io or all (default all)");
  sub->add_option("--filter", o->filter, "Only benchmarks whose name matches this regular expression");
  sub->add_option("--json", o->json, "Also write the results as JSON to this path");
  sub->add_option("--threads", o->threads, "Threads for both sides (default: all hardware threads)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--seconds", o->seconds, "Sampling time per benchmark and side pair (default 0.6)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--ledger", o->ledger,
                  "Also record the results in this ledger as a run of suite 'bench' (perf table; the report charts them)");
  sub->add_flag("--once", o->once, "Smoke mode: run each workload once per side (checks the harness, not speed)");
  sub->add_flag("--list", o->list, "List the benchmarks and exit");
  return {sub, [o, argv_joined]() -> int {
#ifndef FT_HAVE_LIBTORCH
            return usage_error("bench", "this ftorch was built without the libtorch oracle (FT_WITH_ORACLE=OFF)");
#else
            if (!o->list) ensure_omp_wait_policy();
            if (o->list) {
              for (const auto& s : bench::bench_specs())
                std::printf("%-24s %-9s target >= %-5.2f %s\n", s.name, s.suite, s.target, s.workload);
              return kExitOk;
            }
            // Smoke runs time one iteration: recording them would put
            // meaningless speedups into the report's history.
            if (o->once && !o->ledger.empty())
              return usage_error("bench", "--once measures nothing worth recording: drop --ledger or --once");
            bench::BenchOptions bo;
            bo.suite = o->suite;
            bo.filter = o->filter;
            bo.threads = o->threads;
            bo.seconds_per_bench = o->seconds;
            bo.once = o->once;
            std::printf("%-24s %12s %12s %12s %12s %8s %7s  %s\n", "benchmark", "engine p50", "engine p99",
                        "torch p50", "torch p99", "speedup", "target", "throughput (engine / torch)");
            auto fmt_ns = [](double ns) {
              char b[32];
              if (ns < 1e3) std::snprintf(b, sizeof b, "%.0f ns", ns);
              else if (ns < 1e6) std::snprintf(b, sizeof b, "%.2f us", ns / 1e3);
              else std::snprintf(b, sizeof b, "%.2f ms", ns / 1e6);
              return std::string(b);
            };
            auto results = bench::run_benchmarks(bo, [&](const bench::BenchResult& r) {
              std::string extra;
              char b[96];
              if (r.engine_gbps > 0) {
                std::snprintf(b, sizeof b, "%.1f / %.1f GB/s", r.engine_gbps, r.oracle_gbps);
                extra = b;
              } else if (r.engine_gflops > 0) {
                std::snprintf(b, sizeof b, "%.1f / %.1f GFLOP/s", r.engine_gflops, r.oracle_gflops);
                extra = b;
              }
              const char* mark = o->once ? "" : (r.speedup >= r.target ? "" : "  (below target)");
              std::printf("%-24s %12s %12s %12s %12s %7.2fx %6.2fx  %s%s\n", r.name.c_str(),
                          fmt_ns(r.engine_p50_ns).c_str(), fmt_ns(r.engine_p99_ns).c_str(),
                          fmt_ns(r.oracle_p50_ns).c_str(), fmt_ns(r.oracle_p99_ns).c_str(), r.speedup, r.target,
                          extra.c_str(), mark);
              std::fflush(stdout);
            });
            if (results.empty()) return usage_error("bench", "no benchmark matches --suite/--filter (see --list)");
            const int threads = o->threads > 0 ? o->threads : int(std::thread::hardware_concurrency());
            if (!o->ledger.empty()) {
              auto l = ledger::Ledger::open(o->ledger);
              int64_t run = l->begin_run(new_run_info("bench", "strict", argv_joined, 0, threads, bench::oracle_version()));
              std::vector<ledger::PerfRow> rows;
              for (const auto& r : results) {
                ledger::PerfRow p;
                p.run_id = run;
                p.bench = r.name;
                p.engine_p50_ns = r.engine_p50_ns;
                p.engine_p99_ns = r.engine_p99_ns;
                p.oracle_p50_ns = r.oracle_p50_ns;
                p.oracle_p99_ns = r.oracle_p99_ns;
                p.speedup = r.speedup;
                p.target = r.target;
                p.samples = r.samples;
                p.threads = threads;
                rows.push_back(std::move(p));
              }
              l->add_perf(rows);
              l->finish_run(run);
              std::printf("recorded as run %lld in %s\n", (long long)run, o->ledger.c_str());
            }
            bench::AllocationCount alloc{};
            bool have_alloc = false;
            for (const auto& s : bench::bench_specs())
              if (std::string(s.name) == "mlp_train_step") have_alloc = true;
            if (have_alloc) {
              alloc = bench::measure_train_step_allocations();
              std::printf("train_step_allocations: %.1f storage system allocations, %.1f heap allocations per mlp_train_step\n",
                          alloc.storage_system_allocs, alloc.heap_allocs);
            }
            if (!o->json.empty()) {
              nlohmann::json arr = nlohmann::json::array();
              for (const auto& r : results) {
                nlohmann::json j = {{"name", r.name},           {"engine_p50_ns", r.engine_p50_ns},
                                    {"engine_p99_ns", r.engine_p99_ns}, {"oracle_p50_ns", r.oracle_p50_ns},
                                    {"oracle_p99_ns", r.oracle_p99_ns}, {"speedup", r.speedup},
                                    {"target", r.target},       {"samples", r.samples}};
                if (r.engine_gbps > 0) j["engine_gbps"] = r.engine_gbps, j["oracle_gbps"] = r.oracle_gbps;
                if (r.engine_gflops > 0) j["engine_gflops"] = r.engine_gflops, j["oracle_gflops"] = r.oracle_gflops;
                arr.push_back(j);
              }
              nlohmann::json doc = {{"oracle_version", bench::oracle_version()},
                                    {"engine_version", ft::version()},
                                    {"threads", threads},
                                    {"smoke", o->once},
                                    {"benchmarks", arr}};
              if (have_alloc) {
                doc["train_step_allocations"] = alloc.storage_system_allocs;
                doc["train_step_heap_allocations"] = alloc.heap_allocs;
              } else {
                doc["train_step_allocations"] = nullptr;
              }
              std::ofstream f(o->json);
              if (!f) return usage_error("bench", "cannot write --json file '" + o->json + "'");
              f << doc.dump(2) << "\n";
            }
            return kExitOk;
#endif
          }};
}

}  // namespace ft::cli
