// The conformance loop: for each op-table entry x dtype, generate cases from
// seeds, run them on both sides, shrink failures to a minimal case, and write
// every result to the ledger. Also the reproduce strings that replay a case.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ft/ledger/ledger.h"
#include "ft/props/runner.h"

namespace ft::props {

struct ConformOptions {
  std::vector<int> ops;            // op-table indices; empty = all
  std::vector<DType> dtypes{DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool};
  int cases = 100;                 // per op x supported dtype
  uint64_t seed = 0;
  double time_budget_s = 0;        // 0 = unlimited
  std::string mode = "strict";
  RunOptions run;                  // engine override (planted-bug tests)
  std::function<void(const std::string&)> progress;  // one line per op x dtype
  // Sharding: this process runs the op x dtype batches whose index (in
  // ops x dtypes order) is congruent to `shard` modulo `nshards`.
  int shard = 0, nshards = 1;
};

struct ConformSummary {
  int64_t cases = 0, rows = 0, passed = 0, drift = 0, error_mismatch = 0, crash = 0, skipped = 0;
  double seconds = 0;
  bool blocking() const { return drift + error_mismatch + crash > 0; }
};

ConformSummary run_conform(ledger::Ledger& ledger, int64_t run_id, const ConformOptions& opt);

// Number of op x dtype batches a run has (for progress displays).
int64_t conform_batches(const ConformOptions& opt);

// NOTE [ Parallel conformance ]
// `jobs` > 1 forks worker processes before any op runs; worker k takes shard
// k of the batches and writes to the same ledger file through its own SQLite
// connection (WAL serializes the batched transactions). Case seeds depend only
// on (run seed, op, dtype, index), so the ledger's cases are the same for any
// job count. Workers report each finished batch to the parent through a pipe;
// `on_batch(done, total, line)` is called in the parent for every batch.
ConformSummary run_conform_jobs(const std::string& ledger_path, int64_t run_id, const ConformOptions& opt, int jobs,
                                const std::function<void(int64_t, int64_t, const std::string&)>& on_batch);

// NOTE [ Reproduce strings ]
// "ftcase1:<op id>:<dtype>:<seed>:<size>:<shrink path>" regenerates a case
// exactly: the generator is run from Random(seed) at `size`, then the shrink
// tree is walked along the path (indices of the accepted shrinks). This is
// RapidCheck's own reproduce mechanism (random state, size, shrink path),
// addressed per case so that any single ledger row can be replayed.
struct Reproduce {
  std::string op_id;
  DType dtype = DType::Float32;
  uint64_t seed = 0;
  int size = 0;
  std::vector<int> shrink_path;
};
std::string format_reproduce(const Reproduce& r);
Reproduce parse_reproduce(const std::string& s);  // throws ft::Error (Value) with the expected form
CaseSpec regenerate(const Reproduce& r);          // throws when the op or path no longer exists

// Shrinks a failing case: greedily accepts the first shrink that still fails.
struct ShrinkResult {
  CaseSpec minimal;
  std::vector<int> path;
  int steps = 0;
};
ShrinkResult shrink_case(int op, DType dtype, uint64_t seed, int size,
                         const std::function<bool(const CaseSpec&)>& fails, int max_steps = 300);

}  // namespace ft::props
