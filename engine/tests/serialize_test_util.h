// Shared helpers for the serialize_*_test.cpp files: temp paths, raw byte
// I/O, bitwise tensor comparison, a deterministic tensor per dtype and the
// "every corruption gives ft::Error, never a crash" loop.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "ft/serialize/common.h"
#include "test_util.h"

namespace ft::test::ser {

inline std::string tmp_path(const std::string& name) {
  return ::testing::TempDir() + "ft_ser_" + std::to_string(::getpid()) + "_" + name;
}
inline std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}
inline bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

// Contiguous raw bytes of t (logical order).
inline std::string raw_bytes(const Tensor& t) {
  Tensor c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), size_t(c.numel() * c.element_size()));
}
// Same dtype, shape and bit pattern.
inline ::testing::AssertionResult same_tensor(const Tensor& got, const Tensor& want) {
  if (got.dtype() != want.dtype())
    return ::testing::AssertionFailure() << "dtype " << dtype_name(got.dtype()) << " != " << dtype_name(want.dtype());
  if (!got.sizes().equals(want.sizes()))
    return ::testing::AssertionFailure() << "shape " << shape_str(got.sizes()) << " != " << shape_str(want.sizes());
  if (raw_bytes(got) != raw_bytes(want))
    return ::testing::AssertionFailure() << "values differ: " << got.str() << " vs " << want.str();
  return ::testing::AssertionSuccess();
}

// A (2, 3) tensor of dtype dt with distinct values that exercise the type
// (negatives for signed types, fractions for floats, both bools).
inline Tensor sample_tensor(DType dt) {
  std::vector<double> v;
  switch (dt) {
    case DType::Bool: v = {1, 0, 1, 1, 0, 0}; break;
    case DType::UInt8: v = {0, 1, 127, 128, 200, 255}; break;
    case DType::Int8: v = {-128, -1, 0, 1, 100, 127}; break;
    case DType::Int16: v = {-32768, -300, 0, 7, 1000, 32767}; break;
    case DType::Int32: v = {-2147483648.0, -5, 0, 9, 65536, 2147483647.0}; break;
    case DType::Int64: v = {-9007199254740992.0, -1, 0, 3, 1e12, 9007199254740992.0}; break;
    default: v = {-1.5, 0.25, 3.0, -0.0, 1e-3, 65504}; break;
  }
  return from_vector(v, {2, 3}, dt);
}
constexpr DType kAllSerializeDtypes[] = {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16,
                                         DType::Int64,   DType::Int32,   DType::Int16,   DType::Int8,
                                         DType::UInt8,   DType::Bool};

// Robustness: loads every truncation (at `step` granularity plus the last 64
// lengths) and `flips` single-byte corruptions of `good`; each attempt must
// either load or raise ft::Error. Returns how many attempts raised.
inline int corruption_sweep(const std::string& good, const std::string& path,
                            const std::function<void(const std::string&)>& load, int64_t step, int flips) {
  int errors = 0;
  auto attempt = [&](const std::string& bytes) {
    write_bytes(path, bytes);
    try {
      load(path);
    } catch (const ft::Error&) {
      ++errors;
    }
    // Any other exception type propagates and fails the test.
  };
  int64_t n = int64_t(good.size());
  for (int64_t len = 0; len < n; len += (len + 64 >= n ? 1 : step)) attempt(good.substr(0, size_t(len)));
  uint64_t s = 0x9E3779B97F4A7C15ull;
  for (int k = 0; k < flips; ++k) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    std::string bad = good;
    size_t pos = size_t((s >> 33) % uint64_t(n));
    bad[pos] = char(bad[pos] ^ char(1 + ((s >> 20) % 255)));
    attempt(bad);
  }
  return errors;
}

}  // namespace ft::test::ser
