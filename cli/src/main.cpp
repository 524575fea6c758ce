// ftorch: the FrankenTorch command line (see ARCHITECTURE.md, CLI contract).
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "ft/error.h"

namespace ft::cli {

std::string default_ledger_path() {
  const char* env = std::getenv("FTORCH_LEDGER");
  return env && *env ? env : "./ftorch-ledger.db";
}

int usage_error(const std::string& cmd, const std::string& msg) {
  std::cerr << "ftorch " << cmd << ": error: " << msg << "\n"
            << "Run 'ftorch " << cmd << " --help' for the options.\n";
  return kExitUsage;
}

}  // namespace ft::cli

int main(int argc, char** argv) {
  using namespace ft::cli;
  std::string joined;
  for (int i = 0; i < argc; ++i) joined += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"ftorch: FrankenTorch engine conformance harness (engine vs libtorch oracle)"};
  app.require_subcommand(1);
  std::vector<Command> cmds = {add_ops(app), add_conform(app, joined), add_report(app), add_replay(app),
                               add_ledger(app), add_gate(app), add_fuzz(app, joined), add_bench(app, joined),
                               add_checkpoint(app), add_fixtures(app, joined)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where = "";
    for (auto* s : app.get_subcommands()) where = s->get_name();
    std::cerr << "ftorch" << (where.empty() ? "" : " " + where) << ": error: " << e.what() << "\n"
              << "Run 'ftorch" << (where.empty() ? "" : " " + where) << " --help' for the options.\n";
    return kExitUsage;
  }
  try {
    for (auto& c : cmds)
      if (c.sub->parsed()) return c.run();
  } catch (const ft::Error& e) {
    std::cerr << "ftorch: error: " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}
