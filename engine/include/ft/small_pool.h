// Thread-local free lists for the engine's small bookkeeping objects.
//
// NOTE [ Small-object pool ]
// Every op makes a few small heap objects (TensorImpl, Storage, autograd
// nodes and their edge/metadata vectors, gradient lists) and frees them soon
// after. Going to the system allocator for each one made a steady-state
// training step cost hundreds of malloc/free pairs. pool::allocate rounds a
// request up to a 16-byte size class and pops a block from this thread's free
// list for that class; pool::deallocate pushes the block onto the free list
// of the thread that frees it (blocks may cross threads: the lists hold plain
// heap blocks, so where a block ends up does not matter). Only the calling
// thread touches its lists, so there is no lock. Misses and blocks beyond a
// per-class cap go to ::operator new / ::operator delete, so a steady state
// (same objects each step) makes no system allocation, and `ftorch bench`
// counts any that remain. Requests above kMaxSize bypass the pool.
#pragma once

#include <cstddef>

namespace ft::pool {

constexpr size_t kGranule = 16;   // size-class step; also the guaranteed alignment
constexpr size_t kMaxSize = 1024;  // larger requests go straight to ::operator new

void* allocate(size_t nbytes);
void deallocate(void* p, size_t nbytes) noexcept;

// A standard allocator over the pool (for containers and allocate_shared).
template <typename T>
struct Allocator {
  static_assert(alignof(T) <= kGranule, "pool blocks are 16-byte aligned");
  using value_type = T;
  Allocator() = default;
  template <typename U>
  Allocator(const Allocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(pool::allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { pool::deallocate(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const Allocator<U>&) const noexcept { return true; }
  template <typename U>
  bool operator!=(const Allocator<U>&) const noexcept { return false; }
};

}  // namespace ft::pool

// Class-level operator new/delete through the pool (sized delete: with a
// virtual destructor it receives the dynamic type's size).
#define FT_POOLED_CLASS                                                                      \
  static void* operator new(size_t n) { return ::ft::pool::allocate(n); }                   \
  static void operator delete(void* p, size_t n) noexcept { ::ft::pool::deallocate(p, n); }
