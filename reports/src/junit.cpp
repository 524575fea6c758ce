// junit.xml: one <testsuite> per op, one <testcase name="op[dtype]"> per
// op x dtype, so CI test viewers show parity like unit tests.
//
// A testcase fails when any of its cases drifted, mismatched an error or
// crashed (NOTE [ Report status ]: skips are not failures); one whose cases
// were all skipped is reported <skipped/>.
#include <sstream>

#include "report_data.h"

namespace ft::reports::detail {
namespace {

// Failing cases listed in a <failure> body; the rest are counted.
constexpr size_t kMaxListed = 20;

const char* failure_type(const ft::ledger::OpSummary& s) {
  return s.crashed > 0 ? "crash" : s.error_mismatch > 0 ? "error_mismatch" : "drift";
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
      std::string name = op + "[" + s.dtype + "]";
      cases << "    <testcase classname=\"frankentorch." << escape_markup(op) << "\" name=\""
            << escape_markup(name) << "\">\n";
      int64_t failing = s.drifted + s.error_mismatch + s.crashed;
      if (failing > 0) {
        ++failures;
        int64_t first = d.first_failure(s.op, s.dtype);
        std::string message = std::to_string(failing) + " of " + std::to_string(s.cases) +
                              " cases failed (" + std::to_string(s.drifted) + " drift, " +
                              std::to_string(s.error_mismatch) + " error_mismatch, " +
                              std::to_string(s.crashed) + " crash); first drift: case " +
                              std::to_string(first);
        cases << "      <failure type=\"" << failure_type(s) << "\" message=\""
              << escape_markup(message) << "\">";
        size_t listed = 0;
        for (const auto& f : d.failures) {
          if (f.row.op != s.op || f.row.dtype != s.dtype) continue;
          if (listed++ == kMaxListed) {
            cases << "... " << failing - static_cast<int64_t>(kMaxListed) << " more\n";
            break;
          }
          cases << "case " << f.row.id << " " << escape_markup(f.row.outcome) << " shapes "
                << escape_markup(f.row.shapes) << ": "
                << escape_markup(f.drift ? f.drift->message : "") << "\n  "
                << escape_markup(replay_command(f.row.id, d.ledger_path)) << "\n";
        }
        cases << "</failure>\n";
      } else if (s.passed == 0 && s.skipped > 0) {
        ++skipped;
        cases << "      <skipped message=\"all " << s.skipped << " cases skipped\"/>\n";
      }
      cases << "    </testcase>\n";
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
