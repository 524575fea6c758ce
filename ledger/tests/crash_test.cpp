// Crash safety: a writer killed with SIGKILL loses only its unflushed batch.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ft/ledger/ledger.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

TEST(LedgerCrash, SigkillLosesOnlyUncommittedCases) {
  testing::TempDir dir;
  std::string path = dir.file("crash.db");
  constexpr int kBatch = 16, kFlushed = 5 * kBatch, kUnflushed = kBatch - 1;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: no gtest assertions here; report failure through the exit code.
    try {
      auto l = Ledger::open(path, kBatch);
      int64_t run = l->begin_run(RunInfo{});
      for (int i = 0; i < kFlushed + kUnflushed; ++i) {
        CaseRow c;
        c.run_id = run;
        c.op = "add";
        c.dtype = "float32";
        c.outcome = "pass";
        c.seed = static_cast<uint64_t>(i);
        l->add_case(c);
      }
      if (l->pending_count() != static_cast<size_t>(kUnflushed)) _exit(3);
      kill(getpid(), SIGKILL);  // no destructor, no final flush
    } catch (...) {
      _exit(2);
    }
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  auto l = Ledger::open(path);
  EXPECT_EQ(l->integrity_check(), "ok");
  auto cases = l->cases(l->latest_run_id());
  ASSERT_EQ(cases.size(), static_cast<size_t>(kFlushed));
  for (int i = 0; i < kFlushed; ++i) EXPECT_EQ(cases[i].seed, static_cast<uint64_t>(i));
}

}  // namespace
}  // namespace ft::ledger
