// libtorch's own .pt pickler as the oracle of the checkpoint suite
// (properties/src/checkpoint_suite.cpp): torch::jit::pickle_save writes the
// zip format that Python's torch.save writes, and pickle_load reads it.
#pragma once

#include <string>
#include <vector>

#include "ft/serialize/common.h"

namespace ft::oracle {

// A dict {name: tensor} in `entries`' order, pickled by libtorch.
std::vector<char> libtorch_pickle_save(const serialize::TensorEntries& entries);

struct PickleLoaded {
  serialize::TensorEntries entries;
  // storage_group[i] == storage_group[j] when libtorch gave entries i and j
  // one storage (views of one tensor saved together stay views after loading).
  std::vector<int> storage_group;
};
// Reads a dict of tensors from bytes written by torch.save / pickle_save;
// an ft::Error with libtorch's message when libtorch refuses them.
PickleLoaded libtorch_pickle_load(const std::vector<char>& bytes);

}  // namespace ft::oracle
