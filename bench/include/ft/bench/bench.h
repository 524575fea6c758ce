// Side-by-side benchmarks: each benchmark is one named workload built twice,
// once on the engine and once on libtorch, timed interleaved in one process.
//
// NOTE [ Two translation units, one list ]
// The engine workloads (engine_workloads.cpp) never see libtorch headers and
// the oracle workloads (oracle_workloads.cpp) are the only bench file that
// includes them, so the build stays lean. Both sides are looked up by the
// same name from kBenchSpecs; a name one side does not know is an error, not
// a skip.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ft::bench {

// A prepared workload: run() executes one iteration. bytes/flops per
// iteration (0 = not meaningful) turn medians into GB/s or GFLOP/s.
struct Workload {
  std::function<void()> run;
  double bytes = 0;
  double flops = 0;
};

struct BenchSpec {
  const char* name;
  const char* suite;     // "ops", "autograd", "nn", "train", "io"
  const char* workload;  // human description
  double target;         // target speedup (oracle median / engine median)
  bool train_step;       // one iteration per sample (tail latency matters)
};

const std::vector<BenchSpec>& bench_specs();

// Build the named workload on each side; throws ft::Error for unknown names.
Workload make_engine_workload(const std::string& name);
Workload make_oracle_workload(const std::string& name);
// Both sides run on `threads` threads.
void set_engine_threads(int threads);
void set_oracle_threads(int threads);
std::string oracle_version();

struct BenchResult {
  std::string name;
  double engine_p50_ns = 0, engine_p99_ns = 0, oracle_p50_ns = 0, oracle_p99_ns = 0;
  double speedup = 0, target = 0;
  double engine_gbps = 0, oracle_gbps = 0, engine_gflops = 0, oracle_gflops = 0;
  int64_t samples = 0;
};

struct BenchOptions {
  std::string filter;        // ECMAScript regex over names ("" = all)
  std::string suite;         // "" or "all" = every suite
  int threads = 0;           // 0 = hardware concurrency
  double seconds_per_bench = 0.6;
  bool once = false;         // smoke mode: one iteration per side, no timing claims
};

// Runs the selected benchmarks; `progress` gets one line per finished benchmark.
std::vector<BenchResult> run_benchmarks(const BenchOptions& opts,
                                        const std::function<void(const BenchResult&)>& progress);

// System allocator calls (storage allocations that missed the cache plus
// global operator new calls) per steady-state engine mlp_train_step.
struct AllocationCount {
  double storage_system_allocs = 0;
  double heap_allocs = 0;
};
AllocationCount measure_train_step_allocations();

}  // namespace ft::bench
