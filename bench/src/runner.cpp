// The benchmark runner: warm-up, calibration, interleaved sampling, medians.
//
// NOTE [ Interleaved sampling ]
// Shared 2-core machines drift (frequency, neighbours). Timing all engine
// samples and then all oracle samples would put that drift into the ratio,
// so samples alternate engine, oracle, engine, ... and each side's median is
// taken over the same wall-clock window. A sample runs `iters` iterations,
// calibrated so a sample lasts about 200 us (tiny ops would otherwise measure
// the clock); training steps use one iteration per sample so p99 shows the
// step-time tail. Samples alternate in blocks (about 1/12 of the time budget)
// rather than one by one: both sides' thread pools spin after a job, and a
// pool still spinning would steal a core from the other side's sample.
#include <algorithm>
#include <chrono>
#include <optional>
#include <regex>
#include <thread>

#include "ft/bench/bench.h"
#include "ft/error.h"

namespace ft::bench {
namespace {

using Clock = std::chrono::steady_clock;

double time_iters(const Workload& w, int64_t iters) {
  auto t0 = Clock::now();
  for (int64_t i = 0; i < iters; ++i) w.run();
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
}

// Iterations per sample so that one sample takes at least `target_ns`.
int64_t calibrate(const Workload& w, double target_ns) {
  int64_t iters = 1;
  for (;;) {
    double ns = time_iters(w, iters);
    if (ns >= target_ns || iters >= (int64_t(1) << 24)) return iters;
    double per = std::max(ns / double(iters), 1.0);
    iters = std::max(iters * 2, int64_t(target_ns / per) + 1);
  }
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t idx = size_t(q * double(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

bool selected(const BenchSpec& s, const BenchOptions& o, const std::regex* re) {
  if (!o.suite.empty() && o.suite != "all" && o.suite != s.suite) return false;
  return !re || std::regex_search(s.name, *re);
}

}  // namespace

std::vector<BenchResult> run_benchmarks(const BenchOptions& opts,
                                        const std::function<void(const BenchResult&)>& progress) {
  int threads = opts.threads > 0 ? opts.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  set_engine_threads(threads);
  set_oracle_threads(threads);
  std::optional<std::regex> re;
  if (!opts.filter.empty()) {
    try {
      re.emplace(opts.filter);
    } catch (const std::regex_error& e) {
      FT_CHECK(false, "--filter '", opts.filter, "' is not a valid regular expression (", e.what(), ")");
    }
  }
  if (!opts.suite.empty() && opts.suite != "all") {
    bool known = false;
    for (const auto& s : bench_specs()) known |= opts.suite == s.suite;
    FT_CHECK(known, "unknown bench suite '", opts.suite, "'; suites: ops, autograd, nn, train, io, all");
  }
  std::vector<BenchResult> out;
  for (const BenchSpec& s : bench_specs()) {
    if (!selected(s, opts, re ? &*re : nullptr)) continue;
    Workload eng = make_engine_workload(s.name);
    Workload ora = make_oracle_workload(s.name);
    BenchResult r;
    r.name = s.name;
    r.target = s.target;
    if (opts.once) {  // smoke: each side runs once; the times mean nothing
      r.engine_p50_ns = r.engine_p99_ns = time_iters(eng, 1);
      r.oracle_p50_ns = r.oracle_p99_ns = time_iters(ora, 1);
      r.samples = 1;
    } else {
      // Warm-up: caches, allocator free lists, OpenBLAS/OpenMP thread pools.
      const double warm_ns = s.train_step ? 50e6 : 20e6;
      for (double t = 0; t < warm_ns;) t += time_iters(eng, 1) + time_iters(ora, 1);
      int64_t ie = s.train_step ? 1 : calibrate(eng, 2e5);
      int64_t io = s.train_step ? 1 : calibrate(ora, 2e5);
      std::vector<double> se, so;
      const double budget_ns = opts.seconds_per_bench * 1e9;
      double spent = 0;
      // Blocks of samples per side (NOTE [ Interleaved sampling ]): each
      // side's thread pool spins for a while after its last job, so the
      // first sample after a switch is discarded.
      const double block_ns = budget_ns / 12;
      auto block = [&](const Workload& w, int64_t iters, std::vector<double>& out) {
        double t = 0;
        int k = 0;
        do {
          double ns = time_iters(w, iters);
          if (k++ > 0 || s.train_step) out.push_back(ns / double(iters));
          t += ns;
        } while (t < block_ns || k < 3);
        return t;
      };
      while ((spent < budget_ns || se.size() < 15) && se.size() < 4000) spent += block(eng, ie, se) + block(ora, io, so);
      r.engine_p50_ns = percentile(se, 0.5);
      r.engine_p99_ns = percentile(se, 0.99);
      r.oracle_p50_ns = percentile(so, 0.5);
      r.oracle_p99_ns = percentile(so, 0.99);
      r.samples = int64_t(se.size());
    }
    r.speedup = r.engine_p50_ns > 0 ? r.oracle_p50_ns / r.engine_p50_ns : 0;
    if (eng.bytes > 0) {
      r.engine_gbps = eng.bytes / r.engine_p50_ns;
      r.oracle_gbps = ora.bytes / r.oracle_p50_ns;
    }
    if (eng.flops > 0) {
      r.engine_gflops = eng.flops / r.engine_p50_ns;
      r.oracle_gflops = ora.flops / r.oracle_p50_ns;
    }
    if (progress) progress(r);
    out.push_back(r);
  }
  return out;
}

}  // namespace ft::bench
