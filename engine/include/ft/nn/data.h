// torch.utils.data, the simple case: a TensorDataset and a single-process
// DataLoader (batch_size, shuffle, drop_last, generator) whose sample order
// equals torch's DataLoader with a RandomSampler for the same generator
// state: every epoch (every iter(loader) in Python) first draws the
// iterator's base seed (one random64), then the sampler draws randperm(n)
// twice (the second for its empty tail) from the generator, or, without
// one, from a fresh generator seeded by one more draw from the default
// generator. An epoch is always taken whole. Batches are the dataset's
// tensors indexed by the batch's samples (default_collate's stack).
#pragma once

#include <vector>

#include "ft/random.h"

namespace ft::data {

// Sample i is (t[i] for t in tensors); all tensors share their first dim.
class TensorDataset {
 public:
  explicit TensorDataset(std::vector<Tensor> tensors);
  int64_t size() const { return size_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }

 private:
  std::vector<Tensor> tensors_;
  int64_t size_ = 0;
};

struct DataLoaderOptions {
  int64_t batch_size = 1;
  bool shuffle = false;
  bool drop_last = false;
  Generator* generator = nullptr;  // not owned; null: the default generator (shuffle only)
};

class DataLoader {
 public:
  DataLoader(TensorDataset dataset, DataLoaderOptions options);
  // len(loader): the number of batches per epoch.
  int64_t size() const;
  // One epoch's sample indices, batch by batch (draws from the generator
  // as iterating the Python loader does).
  std::vector<std::vector<int64_t>> batch_indices();
  // One epoch's batches: for each batch, every dataset tensor at its samples.
  std::vector<std::vector<Tensor>> epoch();

 private:
  TensorDataset dataset_;
  DataLoaderOptions options_;
};

}  // namespace ft::data
