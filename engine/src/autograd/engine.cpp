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
#include "ft/provenance.h"

namespace ft::autograd {
namespace {

// The pass's bookkeeping lives in the small-object pool: a steady-state
// training step's backward makes no system allocation (NOTE [ Small-object pool ]).
template <typename K, typename V>
using PoolMap = std::unordered_map<K, V, std::hash<K>, std::equal_to<K>, pool::Allocator<std::pair<const K, V>>>;

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

// One backward pass: the reachable graph, its dependency counts and input
// buffers, which nodes must run, and what to capture for autograd::grad.
struct GraphTask {
  PoolMap<Node*, int> deps;
  PoolMap<Node*, std::vector<Tensor>> buffers;
  PoolMap<Node*, bool> needed;                        // runs (or is captured)
  PoolMap<Node*, std::vector<std::pair<uint32_t, size_t>>> captures;  // node -> (slot, result index)
  std::vector<Tensor> captured;
  std::vector<bool> captured_any;
  // The inputs' gradient edges stay alive through the pass: a leaf's
  // AccumulateGrad is only held weakly by the tensor, so one that no graph
  // node holds (the leaf is itself an output, or unused) would otherwise die
  // and its address, the key above, could be reused by another node.
  std::vector<std::shared_ptr<Node>> pinned;
  bool accumulate = true;                                         // false: grad() (leaves untouched)
  PoolMap<Node*, bool> accumulate_only;                // backward(inputs=): the AccumulateGrads to run
  // Provenance (only when a recorder is active).
  Provenance* prov = nullptr;
  PoolMap<Node*, int64_t> exec_index;
  PoolMap<Node*, size_t> leaf_slot;
  std::vector<std::pair<Node*, std::vector<Node*>>> edge_targets;  // per recorded node
};

// Anomaly mode: a backward node that returned NaN is named, with the forward
// op that created it (PyTorch prints that op's traceback as a warning).
void check_anomaly(const Node& n, const std::vector<Tensor>& out) {
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].defined() || !is_floating(out[i].dtype())) continue;
    NoGradGuard ng;
    if (!ft::isnan(out[i]).any().item<bool>()) continue;
    FT_ERROR("Function '", n.name(), "' returned nan values in its ", i, "th output.",
             n.forward_op() ? detail::str_cat(" It was created by the forward op '", n.forward_op(), "'.") : std::string());
  }
}

void add_to_buffer(GraphTask& task, Node* next, uint32_t slot, Tensor g, Node* from) {
  auto& buf = task.buffers[next];
  buf.resize(std::max<size_t>(buf.size(), next->num_outputs()));
  if (task.prov && dynamic_cast<AccumulateGrad*>(next)) {
    auto it = task.leaf_slot.find(next);
    if (it == task.leaf_slot.end()) {
      it = task.leaf_slot.emplace(next, task.prov->leaves.size()).first;
      task.prov->leaves.push_back({});
    }
    ProvLeaf& leaf = task.prov->leaves[it->second];
    auto ei = task.exec_index.find(from);
    leaf.from.push_back(ei == task.exec_index.end() ? -1 : ei->second);
    leaf.contributions.push_back(tensor_hash(g));
  }
  buf[slot] = buf[slot].defined() ? buf[slot] + g : std::move(g);
}

// Marks the nodes that lead to a capture target (or to an AccumulateGrad that
// is allowed to run); only those execute.
bool mark_needed(GraphTask& task, Node* n, PoolMap<Node*, int>& state) {
  int& st = state[n];
  if (st == 2) return task.needed[n];
  if (st == 1) return false;  // cycles cannot happen in an autograd graph; be safe
  st = 1;
  // A plain backward() runs every reachable node, as PyTorch does (with an
  // empty exec_info): a node whose gradients go nowhere still checks its
  // saved tensors' versions, so error parity holds.
  bool need = task.captures.count(n) > 0 || (task.accumulate && task.accumulate_only.empty());
  if (dynamic_cast<AccumulateGrad*>(n))
    need = need || (task.accumulate && (task.accumulate_only.empty() || task.accumulate_only.count(n)));
  for (const Edge& e : n->next_edges())
    if (e.fn && mark_needed(task, e.fn.get(), state)) need = true;
  st = 2;
  task.needed[n] = need;
  return need;
}

