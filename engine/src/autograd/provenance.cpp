// Provenance records of backward passes (see ft/provenance.h).
#include "ft/provenance.h"

#include <sstream>

namespace ft::autograd {
namespace {

thread_local std::vector<Provenance>* sink = nullptr;

struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, size_t n) {
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  void u64(uint64_t v) { bytes(&v, sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
};

}  // namespace

std::vector<Provenance>* current_provenance_sink() { return sink; }

ProvenanceRecorder::ProvenanceRecorder(std::vector<Provenance>* out) : prev_(sink) { sink = out; }
ProvenanceRecorder::~ProvenanceRecorder() { sink = prev_; }

uint64_t tensor_hash(const Tensor& t) {
  if (!t.defined()) return 0;
  Fnv f;
  f.u64(uint64_t(t.dtype()));
  f.u64(uint64_t(t.dim()));
  for (int64_t s : t.sizes()) f.u64(uint64_t(s));
  Tensor c = t.contiguous();
  if (c.numel() > 0) f.bytes(c.data_ptr(), size_t(c.numel() * c.element_size()));
  return f.h == 0 ? 1 : f.h;  // 0 is reserved for "no tensor"
}

uint64_t Provenance::digest() const {
  Fnv f;
  for (const auto& n : nodes) {
    f.u64(uint64_t(n.index));
    f.str(n.name);
    for (int64_t x : n.next) f.u64(uint64_t(x));
    for (uint32_t x : n.next_input_nr) f.u64(x);
    for (uint32_t x : n.saved_versions) f.u64(x);
    for (uint64_t x : n.saved_hashes) f.u64(x);
    for (uint64_t x : n.grad_in) f.u64(x);
    for (uint64_t x : n.grad_out) f.u64(x);
  }
  for (const auto& l : leaves) {
    f.u64(uint64_t(l.node_index));
    for (int64_t x : l.from) f.u64(uint64_t(x));
    for (uint64_t x : l.contributions) f.u64(x);
  }
  return f.h;
}

std::string Provenance::to_json() const {
  std::ostringstream os;
  auto list = [&os](const auto& v) {
    os << "[";
    for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
    os << "]";
  };
  auto hexlist = [&os](const std::vector<uint64_t>& v) {
    os << "[";
    for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << "\"" << std::hex << v[i] << std::dec << "\"";
    os << "]";
  };
  os << "{\"digest\":\"" << std::hex << digest() << std::dec << "\",\"nodes\":[";
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    os << (i ? "," : "") << "{\"index\":" << n.index << ",\"seq\":" << n.sequence_nr << ",\"op\":\"" << n.name
       << "\",\"next\":";
    list(n.next);
    os << ",\"next_input_nr\":";
    list(n.next_input_nr);
    os << ",\"saved_versions\":";
    list(n.saved_versions);
    os << ",\"saved_hashes\":";
    hexlist(n.saved_hashes);
    os << ",\"grad_in\":";
    hexlist(n.grad_in);
    os << ",\"grad_out\":";
    hexlist(n.grad_out);
    os << "}";
  }
  os << "],\"leaves\":[";
  for (size_t i = 0; i < leaves.size(); ++i) {
    os << (i ? "," : "") << "{\"node\":" << leaves[i].node_index << ",\"from\":";
    list(leaves[i].from);
    os << ",\"contributions\":";
    hexlist(leaves[i].contributions);
    os << "}";
  }
  os << "]}";
  return os.str();
}

}  // namespace ft::autograd
