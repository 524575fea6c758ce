// Intra-op parallelism over a small fixed thread pool.
//
// NOTE [ Deterministic chunking ]
// parallel_for splits [begin, end) into chunks of exactly `grain` elements
// (the last one shorter). The split depends only on the range and the grain,
// never on the thread count; threads merely pick chunks. A kernel that
// computes each chunk independently (and, for reductions, combines per-chunk
// partials in chunk order) therefore gives bitwise-identical results with 1
// or 2 threads (DAC promise 1).
#pragma once

#include <cstdint>
#include <functional>

namespace ft {

// Threads used by engine kernels and by OpenBLAS. Default: hardware threads.
void set_num_threads(int n);
int get_num_threads();
// True inside a parallel_for body (nested calls run inline).
bool in_parallel_region();

namespace detail {
// A non-owning reference to the chunk callback. A std::function holding
// parallel_for's lambda (four references, 32 bytes) would heap-allocate on
// every parallel call: a training step makes several, and issue 7 wants none.
struct ChunkFn {
  const void* obj;
  void (*call)(const void* obj, int64_t chunk);
  void operator()(int64_t chunk) const { call(obj, chunk); }
};
void parallel_run(int64_t nchunks, ChunkFn chunk_fn);
}

// f(chunk_begin, chunk_end) for each chunk of `grain` elements.
template <typename F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  const int64_t nchunks = (n + grain - 1) / grain;
  if (nchunks == 1 || get_num_threads() == 1 || in_parallel_region()) {
    for (int64_t c = 0; c < nchunks; ++c) {
      int64_t b = begin + c * grain;
      f(b, b + grain < end ? b + grain : end);
    }
    return;
  }
  auto chunk = [&](int64_t c) {
    int64_t b = begin + c * grain;
    f(b, b + grain < end ? b + grain : end);
  };
  using Chunk = decltype(chunk);
  detail::parallel_run(nchunks, {&chunk, [](const void* o, int64_t c) { (*static_cast<const Chunk*>(o))(c); }});
}

}  // namespace ft