void run_graph(GraphTask& task, const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots,
               bool retain_graph) {
  PoolVector<std::shared_ptr<Node>> keep_alive;  // roots' nodes live through the pass
  PoolVector<Node*> stack;
  PoolMap<Node*, bool> seen;
  for (size_t r = 0; r < roots.size(); ++r) {
    FT_CHECK(roots[r].requires_grad(), "element ", r, " of tensors does not require grad and does not have a grad_fn");
    Edge e = gradient_edge(roots[r]);
    FT_CHECK(grad_roots[r].sizes().equals(roots[r].sizes()), "Mismatch in shape: grad_output[", r,
             "] has a shape of ", shape_str(grad_roots[r].sizes()), " and output[", r, "] has a shape of ",
             shape_str(roots[r].sizes()), ".");
    keep_alive.push_back(e.fn);
    Tensor g = grad_roots[r];
    if (g.dtype() != roots[r].dtype()) g = g.to(roots[r].dtype());
    add_to_buffer(task, e.fn.get(), e.input_nr, g, nullptr);
    if (!seen[e.fn.get()]) {
      seen[e.fn.get()] = true;
      stack.push_back(e.fn.get());
    }
  }
  PoolVector<Node*> all;
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    all.push_back(n);
    for (const Edge& e : n->next_edges()) {
      if (!e.fn) continue;
      task.deps[e.fn.get()]++;
      if (!seen[e.fn.get()]) {
        seen[e.fn.get()] = true;
        stack.push_back(e.fn.get());
      }
    }
  }
  PoolMap<Node*, int> state;
  for (Node* n : all) mark_needed(task, n, state);

  std::priority_queue<Node*, PoolVector<Node*>, BySeq> ready;
  for (auto& [n, buf] : task.buffers)
    if (task.deps[n] == 0) ready.push(n);
  while (!ready.empty()) {
    Node* n = ready.top();
    ready.pop();
    std::vector<Tensor> in = std::move(task.buffers[n]);
    task.buffers.erase(n);
    in.resize(n->num_outputs());
    // Hooks on this node's incoming gradients (register_hook, retain_grad).
    for (auto& h : n->pre_hooks) {
      if (h.output_nr >= in.size()) continue;
      Tensor r = h.fn(in[h.output_nr]);
      if (r.defined()) in[h.output_nr] = r;
    }
    if (auto it = task.captures.find(n); it != task.captures.end())
      for (auto [slot, idx] : it->second)
        if (slot < in.size() && in[slot].defined()) {
          task.captured[idx] = in[slot];
          task.captured_any[idx] = true;
        }
    bool run = task.needed[n] && !(dynamic_cast<AccumulateGrad*>(n) &&
                                   (!task.accumulate || (!task.accumulate_only.empty() && !task.accumulate_only.count(n))));
    ProvNode* pn = nullptr;
    if (task.prov && run) {
      task.exec_index[n] = int64_t(task.prov->nodes.size());
      task.prov->nodes.push_back({});
      pn = &task.prov->nodes.back();
      pn->index = task.exec_index[n];
      pn->sequence_nr = n->sequence_nr();
      pn->name = n->name();
      for (const SavedTensor* st : n->saved_tensors()) {
        pn->saved_versions.push_back(st->saved_version());
        pn->saved_hashes.push_back(tensor_hash(st->peek()));
      }
      for (const Tensor& g : in) pn->grad_in.push_back(tensor_hash(g));
      std::vector<Node*> targets;
      for (const Edge& e : n->next_edges()) {
        targets.push_back(e.fn.get());
        pn->next_input_nr.push_back(e.input_nr);
      }
      task.edge_targets.push_back({n, targets});
    }
    std::vector<Tensor> out;
    if (run) out = n->apply(std::move(in));
    if (run && is_anomaly_enabled()) check_anomaly(*n, out);
    if (run && !retain_graph) n->release_saved();
    auto& edges = n->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      Tensor g;
      if (run && i < out.size() && out[i].defined() && e.fn) g = validate(*n, i, std::move(out[i]));
      if (pn) pn->grad_out.push_back(tensor_hash(g));
      if (!e.fn) continue;
      Node* next = e.fn.get();
      if (g.defined()) add_to_buffer(task, next, e.input_nr, std::move(g), n);
      if (--task.deps[next] == 0) {
        task.buffers[next].resize(next->num_outputs());  // nothing may have arrived: still release its subgraph
        ready.push(next);
      }
    }
  }
  if (task.prov) {
    for (auto& [n, targets] : task.edge_targets) {
      ProvNode& pn = task.prov->nodes[size_t(task.exec_index[n])];
      for (Node* t : targets) {
        auto it = t ? task.exec_index.find(t) : task.exec_index.end();
        pn.next.push_back(it == task.exec_index.end() ? -1 : it->second);
      }
    }
    for (auto& [n, slot] : task.leaf_slot) {
      auto it = task.exec_index.find(n);
      task.prov->leaves[slot].node_index = it == task.exec_index.end() ? -1 : it->second;
    }
  }
}

