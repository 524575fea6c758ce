// Shared types of the checkpoint formats (safetensors, native, PyTorch .pt):
// an ordered list of named tensors, format detection, and one loader that
// reads any of them (used by `ftorch checkpoint inspect`).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ft/tensor.h"

namespace ft::serialize {

struct NamedTensor {
  std::string name;
  Tensor tensor;
};
// Order is the file's order (safetensors: header order; .pt: pickle order).
using TensorEntries = std::vector<NamedTensor>;
// String key/value pairs (safetensors "__metadata__").
using Metadata = std::vector<std::pair<std::string, std::string>>;

enum class Format { Unknown, Safetensors, Native, PtZip, PtLegacy };
const char* format_name(Format f);

// Looks at the first bytes of the file only; never throws for an unknown
// format (returns Unknown), throws ft::Error when the file cannot be read.
Format detect_format(const std::string& path);

struct Checkpoint {
  Format format = Format::Unknown;
  TensorEntries entries;
  Metadata metadata;
};
// Detects the format and loads every tensor (a .pt file is flattened with
// load_pt_state_dict). Unknown or legacy formats raise ft::Error with a hint.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace ft::serialize
