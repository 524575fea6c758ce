// Internal: what the .pt loader and writer share: the storage class names
// and the check that refuses the legacy (pre-zip) torch.save format.
#pragma once

#include <optional>
#include <string>

#include "ft/dtype.h"

namespace ft::serialize {

// "FloatStorage" -> Float32, ...; nullopt for anything else.
std::optional<DType> pt_storage_dtype(const std::string& class_name);
// The inverse: Float32 -> "FloatStorage".
const char* pt_storage_name(DType dt);
// Raises with a re-save hint when the file is a legacy torch.save file.
void pt_check_not_legacy(const std::string& path);

}  // namespace ft::serialize
