// Counts system allocations in a steady-state training step: storage blocks
// that missed the caching allocator (NOTE [ Caching allocator ]) and every
// global operator new (autograd bookkeeping, shape vectors, closures).
//
// Replacing the global operator new here counts calls made by the whole
// ftorch process; the count is read only around engine-side steps, on this
// thread, so libtorch never runs while it is read.
//
// FT_ALLOC_TRACE=1 (a debugging aid): also prints, on stderr, the call sites
// of the counted operator new calls, grouped by backtrace and most frequent
// first, as "count size frame frame ..." (addresses relative to each module:
// feed them to addr2line -f -C -e <module>).
#include <dlfcn.h>
#include <execinfo.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <vector>

#include "ft/allocator.h"
#include "ft/bench/bench.h"

namespace {
thread_local uint64_t tl_new_calls = 0;

// Tracing state (only while measure_train_step_allocations traces).
constexpr int kFrames = 12;
struct Site { void* frames[kFrames]; int depth; size_t size; };
thread_local bool tl_tracing = false;
thread_local std::vector<Site>* tl_sites = nullptr;

void note(size_t n) {
  ++tl_new_calls;
  if (!tl_tracing) return;
  tl_tracing = false;  // backtrace and push_back allocate: do not recurse
  Site s;
  s.size = n;
  s.depth = backtrace(s.frames, kFrames);
  tl_sites->push_back(s);
  tl_tracing = true;
}

void print_sites(const std::vector<Site>& sites, int steps) {
  std::map<std::vector<void*>, std::pair<int, size_t>> groups;
  for (const Site& s : sites) {
    auto& g = groups[std::vector<void*>(s.frames + 1, s.frames + s.depth)];
    g.first++;
    g.second = s.size;
  }
  std::vector<std::pair<int, const std::vector<void*>*>> order;
  for (auto& [k, v] : groups) order.push_back({v.first, &k});
  std::sort(order.begin(), order.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (auto& [count, frames] : order) {
    std::fprintf(stderr, "%.1f size=%zu", double(count) / steps, groups[*frames].second);
    for (void* f : *frames) {
      Dl_info info;
      if (dladdr(f, &info) && info.dli_fname)
        std::fprintf(stderr, " %s+%#lx", info.dli_fname, (unsigned long)((char*)f - (char*)info.dli_fbase - 1));
      else
        std::fprintf(stderr, " %p", f);
    }
    std::fprintf(stderr, "\n");
  }
}
}  // namespace

void* operator new(std::size_t n) {
  note(n);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  note(n);
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
  const bool trace = std::getenv("FT_ALLOC_TRACE") != nullptr;
  std::vector<Site> sites;
  if (trace) {
    sites.reserve(100000);
    tl_sites = &sites;
    tl_tracing = true;
  }
  uint64_t sys0 = CPUAllocator::get().stats().system_allocs, new0 = tl_new_calls;
  for (int i = 0; i < steps; ++i) w.run();
  uint64_t sys1 = CPUAllocator::get().stats().system_allocs, new1 = tl_new_calls;
  if (trace) {
    tl_tracing = false;
    print_sites(sites, steps);
    tl_sites = nullptr;
  }
  return {double(sys1 - sys0) / steps, double(new1 - new0) / steps};
}

}  // namespace ft::bench
