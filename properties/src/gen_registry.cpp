// The registry of custom (per-op) case generators, filled once from each family.
#include "ft/props/gen_util.h"

namespace ft::props {

CustomGen find_custom_gen(const std::string& op_id) {
  static const GenRegistry reg = [] {
    GenRegistry r;
    register_unary_generators(r);
    register_binary_generators(r);
    register_reduce_generators(r);
    register_shape_generators(r);
    register_nn_generators(r);
    register_index_generators(r);
    register_linalg_generators(r);
    register_norm_generators(r);
    register_loss_generators(r);
    register_sort_generators(r);
    register_conv_extra_generators(r);
    register_creation_generators(r);
    return r;
  }();
  auto it = reg.by_id.find(op_id);
  return it == reg.by_id.end() ? nullptr : it->second;
}

}  // namespace ft::props
