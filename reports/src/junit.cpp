// junit.xml: one <testsuite> per op, one <testcase name="op[dtype]"> per
// op x dtype, so CI test viewers show parity like unit tests.
//
// A testcase fails when any of its cases drifted, mismatched an error or
// crashed (NOTE [ Report status ]: skips are not failures) and the allowlist
// does not cover it; one whose cases were all skipped is reported <skipped/>.
// Allowed cases are not failures: they are listed in <system-out>, so CI stays
// green on known divergences while the report still shows them.
#include <sstream>
#include <vector>

#include "report_data.h"

namespace ft::reports::detail {
namespace {

// Failing cases listed in a <failure> or <system-out> body; the rest are counted.
constexpr size_t kMaxListed = 20;

struct CellFailures {
  std::vector<const Failure*> blocking, allowed;
  int64_t drift = 0, error_mismatch = 0, crash = 0;  // of the blocking ones
};

CellFailures cell_failures(const ReportData& d, const ft::ledger::OpSummary& s) {
  CellFailures c;
  for (const Failure& f : d.failures) {
    if (f.row.op != s.op || f.row.dtype != s.dtype) continue;
    if (f.allowed()) {
      c.allowed.push_back(&f);
      continue;
    }
    c.blocking.push_back(&f);
    c.drift += f.row.outcome == "drift";
    c.error_mismatch += f.row.outcome == "error_mismatch";
    c.crash += f.row.outcome == "crash";
  }
  return c;
}

const char* failure_type(const CellFailures& c) {
  return c.crash > 0 ? "crash" : c.error_mismatch > 0 ? "error_mismatch" : "drift";
}

// One line per case: what failed, then the replay command with the attribution.
void list_case(std::ostringstream& out, const ReportData& d, const Failure& f) {
  out << "case " << f.row.id << " " << escape_markup(f.row.outcome) << " shapes "
      << escape_markup(f.row.shapes) << ": " << escape_markup(f.drift ? f.drift->message : "")
      << "\n  " << escape_markup(replay_command(f.row.id, d.ledger_path))
      << "  [attribution: " << escape_markup(attribution_label(f.row.attribution)) << "]\n";
}

void write_testcase(std::ostringstream& cases, const ReportData& d,
                    const ft::ledger::OpSummary& s, int64_t& failures, int64_t& skipped) {
  std::string name = s.op + "[" + s.dtype + "]";
  cases << "    <testcase classname=\"frankentorch." << escape_markup(s.op) << "\" name=\""
        << escape_markup(name) << "\">\n";
  CellFailures c = cell_failures(d, s);
  if (!c.blocking.empty()) {
    ++failures;
    int64_t failing = static_cast<int64_t>(c.blocking.size());
    std::string message = std::to_string(failing) + " of " + std::to_string(s.cases) +
                          " cases failed (" + std::to_string(c.drift) + " drift, " +
                          std::to_string(c.error_mismatch) + " error_mismatch, " +
                          std::to_string(c.crash) + " crash); first drift: case " +
                          std::to_string(c.blocking.front()->row.id);
    if (!c.allowed.empty())
      message += "; " + std::to_string(c.allowed.size()) + " more allowed by the allowlist";
    cases << "      <failure type=\"" << failure_type(c) << "\" message=\""
          << escape_markup(message) << "\">";
    for (size_t i = 0; i < c.blocking.size(); ++i) {
      if (i == kMaxListed) {
        cases << "... " << c.blocking.size() - kMaxListed << " more\n";
        break;
      }
      list_case(cases, d, *c.blocking[i]);
    }
    cases << "</failure>\n";
  } else if (c.allowed.empty() && s.passed == 0 && s.skipped > 0) {
    ++skipped;
    cases << "      <skipped message=\"all " << s.skipped << " cases skipped\"/>\n";
  }
  if (!c.allowed.empty()) {
    cases << "      <system-out>" << c.allowed.size()
          << " failing cases allowed by the allowlist (not failures):\n";
    for (size_t i = 0; i < c.allowed.size(); ++i) {
      if (i == kMaxListed) {
        cases << "... " << c.allowed.size() - kMaxListed << " more\n";
        break;
      }
      const Failure& f = *c.allowed[i];
      const AllowEntry& e = d.allow[static_cast<size_t>(f.allowed_by)];
      list_case(cases, d, f);
      cases << "  allowed: " << escape_markup(e.reason) << " (attribution "
            << escape_markup(e.attribution) << ", approved by " << escape_markup(e.approved_by)
            << ")\n";
    }
    cases << "</system-out>\n";
  }
  cases << "    </testcase>\n";
}

}  // namespace

std::string render_junit(const ReportData& d) {
  int64_t total_tests = 0, total_failures = 0, total_skipped = 0;
  std::ostringstream suites;
  for (const auto& op : d.ops) {
    int64_t tests = 0, failures = 0, skipped = 0;
    std::ostringstream cases;
    for (const auto& s : d.cells) {
      if (s.op != op) continue;
      ++tests;
      write_testcase(cases, d, s, failures, skipped);
    }
    suites << "  <testsuite name=\"" << escape_markup(op) << "\" tests=\"" << tests
           << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n"
           << cases.str() << "  </testsuite>\n";
    total_tests += tests;
    total_failures += failures;
    total_skipped += skipped;
  }
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"frankentorch parity run "
    << d.run.id << "\" tests=\"" << total_tests << "\" failures=\"" << total_failures
    << "\" errors=\"0\" skipped=\"" << total_skipped << "\">\n"
    << suites.str() << "</testsuites>\n";
  return x.str();
}

}  // namespace ft::reports::detail
