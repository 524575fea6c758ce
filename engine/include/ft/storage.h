// Storage: a refcounted block of bytes that tensors view into.
#pragma once

#include <cstddef>

#include "ft/allocator.h"
#include "ft/intrusive_ptr.h"
#include "ft/small_pool.h"

namespace ft {

class Storage : public intrusive_target {
 public:
  using Deleter = void (*)(void* data, void* ctx);
  // Owned block from the caching allocator.
  explicit Storage(size_t nbytes)
      : data_(CPUAllocator::get().allocate(nbytes)), nbytes_(nbytes) {}
  // External block (from_blob): `deleter(data, ctx)` runs on destruction, if set.
  Storage(void* data, size_t nbytes, Deleter deleter, void* ctx)
      : data_(data), nbytes_(nbytes), external_(true), deleter_(deleter), ctx_(ctx) {}
  ~Storage() override {
    if (!external_) CPUAllocator::get().deallocate(data_, nbytes_);
    else if (deleter_) deleter_(data_, ctx_);
  }
  Storage(const Storage&) = delete;
  FT_POOLED_CLASS  // NOTE [ Small-object pool ]
  Storage& operator=(const Storage&) = delete;

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }  // INVARIANT: data_ holds at least nbytes_ bytes
  // Resize (for out= on an empty out): reallocates, contents not kept.
  void reset(size_t nbytes) {
    if (external_) {
      if (deleter_) deleter_(data_, ctx_);
      external_ = false;
      deleter_ = nullptr;
    } else {
      CPUAllocator::get().deallocate(data_, nbytes_);
    }
    data_ = CPUAllocator::get().allocate(nbytes);
    nbytes_ = nbytes;
  }

 private:
  void* data_;
  size_t nbytes_;
  bool external_ = false;
  Deleter deleter_ = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace ft
