// The golden fixture corpus: libtorch's answers to the harness's oracle
// calls, exported once (`ftorch fixtures export`) and replayed where libtorch
// is not at hand (`ftorch conform --oracle fixtures`).
//
// NOTE [ Fixture corpus ]
// An answer is stored under the key of the call that asked for it: a 128-bit
// hash of the call kind (forward, backward, double backward), the op id, every
// input tensor (dtype, geometry and storage bytes), the out= tensor's dtype and
// geometry (its contents are never read), every parameter, the incoming
// gradient, the differentiated inputs and the projections. The conformance
// generators are deterministic per (seed, op, dtype, case index), so a run with
// the export's seed makes exactly the calls the export made, and each finds its
// answer. A call the corpus does not have (another seed, more cases, or an
// engine whose behaviour changed so that the harness asks something new) throws
// FixtureMiss: the case is recorded as a failure naming the missing answer,
// never passed or skipped. The file: "FTFIXT01", a JSON header (how it was
// made), the records in key order, and a 64-bit FNV-1a checksum of everything
// before it, so a truncated or corrupted file is refused as a whole.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ft/oracle/backend.h"

namespace ft::oracle {

// The corpus has no answer for a call (see NOTE [ Fixture corpus ]).
struct FixtureMiss : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CorpusInfo {
  std::string oracle_version;  // the libtorch that answered
  std::string created;         // ISO-8601 UTC
  std::string argv;            // the export command
  uint64_t seed = 0;
  int cases = 0;
  std::vector<std::string> ops;     // op ids
  std::vector<std::string> dtypes;  // dtype names
  bool double_backward = false;
};

using CallKey = std::array<uint64_t, 2>;

class Corpus {
 public:
  CorpusInfo info;
  std::map<CallKey, OracleResult> answers;

  // Throws ft::Error naming the file and what is wrong with it (missing,
  // not a corpus, newer format, truncated, checksum mismatch, bad tensor).
  static Corpus load(const std::string& path);
  void save(const std::string& path) const;  // written to path.tmp, then renamed
};

// Keys of the three kinds of oracle call.
CallKey forward_key(int op_index, const EngineCall& call);
CallKey backward_key(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask);
CallKey double_backward_key(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                            const std::vector<Tensor>& proj);

// Asks libtorch and keeps every answer in `into` (the export).
class RecordingBackend : public Backend {
 public:
  explicit RecordingBackend(Corpus& into) : corpus_(into) {}
  std::string version() const override;
  OracleResult forward(int op_index, const EngineCall& call) override;
  OracleResult backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask) override;
  OracleResult double_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                               const std::vector<Tensor>& proj) override;

 private:
  Corpus& corpus_;
};

// Answers from the corpus only; a missing answer throws FixtureMiss.
class FixtureBackend : public Backend {
 public:
  FixtureBackend(const Corpus& c, std::string path) : corpus_(c), path_(std::move(path)) {}
  std::string version() const override;
  OracleResult forward(int op_index, const EngineCall& call) override;
  OracleResult backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask) override;
  OracleResult double_backward(int op_index, const EngineCall& call, const Tensor& grad_output, uint32_t diff_mask,
                               const std::vector<Tensor>& proj) override;

 private:
  OracleResult find(const CallKey& k, const char* kind, int op_index) const;
  const Corpus& corpus_;
  std::string path_;
};

}  // namespace ft::oracle
