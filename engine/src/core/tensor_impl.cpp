// TensorImpl geometry bookkeeping.
#include "ft/tensor_impl.h"

#include <limits>
#include <sstream>

#include "ft/autograd.h"

namespace ft {

std::string shape_str(IntArrayRef s) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  os << "]";
  return os.str();
}

DimVector contiguous_strides(IntArrayRef sizes) {
  DimVector st(sizes.size());
  int64_t acc = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    st[i] = acc;
    acc *= std::max<int64_t>(sizes[i], 1);
  }
  return st;
}

int64_t checked_numel(IntArrayRef sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) {
    FT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", shape_str(sizes));
    if (s != 0 && n > std::numeric_limits<int64_t>::max() / s)
      FT_ERROR("tensor of size ", shape_str(sizes), " has too many elements to index with int64");
    n *= s;
  }
  return n;
}

TensorImpl::TensorImpl(intrusive_ptr<Storage> storage, DType dtype, IntArrayRef sizes,
                       IntArrayRef strides, int64_t storage_offset)
    : storage_(std::move(storage)), sizes_(sizes), strides_(strides),
      storage_offset_(storage_offset), dtype_(dtype) {
  FT_INTERNAL_ASSERT(sizes.size() == strides.size());
  inference_ = autograd::is_inference_mode_enabled();
  refresh();
}

TensorImpl::~TensorImpl() = default;

void TensorImpl::refresh() {
  numel_ = 1;
  for (int64_t s : sizes_) numel_ *= s;
  is_contiguous_ = true;
  int64_t expected = 1;
  for (size_t i = sizes_.size(); i-- > 0;) {
    if (sizes_[i] == 1) continue;
    if (strides_[i] != expected) { is_contiguous_ = false; break; }
    expected *= sizes_[i];
  }
  if (numel_ == 0) is_contiguous_ = true;
}

void TensorImpl::set_geometry(IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset) {
  FT_CHECK(sizes.size() == strides.size(), "mismatch in length of strides and shape");
  FT_CHECK(storage_offset >= 0, "Tensor: invalid storage offset ", storage_offset);
  int64_t n = checked_numel(sizes);
  if (n > 0) {
    // Highest element touched must lie inside the storage (strides may be negative? no: PyTorch forbids).
    int64_t max_off = storage_offset;
    for (size_t i = 0; i < sizes.size(); ++i) {
      FT_CHECK(strides[i] >= 0, "as_strided: Negative strides are not supported at the moment, got strides: ",
               shape_str(strides));
      max_off += (sizes[i] - 1) * strides[i];
    }
    int64_t avail = int64_t(storage_->nbytes() / size_t(itemsize(dtype_)));
    FT_CHECK(max_off < avail, "setStorage: sizes ", shape_str(sizes), ", strides ", shape_str(strides),
             ", storage offset ", storage_offset, ", and itemsize ", itemsize(dtype_),
             " requiring a storage size of ", (max_off + 1) * itemsize(dtype_),
             " are out of bounds for storage of size ", storage_->nbytes());
  }
  sizes_ = DimVector(sizes);
  strides_ = DimVector(strides);
  storage_offset_ = storage_offset;
  refresh();
}

autograd::AutogradMeta& TensorImpl::ensure_autograd_meta() {
  if (!autograd_) autograd_ = std::make_unique<autograd::AutogradMeta>();
  return *autograd_;
}

void TensorImpl::clear_autograd_meta() { autograd_.reset(); }

}  // namespace ft
