// write_reports: loads a run once and writes the four report files.
#include "ft/reports/report.h"

#include <filesystem>
#include <fstream>

#include "ft/error.h"
#include "report_data.h"

namespace ft::reports {
namespace {

namespace fs = std::filesystem;

// Writes to a temporary name and renames, so a reader (or a CI artifact
// upload) never sees a half-written report.
void write_file(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    FT_CHECK(out.good(), "cannot write report file ", tmp.string(),
             ": check that the --out directory is writable");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    FT_CHECK(!out.fail(), "writing report file ", tmp.string(), " failed (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  FT_CHECK(!ec, "cannot move ", tmp.string(), " to ", path.string(), ": ", ec.message());
}

}  // namespace

ReportFiles write_reports(ft::ledger::Ledger& ledger, int64_t run_id, const std::string& out_dir) {
  return write_reports(ledger, run_id, out_dir, nullptr);
}

ReportFiles write_reports(ft::ledger::Ledger& ledger, int64_t run_id, const std::string& out_dir,
                          const std::vector<AllowEntry>* allow) {
  FT_CHECK(!out_dir.empty(), "report output directory is empty: pass --out DIR");
  // Load first: a missing run must not leave an empty directory behind.
  detail::ReportData data = detail::load_report_data(ledger, run_id, allow);

  fs::path dir(out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  FT_CHECK(!ec, "cannot create report directory ", out_dir, ": ", ec.message(),
           ": pass a writable --out DIR");
  FT_CHECK(fs::is_directory(dir), "report output path ", out_dir,
           " exists but is not a directory: pass a directory to --out");

  ReportFiles files;
  files.markdown = (dir / "summary.md").string();
  files.json = (dir / "summary.json").string();
  files.html = (dir / "index.html").string();
  files.junit = (dir / "junit.xml").string();
  write_file(files.markdown, detail::render_markdown(data));
  write_file(files.json, detail::render_json(data));
  write_file(files.html, detail::render_html(data));
  write_file(files.junit, detail::render_junit(data));
  return files;
}

}  // namespace ft::reports
