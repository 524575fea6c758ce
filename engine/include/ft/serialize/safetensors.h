// safetensors read/write (https://github.com/huggingface/safetensors format):
// u64 little-endian header length N, N bytes of JSON header
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
// then the raw little-endian data; offsets are relative to the end of the header.
#pragma once

#include "ft/serialize/common.h"

namespace ft::serialize {

struct SafetensorsFile {
  TensorEntries tensors;  // header order, each a contiguous tensor with its own storage
  Metadata metadata;
};

// Validates the whole header before reading any data: a hostile file raises
// ft::Error (never a crash or an allocation larger than the file).
SafetensorsFile load_safetensors(const std::string& path);
// Tensors are written contiguous (non-contiguous inputs are copied). Names
// must be unique and non-empty and must not be "__metadata__".
void save_safetensors(const std::string& path, const TensorEntries& tensors, const Metadata& metadata = {});

}  // namespace ft::serialize
