// The conformance loop and case replay. See conform.h.
#include "ft/props/conform.h"

#include <chrono>
#include <sstream>

#include "ft/oracle/fixtures.h"

namespace ft::props {
namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t hash_str(const char* s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; ++s) h = (h ^ uint8_t(*s)) * 1099511628211ull;
  return h;
}

// Case seed from (run seed, op id, dtype, index): stable when ops are added.
uint64_t case_seed(uint64_t run_seed, const OpInfo& op, DType dt, int i) {
  return splitmix(splitmix(run_seed ^ hash_str(op.id)) ^ (uint64_t(int(dt)) << 32) ^ uint64_t(i));
}

rc::Shrinkable<CaseSpec> generate(int op, DType dt, uint64_t seed, int size) {
  return gen_case(op, dt)(rc::Random(seed), size);
}

// run_case, with a fixture corpus that lacks an answer (NOTE [ Fixture
// corpus ]) recorded as a crash row that says so: the harness fails closed.
std::vector<Outcome> run_case_fail_closed(const CaseSpec& spec, const RunOptions& ro) {
  try {
    return run_case(spec, ro);
  } catch (const oracle::FixtureMiss& m) {
    Outcome o;
    o.suite = "forward";
    o.outcome = "crash";
    o.message = m.what();
    o.attribution = "n/a: no oracle answer";
    return {o};
  }
}

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Runs one generated case in one mode; when it fails, shrinks it to a minimal
// case. Writes one row per outcome (plus drift details and hardened events).
// Returns whether every outcome passed.
bool record_case(ledger::Ledger& ledger, const ledger::CaseRow& base, const CaseSpec& spec, uint64_t seed, int size,
                 const RunOptions& ro, ConformSummary& sum) {
  const OpInfo& op = op_table()[spec.op];
  const double tc = now_s();
  std::vector<Outcome> outs = run_case_fail_closed(spec, ro);
  const double ms = (now_s() - tc) * 1000.0;
  Reproduce rep{op.id, spec.dtype, seed, size, {}};
  std::optional<ledger::DriftRow> drift;
  std::string min_prov_digest, min_prov_record;  // the minimized case's backward provenance
  if (!all_pass(outs)) {
    // A shrink candidate the fixture corpus cannot judge is not accepted.
    auto fails = [&](const CaseSpec& s) {
      try {
        return !all_pass(run_case(s, ro));
      } catch (const oracle::FixtureMiss&) {
        return false;
      }
    };
    ShrinkResult sh = shrink_case(spec.op, spec.dtype, seed, size, fails);
    rep.shrink_path = sh.path;
    std::vector<Outcome> min_outs = run_case_fail_closed(sh.minimal, ro);
    drift = ledger::DriftRow{};
    drift->shrink_steps = sh.steps;
    drift->minimized_case = describe(sh.minimal);
    for (const auto& mo : min_outs)
      if (mo.suite == "backward") {
        min_prov_digest = mo.provenance_digest;
        min_prov_record = mo.provenance_record;
      }
    for (const auto& mo : min_outs)
      if (!mo.ok()) {
        drift->message = mo.suite + ": " + mo.message;
        drift->first_index = mo.cmp.first_index;
        drift->engine_value = mo.cmp.engine_value;
        drift->oracle_value = mo.cmp.oracle_value;
        break;
      }
    if (drift->message.empty()) drift->message = "minimized case no longer fails: flaky?";
  }
  for (const Outcome& o : outs) {
    ledger::CaseRow row = base;
    row.suite = o.suite;
    row.shapes = shapes_str(spec);
    row.strides = strides_str(spec);
    row.outcome = o.outcome;
    row.max_abs = o.cmp.max_abs;
    row.max_rel = o.cmp.max_rel;
    row.max_ulp = o.cmp.max_ulp;
    row.atol = o.tol.atol + o.tol.extra_abs;
    row.rtol = o.tol.rtol;
    row.seed = seed;
    row.reproduce = format_reproduce(rep);
    row.duration_ms = ms;
    row.attribution = o.ok() ? "" : o.attribution.empty() ? "n/a" : o.attribution;
    // The reproduce string of a failing case leads to its minimized form:
    // record that form's provenance, so that a replay can be compared to it.
    row.provenance = drift ? (o.suite == "backward" ? min_prov_digest : "") : o.provenance_digest;
    for (const HardenedEvent& ev : o.events)
      ledger.add_event({0, base.run_id, 0, op.id, base.dtype, ev.reason, ev.detail + " (" + row.reproduce + ")"});
    sum.rows++;
    if (o.outcome == "skip") {
      sum.skipped++;
      row.skip_reason = o.skip_reason;
      ledger.add_case(row);
      continue;
    }
    if (o.ok()) {
      sum.passed++;
      ledger.add_case(row);
      continue;
    }
    if (o.outcome == "drift") sum.drift++;
    else if (o.outcome == "crash") sum.crash++;
    else sum.error_mismatch++;
    ledger::DriftRow d = *drift;
    if (d.message.empty()) d.message = o.message;
    d.provenance_record = o.suite == "backward" ? min_prov_record : "";
    ledger.add_case(row, d);
  }
  return all_pass(outs);
}

}  // namespace

std::string format_reproduce(const Reproduce& r) {
  std::ostringstream os;
  os << "ftcase1:" << r.op_id << ":" << dtype_short_name(r.dtype) << ":" << r.seed << ":" << r.size << ":";
  for (size_t i = 0; i < r.shrink_path.size(); ++i) os << (i ? "." : "") << r.shrink_path[i];
  return os.str();
}

