// Random numbers: the Mersenne Twister engine, the CPU generator (seed, state,
// cached normal sample) and the random tensor factories and in-place fills.
//
// NOTE [ RNG parity ]
// Every function here reproduces PyTorch 1.13's default CPU generator bit for
// bit: the same seed gives the same numbers as at::manual_seed + at::rand/
// randn/randint/randperm/bernoulli/multinomial/dropout, and get_state() has the
// byte layout of torch.get_rng_state() (5056 bytes). To keep that promise the
// fills consume 32- and 64-bit draws in exactly ATen's order: elements are
// visited in TensorIterator's memory order (see random/sampling.h), float
// uniforms use one 32-bit draw and 24 bits, double uniforms one 64-bit draw
// and 53 bits, and each distribution transforms the draws with ATen's formula.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>

#include "ft/ops.h"
#include "ft/tensor.h"

namespace ft {

// MT19937 (Matsumoto & Nishimura), 32-bit output, with PyTorch's bookkeeping:
// `left` counts down the outputs before the next twist and `next` indexes the
// next state word, so that a get_state()/set_state() round trip (and the byte
// layout of the exported state) matches ATen's at::mt19937 exactly.
class Mt19937 {
 public:
  static constexpr int kStateSize = 624;
  explicit Mt19937(uint64_t seed = 5489) { seed_with(seed); }

  // Only the low 32 bits of `seed` feed the recurrence (as in ATen); the full
  // value is remembered as the generator's initial seed.
  void seed_with(uint64_t seed);

  uint32_t operator()() {
    if (--left_ == 0) twist();
    uint32_t y = state_[next_++];
    // Tempering.
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
  }

  // Raw fields (state export/import).
  uint64_t seed() const { return seed_; }
  int32_t left() const { return left_; }
  bool seeded() const { return seeded_; }
  uint32_t next() const { return next_; }
  const std::array<uint32_t, kStateSize>& words() const { return state_; }
  // Loads raw fields; returns false (and changes nothing) when they do not
  // describe a valid engine (ATen's mt19937::is_valid).
  bool load(uint64_t seed, int32_t left, bool seeded, uint32_t next, const std::array<uint32_t, kStateSize>& words);

 private:
  void twist();  // regenerates all 624 words
  uint64_t seed_ = 0;
  int32_t left_ = 1;   // INVARIANT: 1 <= left_ <= 624 between calls
  bool seeded_ = false;
  uint32_t next_ = 0;  // INVARIANT: next_ <= 624
  std::array<uint32_t, kStateSize> state_{};
};

// The CPU generator (ATen's CPUGeneratorImpl): an engine, the initial seed and
// the Box-Muller sample cached by the scalar normal path.
class Generator {
 public:
  static constexpr uint64_t kDefaultSeed = 67280421310721ULL;  // c10::default_rng_seed_val
  static constexpr int64_t kStateBytes = 5056;                 // sizeof(CPUGeneratorImplState)
  static constexpr int64_t kLegacyStateBytes = 5048;           // sizeof(CPUGeneratorImplStateLegacy)

  explicit Generator(uint64_t seed = kDefaultSeed) : engine_(seed) {}
  Generator(const Generator& o) : engine_(o.engine_), next_double_(o.next_double_), next_float_(o.next_float_) {}
  Generator& operator=(const Generator& o);

  // manual_seed: reseeds the engine and drops the cached normal samples.
  void set_current_seed(uint64_t seed);
  void manual_seed(uint64_t seed) { set_current_seed(seed); }
  uint64_t current_seed() const { return engine_.seed(); }
  uint64_t initial_seed() const { return engine_.seed(); }
  // Seeds from a non-deterministic source and returns the seed (torch.seed()).
  uint64_t seed();

  uint32_t random() { return engine_(); }
  // Two 32-bit draws, the first one in the high half (ATen's random64).
  uint64_t random64() {
    uint64_t hi = engine_();
    uint64_t lo = engine_();
    return (hi << 32) | lo;
  }

  std::optional<double> next_double_normal_sample() const { return next_double_; }
  void set_next_double_normal_sample(std::optional<double> v) { next_double_ = v; }
  std::optional<float> next_float_normal_sample() const { return next_float_; }
  void set_next_float_normal_sample(std::optional<float> v) { next_float_ = v; }

