// Caching CPU allocator: size-class free lists behind one lock.
// See NOTE [ Caching allocator ] in ft/allocator.h.
#include "ft/allocator.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ft/small_pool.h"

namespace ft {
namespace {

// The critical sections are a few loads and stores, so a spin lock: a
// pthread mutex's lock and unlock were a third of a 4-element add's
// allocator cost (callgrind). Yields if the holder was descheduled.
class SpinLock {
 public:
  void lock() {
    for (int spins = 0; flag_.exchange(true, std::memory_order_acquire);)
      while (flag_.load(std::memory_order_relaxed))
        if (++spins > 64) std::this_thread::yield();
        else __builtin_ia32_pause();
  }
  void unlock() { flag_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> flag_{false};
};

// Rounded sizes up to kSmallMax have a slot in a flat table (no hashing on
// the path of small tensors); larger ones live in the map.
constexpr size_t kSmallMax = 4096;
constexpr int kSmallClasses = 20;  // 64..512 step 64, then 4 per power of two up to 4096

// Slot of a rounded size (see round_size) in the flat table, or -1.
int small_index(size_t sz) {
  if (sz <= 512) return int(sz / 64) - 1;
  if (sz > kSmallMax) return -1;
  int lg = 64 - __builtin_clzll(sz - 1);  // sz in (2^lg / 2, 2^lg]
  size_t half = size_t(1) << (lg - 1), step = half >> 2;
  return 8 + 4 * (lg - 10) + int((sz - half) / step) - 1;
}

struct Cache {
  SpinLock mu;
  std::vector<void*> small[kSmallClasses];                     // slot -> blocks
  std::unordered_map<size_t, std::vector<void*>> free_lists;  // larger size class -> blocks
  AllocatorStats stats;
  size_t cached_limit = size_t(2) << 30;  // 2 GiB
  std::vector<void*>& list(size_t sz) {
    int i = small_index(sz);
    return i >= 0 ? small[i] : free_lists[sz];
  }
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
    std::lock_guard<SpinLock> g(c.mu);
    int si = small_index(sz);
    std::vector<void*>* blocks = nullptr;
    if (si >= 0) {
      blocks = &c.small[si];
    } else if (auto it = c.free_lists.find(sz); it != c.free_lists.end()) {
      blocks = &it->second;
    }
    if (blocks && !blocks->empty()) {
      void* p = blocks->back();
      blocks->pop_back();
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
    std::lock_guard<SpinLock> g(c.mu);
    c.stats.bytes_in_use -= sz;
    if (c.stats.bytes_cached + sz <= c.cached_limit) {
      c.list(sz).push_back(p);
      c.stats.bytes_cached += sz;
      return;
    }
    c.stats.system_frees++;
  }
  std::free(p);
}

AllocatorStats CPUAllocator::stats() const {
  Cache& c = cache();
  std::lock_guard<SpinLock> g(c.mu);
  return c.stats;
}

void CPUAllocator::empty_cache() {
  Cache& c = cache();
  std::lock_guard<SpinLock> g(c.mu);
  auto release = [&](std::vector<void*>& blocks) {
    for (void* p : blocks) { std::free(p); c.stats.system_frees++; }
    blocks.clear();
  };
  for (auto& blocks : c.small) release(blocks);
  for (auto& [sz, blocks] : c.free_lists) release(blocks);
  c.stats.bytes_cached = 0;
}

void CPUAllocator::set_cached_limit(size_t bytes) {
  Cache& c = cache();
  std::lock_guard<SpinLock> g(c.mu);
  c.cached_limit = bytes;
}

// ---- small-object pool (NOTE [ Small-object pool ] in ft/small_pool.h) ----
namespace pool {
namespace {

constexpr size_t kClasses = kMaxSize / kGranule;
// Blocks kept per class and thread: 512 KiB worth (at least 256 blocks), so a
// thread that frees more than it allocates keeps at most 32 MiB here.
constexpr size_t kCapBytes = size_t(512) << 10;
constexpr auto kCaps = [] {
  std::array<uint32_t, kClasses> caps{};
  for (size_t c = 0; c < kClasses; ++c) caps[c] = uint32_t(std::max<size_t>(256, kCapBytes / ((c + 1) * kGranule)));
  return caps;
}();

struct FreeList {
  void* head;  // singly linked through each block's first word
  uint32_t count;
};
// Trivially destructible, so still usable while other thread_locals are
// destroyed; tl_drain (below) empties them at thread exit and sets tl_dead.
thread_local FreeList tl_lists[kClasses];
thread_local bool tl_dead = false;

struct Drain {
  bool armed = false;
  ~Drain() {
    tl_dead = true;
    for (FreeList& l : tl_lists)
      while (l.head) {
        void* p = l.head;
        l.head = *static_cast<void**>(p);
        ::operator delete(p);
      }
  }
};
thread_local Drain tl_drain;

inline size_t class_of(size_t n) { return n == 0 ? 0 : (n - 1) / kGranule; }

}  // namespace

void* allocate(size_t nbytes) {
  if (nbytes > kMaxSize) return ::operator new(nbytes);
  size_t c = class_of(nbytes);
  FreeList& l = tl_lists[c];
  if (void* p = l.head) {
    l.head = *static_cast<void**>(p);
    l.count--;
    return p;
  }
  if (!tl_dead) tl_drain.armed = true;  // registers the thread-exit drain (lazy thread_local init)
  return ::operator new((c + 1) * kGranule);
}

void deallocate(void* p, size_t nbytes) noexcept {
  if (!p) return;
  if (nbytes > kMaxSize || tl_dead) return ::operator delete(p);
  size_t c = class_of(nbytes);
  FreeList& l = tl_lists[c];
  if (l.count >= kCaps[c]) return ::operator delete(p);
  if (l.count == 0) tl_drain.armed = true;  // a thread that only frees still drains at exit
  *static_cast<void**>(p) = l.head;
  l.head = p;
  l.count++;
}

}  // namespace pool
}  // namespace ft