// Starts provenance recording for a pass when a recorder is active.
void begin_provenance(GraphTask& task) {
  if (auto* sinkv = current_provenance_sink()) {
    sinkv->push_back({});
    task.prov = &sinkv->back();
  }
}

}  // namespace

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots, std::optional<bool> retain_graph,
              bool create_graph, const std::vector<Tensor>& inputs) {
  FT_CHECK(roots.size() == grad_roots.size(), "backward: got ", roots.size(), " tensors and ", grad_roots.size(),
           " gradients");
  std::optional<NoGradGuard> ng;
  std::optional<EnableGradGuard> eg;
  if (create_graph) eg.emplace(); else ng.emplace();
  GraphTask task;
  begin_provenance(task);
  // backward(inputs=...): only those leaves accumulate; non-leaf inputs get
  // their gradient captured into .grad like a retained gradient.
  std::vector<std::pair<size_t, Tensor>> nonleaf_inputs;
  for (const Tensor& t : inputs) {
    Edge e = gradient_edge(t);
    FT_CHECK(e.valid(), "One of the differentiated Tensors does not require grad");
    task.pinned.push_back(e.fn);
    if (t.is_leaf()) {
      task.accumulate_only[e.fn.get()] = true;
    } else {
      task.captures[e.fn.get()].push_back({e.input_nr, task.captured.size()});
      task.captured.emplace_back();
      task.captured_any.push_back(false);
      nonleaf_inputs.push_back({task.captured.size() - 1, t});
    }
  }
  if (!inputs.empty() && task.accumulate_only.empty()) task.accumulate = false;
  run_graph(task, roots, grad_roots, retain_graph.value_or(create_graph));
  for (auto& [idx, t] : nonleaf_inputs) {
    if (!task.captured_any[idx]) continue;
    auto& m = t.impl()->ensure_autograd_meta();
    m.grad = m.grad.defined() ? m.grad + task.captured[idx] : task.captured[idx];
  }
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, std::optional<bool> retain_graph, bool create_graph,
                         bool allow_unused) {
  FT_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "grad requires one grad_output per output: got ",
           grad_outputs.size(), " for ", outputs.size(), " outputs");
  std::vector<Tensor> gos = grad_outputs;
  if (gos.empty())
    for (const Tensor& o : outputs) {
      FT_CHECK(o.numel() == 1, "grad can be implicitly created only for scalar outputs");
      gos.push_back(ones(o.sizes(), o.dtype()));
    }
  std::optional<NoGradGuard> ng;
  std::optional<EnableGradGuard> eg;
  if (create_graph) eg.emplace(); else ng.emplace();
  GraphTask task;
  task.accumulate = false;
  begin_provenance(task);
  for (size_t i = 0; i < inputs.size(); ++i) {
    Edge e = gradient_edge(inputs[i]);
    FT_CHECK(e.valid(), "One of the differentiated Tensors does not require grad");
    task.pinned.push_back(e.fn);
    task.captures[e.fn.get()].push_back({e.input_nr, i});
  }
  task.captured.resize(inputs.size());
  task.captured_any.assign(inputs.size(), false);
  run_graph(task, outputs, gos, retain_graph.value_or(create_graph));
  for (size_t i = 0; i < inputs.size(); ++i)
    FT_CHECK(task.captured_any[i] || allow_unused, "One of the differentiated Tensors appears to not have been used in "
             "the graph. Set allow_unused=True if this is the desired behavior.");
  return task.captured;
}

}  // namespace ft::autograd
