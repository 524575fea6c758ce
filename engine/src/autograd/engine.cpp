// The backward engine. See NOTE [ Autograd graph ] in ft/autograd.h.
//
// NOTE [ Deterministic execution order ]
// 1. Walk the graph from the roots and count, per node, the edges that point
//    at it (dependencies).
// 2. A node is ready when all its dependencies have delivered. Among ready
//    nodes the one with the highest sequence number runs first (the most
//    recently created op), exactly as PyTorch's CPU ready queue orders them.
// 3. Gradients arriving at the same input slot are summed in arrival order,
//    which by (2) is a deterministic function of the program.
#include <queue>
#include <unordered_map>

#include "ft/autograd.h"
#include "ft/ops.h"

namespace ft::autograd {
namespace {

struct BySeq {
  bool operator()(const Node* a, const Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

// PyTorch's validate_outputs: reduce broadcast gradients to the input's shape
// and cast them to its dtype.
Tensor validate(const Node& node, size_t i, Tensor g) {
  if (!g.defined() || i >= node.input_meta.size()) return g;
  const auto& [shape, dtype] = node.input_meta[i];
  if (!g.sizes().equals(shape)) {
    bool expandable = g.dim() >= int64_t(shape.size());
    for (size_t k = 0; expandable && k < shape.size(); ++k) {
      int64_t gs = g.sizes()[size_t(g.dim()) - shape.size() + k];
      expandable = shape[k] == gs || shape[k] == 1;
    }
    FT_CHECK(expandable, "Function ", node.name(), " returned an invalid gradient at index ", i, " - got ",
             shape_str(g.sizes()), " but expected shape compatible with ", shape_str(shape));
    g = sum_to(g, shape);
  }
  if (g.dtype() != dtype) g = g.to(dtype);
  return g;
}

}  // namespace

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots, bool retain_graph,
              bool create_graph) {
  FT_CHECK(roots.size() == grad_roots.size(), "backward: got ", roots.size(), " tensors and ", grad_roots.size(),
           " gradients");
  std::optional<NoGradGuard> ng;
  std::optional<EnableGradGuard> eg;
  if (create_graph) eg.emplace(); else ng.emplace();

  std::unordered_map<Node*, int> deps;
  std::unordered_map<Node*, std::vector<Tensor>> buffers;
  std::vector<std::shared_ptr<Node>> keep_alive;  // roots' nodes live through the pass

  // 1. Dependencies over the reachable graph.
  std::vector<Node*> stack;
  std::unordered_map<Node*, bool> seen;
  for (size_t r = 0; r < roots.size(); ++r) {
    FT_CHECK(roots[r].requires_grad(), "element ", r, " of tensors does not require grad and does not have a grad_fn");
    Edge e = gradient_edge(roots[r]);
    FT_CHECK(grad_roots[r].sizes().equals(roots[r].sizes()), "Mismatch in shape: grad_output[", r, "] has a shape of ",
             shape_str(grad_roots[r].sizes()), " and output[", r, "] has a shape of ", shape_str(roots[r].sizes()), ".");
    keep_alive.push_back(e.fn);
    auto& buf = buffers[e.fn.get()];
    buf.resize(std::max<size_t>(buf.size(), e.fn->num_outputs()));
    Tensor g = grad_roots[r];
    if (g.dtype() != roots[r].dtype()) g = g.to(roots[r].dtype());
    buf[e.input_nr] = buf[e.input_nr].defined() ? buf[e.input_nr] + g : g;
    if (!seen[e.fn.get()]) { seen[e.fn.get()] = true; stack.push_back(e.fn.get()); }
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next_edges()) {
      if (!e.fn) continue;
      deps[e.fn.get()]++;
      if (!seen[e.fn.get()]) { seen[e.fn.get()] = true; stack.push_back(e.fn.get()); }
    }
  }

  // 2. Run ready nodes, highest sequence number first.
  std::priority_queue<Node*, std::vector<Node*>, BySeq> ready;
  for (auto& [n, buf] : buffers)
    if (deps[n] == 0) ready.push(n);
  while (!ready.empty()) {
    Node* n = ready.top();
    ready.pop();
    std::vector<Tensor> in = std::move(buffers[n]);
    buffers.erase(n);
    in.resize(n->num_outputs());
    std::vector<Tensor> out = n->apply(std::move(in));
    if (!retain_graph) n->release_saved();
    auto& edges = n->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.fn) continue;
      Node* next = e.fn.get();
      if (i < out.size() && out[i].defined()) {
        Tensor g = validate(*n, i, std::move(out[i]));
        auto& buf = buffers[next];
        buf.resize(std::max<size_t>(buf.size(), next->num_outputs()));
        buf[e.input_nr] = buf[e.input_nr].defined() ? buf[e.input_nr] + g : g;
      }
      if (--deps[next] == 0) {
        if (buffers.count(next)) ready.push(next);
        else {
          // Nothing arrived (all contributions were zero): the subgraph below
          // still has to release its dependencies.
          buffers[next].resize(next->num_outputs());
          ready.push(next);
        }
      }
    }
  }
}

}  // namespace ft::autograd
