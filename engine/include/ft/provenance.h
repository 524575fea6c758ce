// DAC promise 2: provenance of a backward pass.
//
// While a ProvenanceRecorder is alive on a thread, every backward pass on that
// thread appends a record: the nodes in execution order (sequence number, op,
// where each input edge leads, saved tensors' versions and content hashes),
// the hash of every gradient entering a node and leaving along each edge, and
// per leaf the order in which contributions were accumulated. Indices, not
// sequence numbers, identify nodes inside a record, so two runs of the same
// program in one process produce identical records (digest()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ft/tensor.h"

namespace ft::autograd {

// Content hash of a tensor: dtype, shape and the elements in logical order
// (FNV-1a over the bytes; -0.0 and NaN payloads hash as stored).
uint64_t tensor_hash(const Tensor& t);

struct ProvNode {
  int64_t index = 0;                  // position in execution order
  uint64_t sequence_nr = 0;           // the node's global sequence number (not part of the digest)
  std::string name;
  std::vector<int64_t> next;          // execution index of each edge's node (-1: none / not run)
  std::vector<uint32_t> next_input_nr;
  std::vector<uint32_t> saved_versions;
  std::vector<uint64_t> saved_hashes;
  std::vector<uint64_t> grad_in;      // per forward output: hash of the incoming gradient (0: none)
  std::vector<uint64_t> grad_out;     // per edge: hash of the outgoing gradient (0: none)
};

struct ProvLeaf {
  int64_t node_index = 0;             // the leaf's AccumulateGrad node
  std::vector<int64_t> from;          // contributing node per contribution, in accumulation order
  std::vector<uint64_t> contributions;
};

struct Provenance {
  std::vector<ProvNode> nodes;
  std::vector<ProvLeaf> leaves;
  uint64_t digest() const;            // hash of everything except sequence numbers
  std::string to_json() const;
};

// Records every backward pass of this thread into `out` while alive.
class ProvenanceRecorder {
 public:
  explicit ProvenanceRecorder(std::vector<Provenance>* out);
  ~ProvenanceRecorder();
  ProvenanceRecorder(const ProvenanceRecorder&) = delete;
  ProvenanceRecorder& operator=(const ProvenanceRecorder&) = delete;

 private:
  std::vector<Provenance>* prev_;
};

// The active recorder's sink on this thread (null: not recording).
std::vector<Provenance>* current_provenance_sink();

}  // namespace ft::autograd
