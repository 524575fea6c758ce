// Custom case generators for the binary op family (entries of kind Custom in
// engine/include/ft/ops/binary.def).
#include "ft/props/gen_util.h"

namespace ft::props {

void register_binary_generators(GenRegistry& r) { (void)r; }

}  // namespace ft::props
