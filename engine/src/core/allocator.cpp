// Caching CPU allocator: size-class free lists behind one mutex.
// See NOTE [ Caching allocator ] in ft/allocator.h.
#include "ft/allocator.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace ft {
namespace {

struct Cache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_lists;  // size class -> blocks
  AllocatorStats stats;
  size_t cached_limit = size_t(2) << 30;  // 2 GiB
};

Cache& cache() {
  // Leaked on purpose: tensors destroyed during static destruction still free into it.
  static Cache* c = new Cache();
  return *c;
}

}  // namespace

CPUAllocator& CPUAllocator::get() {
  static CPUAllocator a;
  return a;
}

size_t CPUAllocator::round_size(size_t n) {
  // Small blocks: 64-byte granularity. Larger: 4 classes per power of two, so
  // waste stays under 25% while similar sizes still share a class.
  if (n <= 512) return n == 0 ? 64 : (n + 63) & ~size_t(63);
  size_t p = 1;
  while (p < n) p <<= 1;
  size_t step = p >> 3;  // p/2 .. p split in 4 steps of p/8
  return (n + step - 1) / step * step;
}

void* CPUAllocator::allocate(size_t nbytes) {
  size_t sz = round_size(nbytes);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> g(c.mu);
    auto it = c.free_lists.find(sz);
    if (it != c.free_lists.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.stats.cache_hits++;
      c.stats.bytes_cached -= sz;
      c.stats.bytes_in_use += sz;
      return p;
    }
    c.stats.system_allocs++;
    c.stats.bytes_in_use += sz;
  }
  void* p = std::aligned_alloc(64, sz);
  if (!p) throw std::bad_alloc();
  return p;
}

void CPUAllocator::deallocate(void* p, size_t nbytes) {
  if (!p) return;
  size_t sz = round_size(nbytes);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> g(c.mu);
    c.stats.bytes_in_use -= sz;
    if (c.stats.bytes_cached + sz <= c.cached_limit) {
      c.free_lists[sz].push_back(p);
      c.stats.bytes_cached += sz;
      return;
    }
    c.stats.system_frees++;
  }
  std::free(p);
}

AllocatorStats CPUAllocator::stats() const {
  Cache& c = cache();
  std::lock_guard<std::mutex> g(c.mu);
  return c.stats;
}

void CPUAllocator::empty_cache() {
  Cache& c = cache();
  std::lock_guard<std::mutex> g(c.mu);
  for (auto& [sz, blocks] : c.free_lists) {
    for (void* p : blocks) { std::free(p); c.stats.system_frees++; }
    blocks.clear();
  }
  c.stats.bytes_cached = 0;
}

void CPUAllocator::set_cached_limit(size_t bytes) {
  Cache& c = cache();
  std::lock_guard<std::mutex> g(c.mu);
  c.cached_limit = bytes;
}

}  // namespace ft
