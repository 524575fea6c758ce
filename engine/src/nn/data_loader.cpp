// TensorDataset and DataLoader (ft/nn/data.h): torch/utils/data's
// DataLoader, RandomSampler and BatchSampler (1.13), single process.
#include "ft/nn/data.h"

#include "ft/ops.h"

namespace ft::data {

TensorDataset::TensorDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  FT_CHECK(!tensors_.empty(), "TensorDataset: at least one tensor is needed");
  for (const Tensor& t : tensors_) FT_CHECK(t.dim() >= 1, "TensorDataset: tensors need a first (sample) dim");
  size_ = tensors_[0].size(0);
  for (const Tensor& t : tensors_) FT_CHECK(t.size(0) == size_, "Size mismatch between tensors");
}

DataLoader::DataLoader(TensorDataset dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  FT_CHECK_VALUE(options_.batch_size > 0, "batch_size should be a positive integer value, but got batch_size=",
                 options_.batch_size);
}

int64_t DataLoader::size() const {
  const int64_t n = dataset_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::vector<std::vector<int64_t>> DataLoader::batch_indices() {
  const int64_t n = dataset_.size();
  std::vector<int64_t> order(static_cast<size_t>(n));
  if (options_.shuffle) {
    Generator& g = options_.generator ? *options_.generator : default_generator();
    {
      std::lock_guard<std::mutex> lock(g.mutex());
      g.random64();  // _BaseDataLoaderIter's base seed (used by worker processes only)
    }
    // RandomSampler yields randperm(n) and then the first n % n = 0
    // entries of a second randperm(n), which it draws all the same once the
    // epoch runs to its end: two permutations per epoch.
    Tensor perm;
    if (options_.generator) {
      perm = randperm(n, DType::Int64, options_.generator);
      randperm(n, DType::Int64, options_.generator);
    } else {
      // RandomSampler without a generator: a fresh one seeded by an int64
      // random_() of the default generator (random64 modulo 2^63).
      uint64_t seed;
      {
        std::lock_guard<std::mutex> lock(g.mutex());
        seed = g.random64() % (uint64_t(1) << 63);
      }
      Generator fresh(seed);
      perm = randperm(n, DType::Int64, &fresh);  // (its second draw would go to `fresh` too: nothing to mirror)
    }
    const int64_t* p = perm.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i) order[size_t(i)] = p[i];
  } else {
    for (int64_t i = 0; i < n; ++i) order[size_t(i)] = i;
  }
  std::vector<std::vector<int64_t>> batches;
  const size_t b = size_t(options_.batch_size);
  for (size_t i = 0; i < order.size(); i += b) {
    if (i + b > order.size() && options_.drop_last) break;
    batches.emplace_back(order.begin() + long(i), order.begin() + long(std::min(order.size(), i + b)));
  }
  return batches;
}

std::vector<std::vector<Tensor>> DataLoader::epoch() {
  std::vector<std::vector<Tensor>> out;
  for (const auto& idx : batch_indices()) {
    Tensor index = from_vector(std::vector<double>(idx.begin(), idx.end()), {int64_t(idx.size())}, DType::Int64);
    std::vector<Tensor> batch;
    for (const Tensor& t : dataset_.tensors()) batch.push_back(t.index_select(0, index));
    out.push_back(std::move(batch));
  }
  return out;
}

}  // namespace ft::data
