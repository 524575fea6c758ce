// The Mersenne Twister MT19937: seeding and the twist that refills the state.
// The per-draw tempering is inline in ft/random.h (the hot path).
#include "ft/random.h"

namespace ft {
namespace {
constexpr int kN = Mt19937::kStateSize;
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfu;
constexpr uint32_t kUpperMask = 0x80000000u;
constexpr uint32_t kLowerMask = 0x7fffffffu;

// One step of the recurrence: the upper bit of `u` joined to the lower 31 bits
// of `v`, shifted, xor the twist matrix when v is odd.
inline uint32_t twist_pair(uint32_t u, uint32_t v) {
  uint32_t mixed = (u & kUpperMask) | (v & kLowerMask);
  return (mixed >> 1) ^ ((v & 1u) ? kMatrixA : 0u);
}
}  // namespace

void Mt19937::seed_with(uint64_t seed) {
  seed_ = seed;
  seeded_ = true;
  state_[0] = uint32_t(seed & 0xffffffffu);
  for (int j = 1; j < kN; ++j)
    state_[j] = 1812433253u * (state_[j - 1] ^ (state_[j - 1] >> 30)) + uint32_t(j);
  // The first draw twists (left_ reaches 0), as in ATen.
  left_ = 1;
  next_ = 0;
}

void Mt19937::twist() {
  for (int k = 0; k < kN - kM; ++k) state_[k] = state_[k + kM] ^ twist_pair(state_[k], state_[k + 1]);
  for (int k = kN - kM; k < kN - 1; ++k) state_[k] = state_[k + kM - kN] ^ twist_pair(state_[k], state_[k + 1]);
  state_[kN - 1] = state_[kM - 1] ^ twist_pair(state_[kN - 1], state_[0]);
  left_ = kN;
  next_ = 0;
}

bool Mt19937::load(uint64_t seed, int32_t left, bool seeded, uint32_t next,
                   const std::array<uint32_t, kStateSize>& words) {
  if (!(seeded && left > 0 && left <= kN && next <= uint32_t(kN))) return false;
  seed_ = seed;
  left_ = left;
  seeded_ = seeded;
  next_ = next;
  state_ = words;
  return true;
}

}  // namespace ft
