// The C++ indexing API (ft/indexing.h): x.index({...}) / x.index_put_({...})
// with integers, Slice, None, Ellipsis, bool literals, long index tensors and
// masks, against values computed with python torch 1.13; basic indexing
// returns views; errors as ATen's.
#include <gtest/gtest.h>

#include "ft/indexing.h"
#include "test_util.h"

namespace ft {
namespace index_api_test {

using namespace ft::indexing;
using test::values;

Tensor L(const std::vector<double>& v) { return test::vec(v, DType::Int64); }

TEST(IndexApi, MixedIndices) {
  const Tensor y = test::iota({2, 3, 4});
  Tensor r = y.index({1, Slice(0, 3, 2), None, Ellipsis, L({3, 0})});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{2, 1, 2}));
  EXPECT_EQ(values(r), (std::vector<double>{15, 12, 23, 20}));
  r = y.index({Ellipsis, 1});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(r), (std::vector<double>{1, 5, 9, 13, 17, 21}));
  r = y.index({true, 0, -1});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(values(r), (std::vector<double>{8, 9, 10, 11}));
  r = y.index({Slice(), test::vec({1, 0, 1}, DType::Bool), Slice(1, None, 2)});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(values(r), (std::vector<double>{1, 3, 9, 11, 13, 15, 21, 23}));
}

TEST(IndexApi, BasicIndexingIsAView) {
  Tensor y = test::iota({2, 3, 4});
  Tensor v = y.index({1, Slice(None, None, 2), None});
  EXPECT_TRUE(test::same_storage(v, y));
  EXPECT_EQ(test::shape(v), (std::vector<int64_t>{2, 1, 4}));
  Tensor t = y.index({L({1})});
  EXPECT_FALSE(test::same_storage(t, y));  // tensor indices copy
}

TEST(IndexApi, Put) {
  Tensor w = zeros({3, 4});
  w.index_put_({Slice(1, None), L({0, 3})}, test::vec({5, 6}));
  EXPECT_EQ(values(w), (std::vector<double>{0, 0, 0, 0, 5, 0, 0, 6, 5, 0, 0, 6}));
  w = zeros({3, 4});
  w.index_put_({Slice(), 2}, 9);
  EXPECT_EQ(values(w), (std::vector<double>{0, 0, 9, 0, 0, 0, 9, 0, 0, 0, 9, 0}));
}

TEST(IndexApi, Errors) {
  const Tensor y = test::iota({2, 3});
  FT_EXPECT_ERROR(y.index({2}), ErrorKind::Index, "index 2 is out of bounds for dimension 0 with size 2");
  FT_EXPECT_ERROR(y.index({0, 0, 0}), ErrorKind::Index, "too many indices for tensor of dimension 2");
  FT_EXPECT_ERROR(y.index({Slice(None, None, -1)}), ErrorKind::Value, "step must be greater than zero");
  FT_EXPECT_ERROR(Slice(0, 1, 0), ErrorKind::Value, "slice step cannot be zero");
  FT_EXPECT_ERROR(scalar_tensor(1.0).index({0}), ErrorKind::Index, "invalid index of a 0-dim tensor");
  FT_EXPECT_ERROR(y.index(std::vector<TensorIndex>{}), ErrorKind::Runtime, "Passing an empty index list");
  // A slice of a 0-dim tensor raises for reads and writes alike (libtorch's
  // write path reads past the sizes there; see apply_slice).
  Tensor z = scalar_tensor(1.0);
  FT_EXPECT_ERROR(z.index({Slice(None, 0)}), ErrorKind::Runtime, "slice() cannot be applied to a 0-dim tensor");
  FT_EXPECT_ERROR(z.index_put_({Slice(None, 0)}, scalar_tensor(5.0)), ErrorKind::Runtime,
                  "slice() cannot be applied to a 0-dim tensor");
  EXPECT_EQ(values(z), (std::vector<double>{1.0}));  // nothing written
}

}  // namespace index_api_test
}  // namespace ft
