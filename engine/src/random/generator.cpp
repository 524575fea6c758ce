// The CPU generator: seeding, the default generator, and the state export in
// the byte layout of torch.get_rng_state().
#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>

#include "ft/random.h"

namespace ft {
namespace {

// NOTE [ RNG state layout ]
// ATen exports CPUGeneratorImplState, a POD made of the pre-1.5 "legacy"
// struct followed by the cached float normal sample. Reproducing it field by
// field with the same types gives the same offsets and padding on x86-64
// (LP64): 5048 bytes for the legacy part, 5056 in all. The engine words are
// stored widened to uint64. Only normal_y and normal_is_valid carry the cached
// double sample; normal_x and normal_rho are written as zero (they exist for
// the legacy format, whose reader recomputes the sample from them).
struct LegacyState {
  uint64_t the_initial_seed;
  int32_t left;
  int32_t seeded;
  uint64_t next;
  uint64_t state[Mt19937::kStateSize];
  double normal_x;
  double normal_y;
  double normal_rho;
  int32_t normal_is_valid;
};
struct CurrentState {
  LegacyState legacy;
  float next_float_normal_sample;
  bool is_next_float_normal_sample_valid;
};
static_assert(sizeof(LegacyState) == Generator::kLegacyStateBytes, "legacy RNG state must be 5048 bytes");
static_assert(sizeof(CurrentState) == Generator::kStateBytes, "RNG state must be 5056 bytes");
static_assert(offsetof(CurrentState, next_float_normal_sample) == 5048, "unexpected RNG state padding");

constexpr double kLegacyPi = 3.14159265358979323846;  // not kPi: unity builds

}  // namespace

Generator& Generator::operator=(const Generator& o) {
  if (this != &o) {
    engine_ = o.engine_;
    next_double_ = o.next_double_;
    next_float_ = o.next_float_;
  }
  return *this;
}

void Generator::set_current_seed(uint64_t seed) {
  next_float_.reset();
  next_double_.reset();
  engine_ = Mt19937(seed);
}

uint64_t Generator::seed() {
  // Not reproducible on purpose (torch.seed()); 64 bits from the OS.
  std::random_device rd;
  uint64_t s = (uint64_t(rd()) << 32) | uint64_t(rd());
  set_current_seed(s);
  return s;
}

Tensor Generator::get_state() const {
  CurrentState st;
  std::memset(&st, 0, sizeof st);  // padding bytes are zero, as ATen's value-initialized struct
  st.legacy.the_initial_seed = engine_.seed();
  st.legacy.left = engine_.left();
  st.legacy.seeded = engine_.seeded() ? 1 : 0;
  st.legacy.next = engine_.next();
  for (int i = 0; i < Mt19937::kStateSize; ++i) st.legacy.state[i] = engine_.words()[size_t(i)];
  if (next_double_) {
    st.legacy.normal_is_valid = 1;
    st.legacy.normal_y = *next_double_;
  }
  if (next_float_) {
    st.is_next_float_normal_sample_valid = true;
    st.next_float_normal_sample = *next_float_;
  }
  Tensor out = empty({kStateBytes}, DType::UInt8);
  std::memcpy(out.data_ptr(), &st, sizeof st);
  return out;
}

void Generator::set_state(const Tensor& state) {
  FT_CHECK(state.dtype() == DType::UInt8, "expected a torch.ByteTensor, but got ", dtype_torch_name(state.dtype()));
  FT_CHECK(state.is_contiguous(), "RNG state must be contiguous");
  const int64_t n = state.numel();
  std::optional<double> dbl;
  std::optional<float> flt;
  LegacyState legacy;
  if (n == kLegacyStateBytes) {
    std::memcpy(&legacy, state.data_ptr(), sizeof legacy);
    // The legacy format kept the Box-Muller pair (x, rho); the cached sample
    // is the sine half.
    if (legacy.normal_is_valid) dbl = legacy.normal_rho * std::sin(2.0 * kLegacyPi * legacy.normal_x);
  } else if (n == kStateBytes) {
    CurrentState cur;
    std::memcpy(&cur, state.data_ptr(), sizeof cur);
    legacy = cur.legacy;
    if (cur.is_next_float_normal_sample_valid) flt = cur.next_float_normal_sample;
    if (legacy.normal_is_valid) dbl = legacy.normal_y;
  } else {
    FT_ERROR("Expected either a CPUGeneratorImplStateLegacy of size ", kLegacyStateBytes,
             " or a CPUGeneratorImplState of size ", kStateBytes, " but found the input RNG state size to be ", n);
  }
  std::array<uint32_t, Mt19937::kStateSize> words;
  for (int i = 0; i < Mt19937::kStateSize; ++i) words[size_t(i)] = uint32_t(legacy.state[i]);
  Mt19937 e;
  FT_CHECK(e.load(legacy.the_initial_seed, legacy.left, legacy.seeded != 0, uint32_t(legacy.next), words),
           "Invalid mt19937 state");
  std::lock_guard<std::mutex> lock(mutex_);
  engine_ = e;
  next_double_ = dbl;
  next_float_ = flt;
}

Generator& default_generator() {
  static Generator g;
  return g;
}

void manual_seed(uint64_t seed) {
  Generator& g = default_generator();
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_current_seed(seed);
}
uint64_t initial_seed() { return default_generator().initial_seed(); }
uint64_t seed() {
  Generator& g = default_generator();
  std::lock_guard<std::mutex> lock(g.mutex());
  return g.seed();
}
Tensor get_rng_state() { return default_generator().get_state(); }
void set_rng_state(const Tensor& state) { default_generator().set_state(state); }

}  // namespace ft
