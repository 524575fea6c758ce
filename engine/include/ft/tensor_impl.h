// TensorImpl: storage + sizes + strides (elements) + offset + dtype + device +
// shared version counter + nullable autograd metadata.
#pragma once

#include <atomic>
#include <memory>

#include "ft/array_ref.h"
#include "ft/dtype.h"
#include "ft/intrusive_ptr.h"
#include "ft/small_pool.h"
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
  FT_POOLED_CLASS
  std::atomic<uint32_t> version{0};
};

namespace autograd { struct AutogradMeta; }

// NOTE [ Views and their base ]
// A view (slice, select, transpose, reshape-alias, ...) remembers its root
// base (never itself a view) and how it was created, as PyTorch's
// DifferentiableViewMeta does. Autograd needs both: an in-place write to a
// view rewrites the base's history (CopySlices), a view whose base changed
// since its grad_fn was made regenerates it (an AsStridedBackward0 from the
// base), and views made under no_grad or by multi-output functions refuse
// tracked in-place writes. Kept inline (no allocation per view).
enum class ViewCreation : uint8_t { NotView, Default, NoGradMode, MultiOutput, InferenceMode };

class TensorImpl : public intrusive_target {
 public:
  TensorImpl(intrusive_ptr<Storage> storage, DType dtype, IntArrayRef sizes, IntArrayRef strides,
             int64_t storage_offset);
  ~TensorImpl() override;
  FT_POOLED_CLASS  // NOTE [ Small-object pool ]

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

  // View bookkeeping (see NOTE [ Views and their base ]).
  bool is_view() const { return view_creation_ != ViewCreation::NotView; }
  TensorImpl* view_base() const { return view_base_.get(); }
  const intrusive_ptr<TensorImpl>& view_base_ptr() const { return view_base_; }
  ViewCreation view_creation() const { return view_creation_; }
  uint32_t view_output_nr() const { return view_output_nr_; }
  // The shared version when the view's grad_fn was last made (stale if different).
  uint32_t view_attr_version() const { return view_attr_version_; }
  void set_view_attr_version(uint32_t v) { view_attr_version_ = v; }
  void set_view(intrusive_ptr<TensorImpl> root_base, ViewCreation c, uint32_t output_nr = 0) {
    view_base_ = std::move(root_base);
    view_creation_ = c;
    view_output_nr_ = output_nr;
    view_attr_version_ = version();
  }

  // Made in inference mode (see autograd::InferenceModeGuard).
  bool is_inference() const { return inference_; }
  void set_inference(bool v) { inference_ = v; }

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
  bool inference_ = false;
  ViewCreation view_creation_ = ViewCreation::NotView;
  uint32_t view_output_nr_ = 0;
  uint32_t view_attr_version_ = 0;
  intrusive_ptr<TensorImpl> view_base_;    // root base of a view, else null
  intrusive_ptr<VersionCounter> version_;  // nullable, see NOTE [ Version counter ]
  std::unique_ptr<autograd::AutogradMeta> autograd_;
};

// Contiguous (row-major) strides for sizes.
DimVector contiguous_strides(IntArrayRef sizes);
// Product of sizes, with an overflow check (raises on absurd sizes).
int64_t checked_numel(IntArrayRef sizes);

}  // namespace ft
