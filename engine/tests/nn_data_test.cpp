// TensorDataset / DataLoader: the sample order equals torch 1.13's
// DataLoader(TensorDataset(arange(10)), ...) over two epochs (lists printed
// by /usr/bin/python3 with torch 1.13), with and without a generator.
#include <gtest/gtest.h>

#include "ft/nn/data.h"
#include "ft/ops.h"
#include "test_util.h"

namespace ft {
namespace {

using Batches = std::vector<std::vector<int64_t>>;

data::TensorDataset ten() { return data::TensorDataset({test::iota({10}, DType::Int64)}); }

TEST(DataLoader, ShuffleWithGeneratorMatchesTorch) {
  Generator g(7);
  data::DataLoader dl(ten(), {3, true, false, &g});
  EXPECT_EQ(dl.size(), 4);
  EXPECT_EQ(dl.batch_indices(), (Batches{{1, 3, 5}, {7, 9, 4}, {6, 2, 8}, {0}}));
  EXPECT_EQ(dl.batch_indices(), (Batches{{5, 1, 6}, {0, 9, 7}, {8, 4, 3}, {2}}));
  Generator g2(7);
  data::DataLoader drop(ten(), {3, true, true, &g2});
  EXPECT_EQ(drop.size(), 3);
  EXPECT_EQ(drop.batch_indices(), (Batches{{1, 3, 5}, {7, 9, 4}, {6, 2, 8}}));
}

TEST(DataLoader, ShuffleWithDefaultGeneratorMatchesTorch) {
  manual_seed(3);
  data::DataLoader dl(ten(), {4, true, false, nullptr});
  EXPECT_EQ(dl.batch_indices(), (Batches{{6, 2, 0, 1}, {8, 3, 5, 4}, {7, 9}}));
  EXPECT_EQ(dl.batch_indices(), (Batches{{3, 4, 0, 9}, {6, 7, 1, 2}, {5, 8}}));
  // The default generator moved exactly as torch's did.
  EXPECT_EQ(randint(0, 1000, {3}).to_double_vector(), (std::vector<double>{981, 739, 514}));
}

TEST(DataLoader, SequentialBatchesAreStackedSamples) {
  Tensor x = test::iota({10, 2}), y = test::iota({10}, DType::Int64);
  data::DataLoader dl(data::TensorDataset({x, y}), {4, false, true, nullptr});
  auto epoch = dl.epoch();
  ASSERT_EQ(epoch.size(), 2u);
  EXPECT_EQ(epoch[1][0].sizes().vec(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(epoch[1][0].to_double_vector(), (std::vector<double>{8, 9, 10, 11, 12, 13, 14, 15}));
  EXPECT_EQ(epoch[1][1].to_double_vector(), (std::vector<double>{4, 5, 6, 7}));
  EXPECT_THROW(data::TensorDataset({x, test::iota({3})}), Error);
  EXPECT_THROW(data::DataLoader(ten(), {0, false, false, nullptr}), Error);
}

}  // namespace
}  // namespace ft
