// Parallel conformance over forked workers. See NOTE [ Parallel conformance ].
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "ft/props/conform.h"

namespace ft::props {
namespace {

// Worker -> parent messages, one per line:
//   "B <text>"  a finished batch (progress line)
//   "S <cases> <rows> <passed> <drift> <error_mismatch> <crash> <skipped>"  the worker's summary
void write_line(int fd, const std::string& line) {
  std::string s = line + "\n";
  const char* p = s.data();
  size_t left = s.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w <= 0) return;
    p += w;
    left -= size_t(w);
  }
}

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string buf;
  bool got_summary = false;
};

}  // namespace

ConformSummary run_conform_jobs(const std::string& ledger_path, int64_t run_id, const ConformOptions& opt, int jobs,
                                const std::function<void(int64_t, int64_t, const std::string&)>& on_batch) {
  const int64_t total = conform_batches(opt);
  int64_t done = 0;
  if (jobs <= 1) {
    auto ledger = ledger::Ledger::open(ledger_path);
    ConformOptions o = opt;
    o.progress = [&](const std::string& line) { on_batch(++done, total, line); };
    return run_conform(*ledger, run_id, o);
  }
  std::vector<Worker> workers(static_cast<size_t>(jobs));
  for (int k = 0; k < jobs; ++k) {
    int fds[2];
    FT_CHECK(::pipe(fds) == 0, "conform --jobs: pipe() failed: ", std::strerror(errno));
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    FT_CHECK(pid >= 0, "conform --jobs: fork() failed: ", std::strerror(errno));
    if (pid == 0) {
      ::close(fds[0]);
      int code = 0;
      try {
        auto ledger = ledger::Ledger::open(ledger_path);
        ConformOptions o = opt;
        o.shard = k;
        o.nshards = jobs;
        o.progress = [&](const std::string& line) { write_line(fds[1], "B " + line); };
        ConformSummary s = run_conform(*ledger, run_id, o);
        ledger.reset();  // flush and close before reporting done
        std::ostringstream os;
        os << "S " << s.cases << " " << s.rows << " " << s.passed << " " << s.drift << " " << s.error_mismatch << " "
           << s.crash << " " << s.skipped;
        write_line(fds[1], os.str());
      } catch (const std::exception& e) {
        write_line(fds[1], std::string("E ") + e.what());
        code = 3;
      }
      ::close(fds[1]);
      std::fflush(nullptr);
      ::_exit(code);  // no static destructors in the forked copy
    }
    ::close(fds[1]);
    workers[size_t(k)].pid = pid;
    workers[size_t(k)].fd = fds[0];
  }

  ConformSummary sum;
  std::string first_error;
  auto handle = [&](Worker& w, const std::string& line) {
    if (line.rfind("B ", 0) == 0) {
      on_batch(++done, total, line.substr(2));
    } else if (line.rfind("S ", 0) == 0) {
      std::istringstream is(line.substr(2));
      ConformSummary s;
      is >> s.cases >> s.rows >> s.passed >> s.drift >> s.error_mismatch >> s.crash >> s.skipped;
      sum.cases += s.cases; sum.rows += s.rows; sum.passed += s.passed; sum.drift += s.drift;
      sum.error_mismatch += s.error_mismatch; sum.crash += s.crash; sum.skipped += s.skipped;
      w.got_summary = true;
    } else if (line.rfind("E ", 0) == 0 && first_error.empty()) {
      first_error = line.substr(2);
    }
  };
  size_t open_fds = workers.size();
  while (open_fds > 0) {
    std::vector<pollfd> pfds;
    for (auto& w : workers)
      if (w.fd >= 0) pfds.push_back({w.fd, POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& p : pfds) {
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = *std::find_if(workers.begin(), workers.end(), [&](const Worker& x) { return x.fd == p.fd; });
      char chunk[4096];
      ssize_t n = ::read(w.fd, chunk, sizeof(chunk));
      if (n <= 0) {
        ::close(w.fd);
        w.fd = -1;
        --open_fds;
        continue;
      }
      w.buf.append(chunk, size_t(n));
      for (size_t nl; (nl = w.buf.find('\n')) != std::string::npos;) {
        std::string line = w.buf.substr(0, nl);
        w.buf.erase(0, nl + 1);
        handle(w, line);
      }
    }
  }
  bool crashed = false;
  for (auto& w : workers) {
    int status = 0;
    ::waitpid(w.pid, &status, 0);
    if (!w.got_summary || !WIFEXITED(status) || WEXITSTATUS(status) != 0) crashed = true;
  }
  FT_CHECK(first_error.empty(), "conform worker failed: ", first_error);
  if (crashed) {
    // A worker died (e.g. a segfault in a kernel): its committed cases are in
    // the ledger; the run counts as a crash so that it can never pass a gate.
    sum.crash++;
  }
  return sum;
}

}  // namespace ft::props
