// Custom case generators for the reduce op family (entries of kind Custom in
// engine/include/ft/ops/reduce.def).
#include "ft/props/gen_util.h"

namespace ft::props {

void register_reduce_generators(GenRegistry& r) { (void)r; }

}  // namespace ft::props
