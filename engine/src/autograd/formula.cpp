// make_node / set_history (see formula.h).
#include "formula.h"

namespace ft::autograd {

std::shared_ptr<FormulaNode> make_node(const char* name, FormulaNode::Fn fn, std::initializer_list<const Tensor*> inputs) {
  if (!any_requires_grad(inputs)) return nullptr;
  auto n = std::allocate_shared<FormulaNode>(pool::Allocator<FormulaNode>(), name, fn);
  n->next_edges().reserve(inputs.size());
  n->input_meta.reserve(inputs.size());
  for (const Tensor* t : inputs) {
    n->next_edges().push_back(gradient_edge(*t));
    n->input_meta.push_back({DimVector(t->sizes()), t->dtype()});
  }
  return n;
}

void set_history(Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr) {
  auto& m = out.impl()->ensure_autograd_meta();
  m.grad_fn = node;
  m.output_nr = output_nr;
  if (node->output_meta.size() <= output_nr) node->output_meta.resize(output_nr + 1);
  node->output_meta[output_nr] = {DimVector(out.sizes()), out.dtype()};
  node->set_num_outputs(std::max<uint32_t>(node->num_outputs(), output_nr + 1));
  // A view's grad_fn is current as of now (NOTE [ Views and their base ]).
  if (out.impl()->is_view()) out.impl()->set_view_attr_version(out.impl()->version());
}

}  // namespace ft::autograd
