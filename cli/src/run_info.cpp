// The RunInfo every ledger-writing command (conform, fuzz, bench) starts its
// run with. Its own translation unit because FT_GIT_SHA is a per-source
// definition (cli/CMakeLists.txt), which keeps this file out of the unity batch.
#include <unistd.h>

#include "commands.h"
#include "ft/ops.h"

#ifndef FT_GIT_SHA
#define FT_GIT_SHA "unknown"
#endif

namespace ft::cli {

ledger::RunInfo new_run_info(const std::string& suite, const std::string& mode, const std::string& argv,
                             uint64_t seed, int threads, const std::string& oracle_version) {
  ledger::RunInfo info;
  info.git_sha = FT_GIT_SHA;
  info.engine_version = std::string("frankentorch ") + ft::version();
  info.oracle_version = oracle_version;
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  info.host = host;
  info.mode = mode;
  info.suite = suite;
  info.argv = argv;
  info.threads = threads;
  info.seed = seed;
  return info;
}

}  // namespace ft::cli
