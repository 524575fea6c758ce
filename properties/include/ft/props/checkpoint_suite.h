// `ftorch conform --suite checkpoint`: the engine's three checkpoint formats
// (safetensors, native, PyTorch .pt) checked on generated state dicts.
//
// NOTE [ Checkpoint suite ]
// One case is a seed and a dtype: 1-4 tensors of that dtype (rank 0-3, empty
// sizes included, special floats included; for .pt also views that share a
// storage). Per format the case checks
//  - roundtrip: the engine writes, the engine reads; names, dtypes, sizes and
//    bytes equal (for .pt also strides, offsets and storage sharing);
//  - oracle_read / oracle_write (.pt only): libtorch's pickler reads the
//    engine's file (written as a plain dict: libtorch's C++ unpickler reads an
//    OrderedDict as None), and the engine reads libtorch's file, with the same
//    checks; libtorch's C++ unpickler never shares a storage between tensors,
//    so oracle_read compares sharing with libtorch reading its own file;
//  - corrupt: a truncated copy must be refused; a copy with one flipped byte
//    must be refused or load unchanged, unless the format has no checksum
//    (safetensors data), where any clean result passes. A crash fails.
// The loaders verify the same way in both modes; in hardened mode each
// refusal is also a checkpoint_verification_failed event (ft/hardened.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ft/hardened.h"
#include "ft/ledger/ledger.h"
#include "ft/tensor.h"

namespace ft::props {

struct CheckpointOutcome {
  std::string format;   // "safetensors" | "native" | "pt"
  std::string suite;    // "roundtrip" | "oracle_read" | "oracle_write" | "corrupt"
  std::string outcome;  // "pass" | "drift" | "crash"
  std::string message;  // what differed, or what the corrupt copy did
  std::vector<hardened::Event> events;
};

// Runs one case (see the NOTE); `hardened` installs the event sink.
std::vector<CheckpointOutcome> run_checkpoint_case(uint64_t seed, DType dtype, bool hardened);
// The dtypes the suite covers (every dtype the formats carry).
const std::vector<DType>& checkpoint_dtypes();
// "ftckpt1:SEED:DTYPE", what `ftorch replay` parses back.
std::string checkpoint_reproduce(uint64_t seed, DType dtype);
bool is_checkpoint_reproduce(const std::string& reproduce);
void parse_checkpoint_reproduce(const std::string& reproduce, uint64_t& seed, DType& dtype);

struct CheckpointSummary {
  int64_t cases = 0, rows = 0, passed = 0, drift = 0, crash = 0;
};
// `cases` cases per dtype in every mode of `modes` (false = strict, true =
// hardened); one ledger row per outcome, events into the events table.
CheckpointSummary run_checkpoint_suite(ledger::Ledger& ledger, int64_t run_id, uint64_t seed, int cases,
                                       const std::vector<bool>& modes,
                                       const std::function<void(const std::string&)>& progress);

}  // namespace ft::props
