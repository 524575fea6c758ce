// Functional API of the shape op family (included by ft/ops.h).
#pragma once

namespace ft {}  // namespace ft
