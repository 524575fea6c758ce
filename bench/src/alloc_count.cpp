// Counts system allocations in a steady-state training step: storage blocks
// that missed the caching allocator (NOTE [ Caching allocator ]) and every
// global operator new (autograd bookkeeping, shape vectors, closures).
//
// Replacing the global operator new here counts calls made by the whole
// ftorch process; the count is read only around engine-side steps, on this
// thread, so libtorch never runs while it is read.
#include <atomic>
#include <cstdlib>
#include <new>

#include "ft/allocator.h"
#include "ft/bench/bench.h"

namespace {
thread_local uint64_t tl_new_calls = 0;
}

void* operator new(std::size_t n) {
  ++tl_new_calls;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++tl_new_calls;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace ft::bench {

AllocationCount measure_train_step_allocations() {
  Workload w = make_engine_workload("mlp_train_step");
  for (int i = 0; i < 5; ++i) w.run();  // warm the caches
  const int steps = 20;
  uint64_t sys0 = CPUAllocator::get().stats().system_allocs, new0 = tl_new_calls;
  for (int i = 0; i < steps; ++i) w.run();
  uint64_t sys1 = CPUAllocator::get().stats().system_allocs, new1 = tl_new_calls;
  return {double(sys1 - sys0) / steps, double(new1 - new0) / steps};
}

}  // namespace ft::bench
