// Using a fixture corpus as the oracle (conform --oracle fixtures, replay).
// Works with and without libtorch (NOTE [ Oracle backends ]).
#pragma once

#include <string>

#include "ft/oracle/fixtures.h"

namespace ft::cli {

// Loads the corpus at `path` and installs it as the oracle for the rest of
// the process (NOTE [ Oracle backends ]). Throws ft::Error when the file is
// missing or damaged.
const oracle::CorpusInfo& use_fixture_corpus(const std::string& path);

// The corpus path of a run made with --oracle fixtures, from its recorded
// oracle version ("fixtures PATH (libtorch ...)"); "" for a libtorch run.
std::string fixture_path_of_run(const std::string& oracle_version);

}  // namespace ft::cli
