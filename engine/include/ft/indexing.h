// The C++ indexing API, mirroring at::indexing so that the same expression
// compiles on both sides:
//   using namespace ft::indexing;
//   y = x.index({0, Slice(1, None, 2), None, Ellipsis, idx, mask});
//   x.index_put_({Slice(), idx}, values);   // or a Scalar
// Integers select, slices slice (step > 0), None inserts a dim, Ellipsis
// spans the unnamed dims, and a bool literal inserts a dim indexed by [0] or
// []; all of these are views. Tensor indices (int64, uint8/bool masks) are
// gathered through ft::index / ft::index_put_ (copies), as ATen does.
// Algorithm and errors follow ATen 1.13's TensorIndexing.h (get_item /
// set_item / applySlicing).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "ft/ops.h"

namespace ft::indexing {

constexpr int64_t INDEX_MAX = std::numeric_limits<int64_t>::max();
constexpr int64_t INDEX_MIN = std::numeric_limits<int64_t>::min();

// `None` (inserts a dim) and `Ellipsis` ("..."), as at::indexing names them.
constexpr std::nullopt_t None = std::nullopt;
struct EllipsisIndexType {
  EllipsisIndexType() = default;
};
extern const EllipsisIndexType Ellipsis;

// start:stop:step with Python's defaults (missing start/stop depend on the
// step's sign); a zero step raises ValueError.
class Slice {
 public:
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt);
  int64_t start() const { return start_; }
  int64_t stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  int64_t start_, stop_, step_;
};

enum class TensorIndexType { None, Ellipsis, Integer, Boolean, Slice, Tensor };

class TensorIndex {
 public:
  TensorIndex(std::nullopt_t) : type_(TensorIndexType::None) {}
  TensorIndex(EllipsisIndexType) : type_(TensorIndexType::Ellipsis) {}
  TensorIndex(const char* str);  // "..." only
  TensorIndex(int64_t v) : integer_(v), type_(TensorIndexType::Integer) {}
  TensorIndex(int v) : TensorIndex(int64_t(v)) {}
  template <class T, class = std::enable_if_t<std::is_same_v<bool, T>>>
  TensorIndex(T b) : boolean_(b), type_(TensorIndexType::Boolean) {}
  TensorIndex(Slice s) : slice_(s), type_(TensorIndexType::Slice) {}
  TensorIndex(Tensor t) : tensor_(std::move(t)), type_(TensorIndexType::Tensor) {}

  bool is_none() const { return type_ == TensorIndexType::None; }
  bool is_ellipsis() const { return type_ == TensorIndexType::Ellipsis; }
  bool is_integer() const { return type_ == TensorIndexType::Integer; }
  bool is_boolean() const { return type_ == TensorIndexType::Boolean; }
  bool is_slice() const { return type_ == TensorIndexType::Slice; }
  bool is_tensor() const { return type_ == TensorIndexType::Tensor; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor tensor_;
  TensorIndexType type_;
};

// x[indices] and x[indices] = value (Tensor::index / Tensor::index_put_ call these).
Tensor get_item(const Tensor& self, ArrayRef<TensorIndex> indices);
void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Tensor& value);

// Op-table helper: the TensorIndex list packed in c.ints (NOTE [ Packed index
// lists ] in ft/ops/index.h), built with either side's types:
//   ft::indexing::index_spec<NS::indexing::TensorIndex, NS::indexing::Slice>(
//       C, NS::indexing::None, NS::indexing::Ellipsis, NS::kLong, first_tensor_input)
template <typename TI, typename SliceT, typename CallT, typename NoneT, typename EllT, typename D>
std::vector<TI> index_spec(const CallT& c, NoneT none, EllT ellipsis, D long_dtype, size_t first) {
  using OptInt = typename rebind_optional_<std::decay_t<decltype(c.dtype)>>::type;
  std::vector<TI> list;
  size_t next = first;
  const auto& s = c.ints;
  for (size_t i = 0; i < s.size(); ++i) {
    switch (s[i]) {
      case -1: list.emplace_back(none); break;
      case 0: list.emplace_back(int64_t(s.at(++i))); break;
      case 1: {
        int64_t f = s.at(i + 1), a = s.at(i + 2), b = s.at(i + 3), st = s.at(i + 4);
        i += 4;
        list.emplace_back(SliceT((f & 1) ? OptInt(a) : OptInt(), (f & 2) ? OptInt(b) : OptInt(),
                                 (f & 4) ? OptInt(st) : OptInt()));
        break;
      }
      case 2: list.emplace_back(ellipsis); break;
      case 3: list.emplace_back(bool(s.at(++i) != 0)); break;
      case 4: list.emplace_back(as_index(c.in.at(next++), long_dtype)); break;
      default: list.emplace_back(as_mask(c.in.at(next++))); break;
    }
  }
  return list;
}
}  // namespace ft::indexing
