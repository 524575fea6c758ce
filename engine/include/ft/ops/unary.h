// Functional API of the unary op family (included by ft/ops.h).
#pragma once

namespace ft {}  // namespace ft
