// Storage and the caching CPU allocator: size classes, 64-byte alignment,
// block reuse (a steady-state loop makes no system allocation), the cache
// limit, and external (from_blob) storage with a deleter.
#include <gtest/gtest.h>

#include <cstdint>

#include "ft/allocator.h"
#include "ft/storage.h"
#include "test_util.h"

namespace ft {
namespace {

TEST(Allocator, RoundSizeClasses) {
  EXPECT_EQ(CPUAllocator::round_size(0), 64u);
  EXPECT_EQ(CPUAllocator::round_size(1), 64u);
  EXPECT_EQ(CPUAllocator::round_size(64), 64u);
  EXPECT_EQ(CPUAllocator::round_size(65), 128u);
  EXPECT_EQ(CPUAllocator::round_size(512), 512u);
  // Every class holds the request, is a multiple of 64 and wastes < 25% above 512 bytes.
  for (size_t n : {size_t(513), size_t(1000), size_t(4097), size_t(100000), size_t(1) << 20, (size_t(1) << 20) + 1}) {
    size_t r = CPUAllocator::round_size(n);
    EXPECT_GE(r, n);
    EXPECT_EQ(r % 64, 0u) << n;
    EXPECT_LT(double(r - n), 0.25 * double(n)) << n;
  }
}

TEST(Allocator, Alignment64) {
  auto& a = CPUAllocator::get();
  for (size_t n : {size_t(0), size_t(1), size_t(3), size_t(63), size_t(100), size_t(4096), size_t(100001)}) {
    void* p = a.allocate(n);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << n;
    a.deallocate(p, n);
  }
  Tensor t = empty({7, 3}, DType::Float64);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % 64, 0u);
}

TEST(Allocator, FreedBlockIsReused) {
  auto& a = CPUAllocator::get();
  const size_t n = 12345;
  void* p = a.allocate(n);
  a.deallocate(p, n);
  AllocatorStats before = a.stats();
  void* q = a.allocate(n);
  AllocatorStats after = a.stats();
  EXPECT_EQ(q, p);  // the block just freed comes back from the free list
  EXPECT_EQ(after.system_allocs, before.system_allocs);
  EXPECT_EQ(after.cache_hits, before.cache_hits + 1);
  a.deallocate(q, n);
}

TEST(Allocator, SteadyStateLoopMakesNoSystemAllocation) {
  auto& a = CPUAllocator::get();
  Tensor x = test::rand_tensor({16, 32}, DType::Float32, 3);
  Tensor w = test::rand_tensor({32, 8}, DType::Float32, 4);
  auto step = [&] {
    Tensor h = x.mm(w);
    Tensor y = (h * h + h).exp().sum({0});
    Tensor z = y.mean();
    (void)z;
  };
  step();  // warm-up fills the free lists
  AllocatorStats before = a.stats();
  for (int i = 0; i < 50; ++i) step();
  AllocatorStats after = a.stats();
  EXPECT_EQ(after.system_allocs, before.system_allocs);
  EXPECT_GT(after.cache_hits, before.cache_hits);
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);  // nothing leaked per step
}

TEST(Allocator, BytesInUseTracksLiveTensors) {
  auto& a = CPUAllocator::get();
  AllocatorStats s0 = a.stats();
  {
    Tensor t = empty({1000}, DType::Float32);  // 4000 bytes
    AllocatorStats s1 = a.stats();
    EXPECT_EQ(s1.bytes_in_use - s0.bytes_in_use, CPUAllocator::round_size(4000));
  }
  EXPECT_EQ(a.stats().bytes_in_use, s0.bytes_in_use);
}

TEST(Allocator, EmptyCacheAndCachedLimit) {
  auto& a = CPUAllocator::get();
  void* p = a.allocate(777);
  a.deallocate(p, 777);
  EXPECT_GT(a.stats().bytes_cached, 0u);
  a.empty_cache();
  EXPECT_EQ(a.stats().bytes_cached, 0u);

  // With a zero limit nothing is cached: frees go back to the system.
  a.set_cached_limit(0);
  AllocatorStats s0 = a.stats();
  void* q = a.allocate(999);
  a.deallocate(q, 999);
  AllocatorStats s1 = a.stats();
  EXPECT_EQ(s1.system_allocs, s0.system_allocs + 1);
  EXPECT_EQ(s1.system_frees, s0.system_frees + 1);
  EXPECT_EQ(s1.bytes_cached, 0u);
  a.set_cached_limit(size_t(2) << 30);
}

TEST(Storage, TensorStorageSizeAndOffset) {
  Tensor t = empty({3, 5}, DType::Int16);
  EXPECT_EQ(t.impl()->storage()->nbytes(), size_t(3 * 5 * 2));
  EXPECT_EQ(t.storage_offset(), 0);
  Tensor s = t.select(0, 2);
  EXPECT_EQ(s.storage_offset(), 10);
  EXPECT_EQ(static_cast<char*>(s.data_ptr()) - static_cast<char*>(t.data_ptr()), 20);
  // A zero-element tensor still has a valid (possibly empty) storage.
  Tensor z = empty({0, 4});
  EXPECT_EQ(z.numel(), 0);
  EXPECT_EQ(z.impl()->storage()->nbytes(), 0u);
}

void count_deleter(void* /*data*/, void* ctx) { ++*static_cast<int*>(ctx); }

TEST(Storage, FromBlobWrapsWithoutCopyAndRunsDeleter) {
  float buf[6] = {1, 2, 3, 4, 5, 6};
  int deleted = 0;
  {
    Tensor t = from_blob(buf, {2, 3}, {3, 1}, DType::Float32, count_deleter, &deleted);
    EXPECT_EQ(t.data_ptr(), static_cast<void*>(buf));
    EXPECT_EQ(t.impl()->storage()->nbytes(), sizeof(buf));
    EXPECT_EQ(test::values(t.t()), (std::vector<double>{1, 4, 2, 5, 3, 6}));
    buf[0] = 10;  // no copy: the tensor sees the caller's memory
    EXPECT_EQ(t.select(0, 0).select(0, 0).item<float>(), 10.f);
    Tensor v = t.view({6});  // a view keeps the storage alive
    t = Tensor();
    EXPECT_EQ(deleted, 0);
  }
  EXPECT_EQ(deleted, 1);
}

}  // namespace
}  // namespace ft
