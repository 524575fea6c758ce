// Functional API of the binary op family (included by ft/ops.h).
#pragma once

namespace ft {}  // namespace ft