  // A uint8 tensor of kStateBytes bytes laid out as ATen's CPUGeneratorImplState
  // (the value torch.get_rng_state() returns).
  Tensor get_state() const;
  // Accepts the current (5056-byte) or the legacy (5048-byte) layout, like
  // CPUGeneratorImpl::set_state; raises on any other size or an invalid engine.
  void set_state(const Tensor& state);

  const Mt19937& engine() const { return engine_; }
  // Held by every fill for the duration of its draws (ATen does the same).
  std::mutex& mutex() const { return mutex_; }

 private:
  Mt19937 engine_;
  std::optional<double> next_double_;
  std::optional<float> next_float_;
  mutable std::mutex mutex_;
};

// The process-wide default generator (seeded with kDefaultSeed at start).
Generator& default_generator();
// torch.manual_seed / torch.initial_seed / torch.seed / get_rng_state / set_rng_state.
void manual_seed(uint64_t seed);
uint64_t initial_seed();
uint64_t seed();
Tensor get_rng_state();
void set_rng_state(const Tensor& state);

// ---- factories ----------------------------------------------------------------
// `g` null means the default generator.
Tensor rand(IntArrayRef sizes, TensorOptions opts = {}, Generator* g = nullptr);
Tensor randn(IntArrayRef sizes, TensorOptions opts = {}, Generator* g = nullptr);
// Integers uniform in [low, high) (at::randint(low, high, sizes)); int64 by default.
Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, TensorOptions opts = DType::Int64,
               Generator* g = nullptr);
Tensor randint(int64_t high, IntArrayRef sizes, TensorOptions opts = DType::Int64, Generator* g = nullptr);
// A random permutation of 0..n-1 (ATen's CPU Fisher-Yates).
Tensor randperm(int64_t n, TensorOptions opts = DType::Int64, Generator* g = nullptr);
Tensor rand_like(const Tensor& t, Generator* g = nullptr);
Tensor randn_like(const Tensor& t, Generator* g = nullptr);

// ---- in-place fills ------------------------------------------------------------
// All of them: refuse leaves that require grad, refuse outputs with internal
// overlap, bump the version counter, and give the old history a zero gradient.
Tensor& uniform_(Tensor& t, double from = 0, double to = 1, Generator* g = nullptr);
Tensor& normal_(Tensor& t, double mean = 0, double std = 1, Generator* g = nullptr);
Tensor& bernoulli_(Tensor& t, double p = 0.5, Generator* g = nullptr);
Tensor& bernoulli_(Tensor& t, const Tensor& p, Generator* g = nullptr);
Tensor& exponential_(Tensor& t, double lambd = 1, Generator* g = nullptr);
// random_(from, to): integers in [from, to). random_(): [0, 2^mantissa] for
// floats, [0, max] for integers (ATen's uniform_int_distribution).
Tensor& random_(Tensor& t, int64_t from, std::optional<int64_t> to, Generator* g = nullptr);
Tensor& random_(Tensor& t, Generator* g = nullptr);

// ---- sampling ------------------------------------------------------------------
// Draws 0/1 with probability p elementwise; the result has p's dtype.
Tensor bernoulli(const Tensor& p, Generator* g = nullptr);
// self-shaped draws with a scalar probability (at::bernoulli(self, p)).
Tensor bernoulli(const Tensor& self, double p, Generator* g = nullptr);
// Category indices (int64), rows of a 1-D or 2-D probability tensor.
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false, Generator* g = nullptr);
Tensor normal(double mean, double std, IntArrayRef sizes, Generator* g = nullptr, TensorOptions opts = {});

// ---- dropout --------------------------------------------------------------------
// at::dropout on CPU: mask = bernoulli_(1 - p) / (1 - p), result = x * mask.
// Differentiable in x (the gradient is grad * mask).
Tensor dropout(const Tensor& x, double p, bool train, Generator* g = nullptr);
// at::dropout_: the same mask, x.mul_(mask); returns x.
Tensor dropout_(Tensor& x, double p, bool train, Generator* g = nullptr);
// at::feature_dropout: one mask entry per (N, C) plane, broadcast over the rest.
Tensor feature_dropout(const Tensor& x, double p, bool train, Generator* g = nullptr);

}  // namespace ft