Reproduce parse_reproduce(const std::string& s) {
  auto fail = [&](const std::string& why) {
    FT_CHECK_VALUE(false, "bad reproduce string '", s, "': ", why,
                   " (expected ftcase1:<op id>:<dtype>:<seed>:<size>:<shrink path>, e.g. ftcase1:add:f32:123:40:0.2)");
  };
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string p;
  while (std::getline(ss, p, ':')) parts.push_back(p);
  if (s.size() && s.back() == ':') parts.push_back("");
  if (parts.size() != 6 || parts[0] != "ftcase1") fail("wrong number of fields or unknown version");
  Reproduce r;
  r.op_id = parts[1];
  r.dtype = parse_dtype(parts[2]);
  try {
    r.seed = std::stoull(parts[3]);
    r.size = std::stoi(parts[4]);
    std::stringstream ps(parts[5]);
    while (std::getline(ps, p, '.'))
      if (!p.empty()) r.shrink_path.push_back(std::stoi(p));
  } catch (const std::exception&) {
    fail("seed, size and shrink path must be numbers");
  }
  return r;
}

CaseSpec regenerate(const Reproduce& r) {
  const OpInfo* op = find_op(r.op_id);
  FT_CHECK_VALUE(op != nullptr, "reproduce string names op '", r.op_id,
                 "' which is not in this build's op table (see `ftorch ops`)");
  int index = int(op - op_table());
  rc::Shrinkable<CaseSpec> cur = generate(index, r.dtype, r.seed, r.size);
  for (int step : r.shrink_path) {
    auto seq = cur.shrinks();
    int k = 0;
    bool found = false;
    while (auto child = seq.next()) {
      if (k++ == step) {
        cur = std::move(*child);
        found = true;
        break;
      }
    }
    FT_CHECK_VALUE(found, "shrink path step ", step, " does not exist: the generator changed since this case was recorded");
  }
  return cur.value();
}

ShrinkResult shrink_case(int op, DType dt, uint64_t seed, int size, const std::function<bool(const CaseSpec&)>& fails,
                         int max_steps) {
  ShrinkResult r;
  rc::Shrinkable<CaseSpec> cur = generate(op, dt, seed, size);
  for (; r.steps < max_steps;) {
    auto seq = cur.shrinks();
    int k = 0;
    bool moved = false;
    while (auto child = seq.next()) {
      if (fails(child->value())) {
        cur = std::move(*child);
        r.path.push_back(k);
        moved = true;
        break;
      }
      ++k;
    }
    if (!moved) break;
    ++r.steps;
  }
  r.minimal = cur.value();
  return r;
}

int64_t conform_batches(const ConformOptions& opt) {
  return int64_t(opt.ops.empty() ? kNumOps : opt.ops.size()) * int64_t(opt.dtypes.size());
}

ConformSummary run_conform(ledger::Ledger& ledger, int64_t run_id, const ConformOptions& opt) {
  ConformSummary sum;
  const double t0 = now_s();
  std::vector<int> ops = opt.ops;
  if (ops.empty())
    for (int i = 0; i < kNumOps; ++i) ops.push_back(i);

  std::vector<bool> modes;  // hardened flag per mode to run
  if (opt.mode == "strict" || opt.mode == "both") modes.push_back(false);
  if (opt.mode == "hardened" || opt.mode == "both") modes.push_back(true);
  FT_CHECK_VALUE(!modes.empty(), "unknown mode '", opt.mode, "': use strict, hardened or both");
  int64_t batch = -1;
  for (int opi : ops) {
    const OpInfo& op = op_table()[opi];
    for (DType dt : opt.dtypes) {
      if (++batch % opt.nshards != opt.shard) continue;
      const double t_combo = now_s();
      bool budget_out = opt.time_budget_s > 0 && now_s() - t0 > opt.time_budget_s;
      ledger::CaseRow base;
      base.run_id = run_id;
      base.op = op.id;
      base.variant = variant_name(op.variant);
      base.dtype = dtype_name(dt);
      base.mode = opt.mode;
      if (budget_out) {
        ledger::CaseRow row = base;
        row.suite = "forward";
        row.outcome = "skip";
        row.skip_reason = "time budget exhausted before this op x dtype ran";
        ledger.add_case(row);
        sum.skipped++;
        sum.rows++;
        if (opt.progress) opt.progress(std::string(op.id) + "[" + dtype_short_name(dt) + "]: skipped (time budget)");
        continue;
      }
      // Unsupported dtypes get the same number of cases: both sides must raise.
      const int n = opt.cases;
      int64_t combo_pass = 0, combo_bad = 0;
      for (int i = 0; i < n; ++i) {
        const uint64_t seed = case_seed(opt.seed, op, dt, i);
        const int size = n > 1 ? i * 100 / (n - 1) : 0;
        CaseSpec spec = generate(opi, dt, seed, size).value();
        sum.cases++;
        bool ok = true;
        for (bool hardened : modes) {
          ledger::CaseRow row = base;
          row.mode = hardened ? "hardened" : "strict";
          RunOptions ro = opt.run;
          ro.hardened = hardened;
          ok = record_case(ledger, row, spec, seed, size, ro, sum) && ok;
        }
        (ok ? combo_pass : combo_bad)++;
      }
      ledger.flush();
      if (opt.progress) {
        std::ostringstream os;
        os << op.id << "[" << dtype_short_name(dt) << "]: " << n << " cases, " << combo_pass << " pass, " << combo_bad
           << " fail (" << int((now_s() - t_combo) * 1000) << " ms)";
        opt.progress(os.str());
      }
    }
  }
  ledger.flush();
  sum.seconds = now_s() - t0;
  return sum;
}

}  // namespace ft::props
