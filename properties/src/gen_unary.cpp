// Custom case generators for the unary op family (entries of kind Custom in
// engine/include/ft/ops/unary.def).
#include "ft/props/gen_util.h"

namespace ft::props {

void register_unary_generators(GenRegistry& r) { (void)r; }

}  // namespace ft::props
