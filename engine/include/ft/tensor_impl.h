// TensorImpl: storage + sizes + strides (elements) + offset + dtype + device +
// shared version counter + nullable autograd metadata.
#pragma once

#include <atomic>
#include <memory>

#include "ft/array_ref.h"
#include "ft/dtype.h"
#include "ft/intrusive_ptr.h"
#include "ft/storage.h"

namespace ft {

enum class DeviceType : int8_t { CPU, CUDA };
struct Device {
  DeviceType type = DeviceType::CPU;
  int8_t index = -1;
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
};

// NOTE [ Version counter ]
// Shared by a tensor and all its views (and detach()). Every in-place write
// bumps it; saved tensors remember the value at save time so backward can
// refuse stale data. Created lazily: a tensor that is never viewed, written
// in place or saved pays no allocation for it.
struct VersionCounter : intrusive_target {
  std::atomic<uint32_t> version{0};
};

namespace autograd { struct AutogradMeta; }

class TensorImpl : public intrusive_target {
 public:
  TensorImpl(intrusive_ptr<Storage> storage, DType dtype, IntArrayRef sizes, IntArrayRef strides,
             int64_t storage_offset);
  ~TensorImpl() override;

  IntArrayRef sizes() const { return sizes_; }
  IntArrayRef strides() const { return strides_; }
  int64_t size(int64_t d) const { return sizes_[size_t(d)]; }
  int64_t stride(int64_t d) const { return strides_[size_t(d)]; }
  int64_t dim() const { return int64_t(sizes_.size()); }
  int64_t numel() const { return numel_; }
  int64_t storage_offset() const { return storage_offset_; }
  DType dtype() const { return dtype_; }
  Device device() const { return device_; }
  bool is_contiguous() const { return is_contiguous_; }
  const intrusive_ptr<Storage>& storage() const { return storage_; }
  // Pointer to element [0, ..., 0].
  char* data() const {
    return static_cast<char*>(storage_->data()) + storage_offset_ * itemsize(dtype_);
  }

  // Replaces geometry (view ops on a fresh impl, out= resize). Checks bounds.
  void set_geometry(IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset);

  // Version counter (see NOTE [ Version counter ]).
  uint32_t version() const { return version_ ? version_->version.load(std::memory_order_relaxed) : 0; }
  void bump_version() { shared_version()->version.fetch_add(1, std::memory_order_relaxed); }
  const intrusive_ptr<VersionCounter>& shared_version() {
    if (!version_) version_ = make_intrusive<VersionCounter>();
    return version_;
  }
  void set_version_counter(intrusive_ptr<VersionCounter> v) { version_ = std::move(v); }

  autograd::AutogradMeta* autograd_meta() const { return autograd_.get(); }
  autograd::AutogradMeta& ensure_autograd_meta();
  void clear_autograd_meta();

  // A 0-dim tensor made from a Python-style number: lowest priority in promotion.
  bool is_wrapped_number() const { return wrapped_number_; }
  void set_wrapped_number(bool v) { wrapped_number_ = v; }

 private:
  void refresh();  // recompute numel_ and is_contiguous_

  intrusive_ptr<Storage> storage_;
  DimVector sizes_;
  DimVector strides_;           // INVARIANT: strides_.size() == sizes_.size(), in elements
  int64_t storage_offset_ = 0;  // in elements
  int64_t numel_ = 1;           // INVARIANT: product of sizes_
  DType dtype_;
  Device device_;
  bool is_contiguous_ = true;   // INVARIANT: row-major contiguous (size-1 dims ignored)
  bool wrapped_number_ = false;
  intrusive_ptr<VersionCounter> version_;  // nullable, see NOTE [ Version counter ]
  std::unique_ptr<autograd::AutogradMeta> autograd_;
};

// Contiguous (row-major) strides for sizes.
DimVector contiguous_strides(IntArrayRef sizes);
// Product of sizes, with an overflow check (raises on absurd sizes).
int64_t checked_numel(IntArrayRef sizes);

}  // namespace ft
