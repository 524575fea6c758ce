// Functional API of the reduce op family (included by ft/ops.h).
#pragma once

namespace ft {}  // namespace ft
