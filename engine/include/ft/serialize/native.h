// The native FrankenTorch checkpoint format (see NOTE [ Native checkpoint layout ]
// in engine/src/serialize/native.cpp): magic + version, then per tensor a header
// (name, dtype, shape, strides, storage offset) and contiguous data, each tensor
// protected by a CRC-32.
#pragma once

#include "ft/serialize/common.h"

namespace ft::serialize {

constexpr char kNativeMagic[8] = {'F', 'T', 'O', 'R', 'C', 'H', 'C', 'K'};
constexpr uint32_t kNativeVersion = 1;

void save_native(const std::string& path, const TensorEntries& tensors);
// Refused with a hint on a bad magic, a newer version, a checksum mismatch
// or truncation.
TensorEntries load_native(const std::string& path);

}  // namespace ft::serialize
