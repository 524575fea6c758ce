// The caching CPU allocator.
//
// NOTE [ Caching allocator ]
// Blocks are rounded up to a size class and returned to a per-class free list
// instead of to the system, so a steady-state training step (same shapes each
// step) makes no system allocation. The cache is bounded (cached_limit bytes);
// beyond it blocks go back to the system. Counters make the "zero system
// allocations per step" target measurable (ftorch bench).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ft {

struct AllocatorStats {
  uint64_t system_allocs = 0;  // calls that reached aligned_alloc
  uint64_t system_frees = 0;
  uint64_t cache_hits = 0;
  uint64_t bytes_cached = 0;   // bytes sitting in free lists now
  uint64_t bytes_in_use = 0;
};

class CPUAllocator {
 public:
  static CPUAllocator& get();
  // Returns 64-byte aligned memory of at least nbytes (nbytes may be 0).
  void* allocate(size_t nbytes);
  void deallocate(void* p, size_t nbytes);
  AllocatorStats stats() const;
  void empty_cache();
  void set_cached_limit(size_t bytes);
  static size_t round_size(size_t nbytes);
};

}  // namespace ft
