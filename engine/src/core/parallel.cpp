// The thread pool behind ft::parallel_for (NOTE [ Deterministic chunking ]).
//
// NOTE [ Pool design ]
// n-1 workers sleep on a condition variable; the caller works too. A job is
// one chunk counter: every thread grabs chunk indices with fetch_add until
// they run out, so there is no per-chunk allocation or queue. The caller
// waits until every chunk finished, then the job is retired. One job runs at
// a time (a mutex serialises callers from different user threads).
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "ft/error.h"
#include "ft/parallel.h"

extern "C" void openblas_set_num_threads(int);

namespace ft {
namespace {

thread_local bool tl_in_parallel = false;

class Pool {
 public:
  static Pool& get() {
    static Pool* p = new Pool();  // leaked: workers may outlive static destructors
    return *p;
  }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  void set_threads(int n) {
    std::lock_guard<std::mutex> run(run_mu_);
    threads_.store(n, std::memory_order_relaxed);
    while (int(workers_.size()) < n - 1) workers_.emplace_back([this] { worker_loop(); });
  }

  void run(int64_t nchunks, detail::ChunkFn fn) {
    std::lock_guard<std::mutex> run(run_mu_);
    const int helpers = std::min<int64_t>(threads() - 1, nchunks - 1);
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = fn;
      nchunks_ = nchunks;
      next_.store(0);
      done_.store(0);
      error_ = nullptr;
      wanted_ = helpers;
      ++generation_;
      published_.store(generation_, std::memory_order_release);
    }
    cv_.notify_all();
    work();
    // Wait for chunks taken by workers.
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return done_.load() == nchunks_ && active_ == 0; });
    wanted_ = 0;  // workers that never woke must not join a finished job
    fn_ = {};
    if (error_) std::rethrow_exception(error_);
  }

 private:
  Pool() {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    set_threads(int(hw));
  }

  void work() {
    tl_in_parallel = true;
    for (;;) {
      int64_t c = next_.fetch_add(1);
      if (c >= nchunks_) break;
      try {
        fn_(c);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu_);
        if (!error_) error_ = std::current_exception();
      }
      if (done_.fetch_add(1) + 1 == nchunks_) {
        std::lock_guard<std::mutex> lk(mu_);
        done_cv_.notify_all();
      }
    }
    tl_in_parallel = false;
  }

  void worker_loop() {
    uint64_t seen = 0;
    for (;;) {
      // Spin briefly before sleeping: back-to-back kernels (a training step)
      // then start in well under a microsecond instead of a futex wake-up. Kept
      // short (tens of microseconds): a longer spin steals the core from
      // OpenBLAS's and other libraries' threads on a 2-core machine.
      for (int i = 0; i < 1000 && published_.load(std::memory_order_acquire) == seen; ++i) _mm_pause();
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return generation_ != seen && wanted_ > 0; });
        seen = generation_;
        --wanted_;
        ++active_;
      }
      work();
      std::lock_guard<std::mutex> lk(mu_);
      --active_;
      done_cv_.notify_all();
    }
  }

  std::mutex run_mu_;  // one job at a time
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  std::atomic<int> threads_{1};
  detail::ChunkFn fn_{};
  int64_t nchunks_ = 0;
  std::atomic<int64_t> next_{0}, done_{0};
  std::exception_ptr error_;
  uint64_t generation_ = 0;
  std::atomic<uint64_t> published_{0};  // generation_, readable without the lock
  int wanted_ = 0, active_ = 0;
};

}  // namespace

void set_num_threads(int n) {
  FT_CHECK(n >= 1, "set_num_threads: expected a positive number of threads, got ", n);
  Pool::get().set_threads(n);
  openblas_set_num_threads(n);
}

int get_num_threads() { return Pool::get().threads(); }

bool in_parallel_region() { return tl_in_parallel; }

namespace detail {
void parallel_run(int64_t nchunks, ChunkFn chunk_fn) { Pool::get().run(nchunks, chunk_fn); }
}  // namespace detail

}  // namespace ft
