// Custom case generators for the shape op family (entries of kind Custom in
// engine/include/ft/ops/shape.def).
#include "ft/props/gen_util.h"

namespace ft::props {

void register_shape_generators(GenRegistry& r) { (void)r; }

}  // namespace ft::props
