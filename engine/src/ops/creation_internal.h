// Internal plumbing shared by the creation family's sources (creation.cpp,
// creation_range.cpp).
#pragma once

#include "op_helpers.h"

namespace ft::creation_detail {

// Raises unless layout/device/pin_memory/memory_format are None (NOTE [ Factory options ]).
void check_options(OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory, OptMemFormatArg memory_format);
// out= of a factory: refuses an out that requires grad, then resizes out to
// the result's shape and copies.
Tensor& factory_out(Tensor& out, const Tensor& result);

}  // namespace ft::creation_detail
