// summary.json: the machine-readable report (same content as summary.md and
// index.html, no row caps).
//
// NOTE [ Report JSON numbers ]
// Non-finite doubles (NaN, +-inf) are written as null, since JSON has no
// literal for them. The run seed and case seeds are uint64 and are written as
// decimal strings so that consumers parsing numbers as doubles (jq, JavaScript)
// do not round them.
#include <cmath>
#include <nlohmann/json.hpp>

#include "report_data.h"

namespace ft::reports::detail {
namespace {

using json = nlohmann::ordered_json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json allow_entry(const AllowEntry& e) {
  return json{{"op", e.op},         {"dtype", e.dtype},
              {"suite", e.suite},   {"reason", e.reason},
              {"attribution", e.attribution}, {"approved_by", e.approved_by}};
}

json counts(int64_t cases, int64_t passed, int64_t drift, int64_t error_mismatch, int64_t crash,
            int64_t skip) {
  return json{{"cases", cases}, {"passed", passed},
              {"drift", drift}, {"error_mismatch", error_mismatch},
              {"crash", crash}, {"skip", skip}};
}

}  // namespace

std::string render_json(const ReportData& d) {
  const auto& r = d.run;
  const Totals& t = d.totals;
  json doc;
  doc["format"] = "frankentorch-report";
  doc["format_version"] = 1;
  doc["ledger"] = d.ledger_path;
  doc["result"] = t.blocking() == 0 ? "pass" : "fail";  // allowed failures do not fail
  doc["run"] = json{{"id", r.id},
                    {"uid", r.info.uid},
                    {"started", r.started},
                    {"finished", r.finished},
                    {"git_sha", r.info.git_sha},
                    {"engine_version", r.info.engine_version},
                    {"oracle_version", r.info.oracle_version},
                    {"host", r.info.host},
                    {"threads", r.info.threads},
                    {"mode", r.info.mode},
                    {"suite", r.info.suite},
                    {"seed", std::to_string(r.info.seed)},
                    {"argv", r.info.argv}};
  doc["totals"] = counts(t.cases, t.passed, t.drifted, t.error_mismatch, t.crashed, t.skipped);
  doc["totals"]["allowed"] = t.allowed;

  json ops = json::array();
  for (const auto& s : d.cells) {
    json o = json{{"op", s.op}, {"dtype", s.dtype}, {"status", status_name(status_of(s))}};
    o.update(counts(s.cases, s.passed, s.drifted, s.error_mismatch, s.crashed, s.skipped));
    o["worst_abs"] = number(s.worst_abs);
    o["worst_rel"] = number(s.worst_rel);
    o["worst_ulp"] = number(s.worst_ulp);
    o["first_failure_case_id"] = d.first_failure(s.op, s.dtype);
    ops.push_back(std::move(o));
  }
  doc["ops"] = std::move(ops);

  json failures = json::array();
  for (const auto& f : d.failures) {
    const auto& c = f.row;
    json j = json{{"case_id", c.id},
                  {"op", c.op},
                  {"dtype", c.dtype},
                  {"variant", c.variant},
                  {"suite", c.suite},
                  {"mode", c.mode},
                  {"outcome", c.outcome},
                  {"shapes", c.shapes},
                  {"strides", c.strides},
                  {"max_abs", number(c.max_abs)},
                  {"max_rel", number(c.max_rel)},
                  {"max_ulp", number(c.max_ulp)},
                  {"atol", number(c.atol)},
                  {"rtol", number(c.rtol)},
                  {"seed", std::to_string(c.seed)},
                  {"reproduce", c.reproduce},
                  {"attribution", c.attribution},
                  {"replay", replay_command(c.id, d.ledger_path)},
                  {"allowed", f.allowed()},
                  {"allowed_by", f.allowed() ? allow_entry(d.allow[static_cast<size_t>(f.allowed_by)])
                                             : json(nullptr)}};
    if (f.drift) {
      j["drift"] = json{{"message", f.drift->message},
                        {"first_index", f.drift->first_index},
                        {"engine_value", f.drift->engine_value},
                        {"oracle_value", f.drift->oracle_value},
                        {"minimized_case", f.drift->minimized_case},
                        {"shrink_steps", f.drift->shrink_steps}};
    } else {
      j["drift"] = nullptr;
    }
    failures.push_back(std::move(j));
  }
  doc["failures"] = std::move(failures);

  json skips = json::array();
  for (const auto& s : d.skips)
    skips.push_back(
        json{{"op", s.op}, {"dtype", s.dtype}, {"reason", s.reason}, {"cases", s.count}});
  doc["skips"] = std::move(skips);

  json hist = json{{"buckets", json::array()}, {"ops", json::array()}};
  for (std::string_view b : ft::ledger::kUlpBuckets) hist["buckets"].push_back(std::string(b));
  for (const auto& h : d.histograms)
    hist["ops"].push_back(json{{"op", h.op}, {"dtypes", h.dtypes}, {"counts", h.counts}});
  doc["ulp_histograms"] = std::move(hist);

  json trend = json::array();
  for (const auto& p : d.trend)
    trend.push_back(json{{"run_id", p.run_id},
                         {"uid", p.uid},
                         {"started", p.started},
                         {"git_sha", p.git_sha},
                         {"drift", p.drift},
                         {"error_mismatch", p.error_mismatch},
                         {"crash", p.crash},
                         {"skip", p.skip},
                         {"non_pass", p.non_pass()},
                         {"current", p.run_id == r.id}});
  doc["trend"] = std::move(trend);

  // Training traces with every step; null run when the ledger has none.
  json traces = json::array();
  for (const TraceSummary& t : training_traces(d)) {
    const auto& first = d.training[t.begin];
    json steps = json::array();
    for (size_t i = t.begin; i < t.end; ++i)
      steps.push_back(json{{"step", d.training[i].step},
                           {"loss_drift", number(d.training[i].loss_drift)},
                           {"param_drift", number(d.training[i].param_drift)},
                           {"pass", d.training[i].pass}});
    traces.push_back(json{{"trace", first.trace},
                          {"dtype", first.dtype},
                          {"bound", number(first.bound)},
                          {"worst_loss_drift", number(t.worst_loss)},
                          {"worst_param_drift", number(t.worst_param)},
                          {"steps_over_bound", t.over_bound},
                          {"steps", std::move(steps)}});
  }
  doc["training"] = json{{"run_id", d.training_run == 0 ? json(nullptr) : json(d.training_run)},
                         {"traces", std::move(traces)}};

  auto perf_row = [](const ft::ledger::PerfRow& p) {
    return json{{"run_id", p.run_id},         {"bench", p.bench},
                {"speedup", number(p.speedup)},       {"target", number(p.target)},
                {"engine_p50_ns", number(p.engine_p50_ns)}, {"engine_p99_ns", number(p.engine_p99_ns)},
                {"oracle_p50_ns", number(p.oracle_p50_ns)}, {"oracle_p99_ns", number(p.oracle_p99_ns)},
                {"samples", p.samples},       {"threads", p.threads}};
  };
  json bench = json::array(), bench_history = json::array();
  for (const auto& p : d.perf) bench.push_back(perf_row(p));
  for (const auto& p : d.perf_history) bench_history.push_back(perf_row(p));
  doc["bench"] = json{{"run_id", d.perf_run == 0 ? json(nullptr) : json(d.perf_run)},
                      {"benchmarks", std::move(bench)},
                      {"history", std::move(bench_history)}};

  json events = json::array();
  for (const auto& e : d.events)
    events.push_back(json{{"id", e.id},
                          {"case_id", e.case_id},
                          {"op", e.op},
                          {"dtype", e.dtype},
                          {"reason", e.reason},
                          {"detail", e.detail}});
  doc["events"] = std::move(events);

  // null: no allowlist was given; [] an empty one.
  json allowlist = d.has_allowlist ? json::array() : json(nullptr);
  for (size_t i = 0; i < d.allow.size(); ++i) {
    json e = allow_entry(d.allow[i]);
    e["cases"] = d.allow_hits[i];
    allowlist.push_back(std::move(e));
  }
  doc["allowlist"] = std::move(allowlist);

  // replace: a stray invalid UTF-8 byte in a printed value must not abort the report.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ft::reports::detail
