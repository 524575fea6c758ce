// Native checkpoint format: round trips, the documented layout, and refusal
// (with a hint) of bad magic, newer versions, checksum mismatches, truncation.
#include "ft/serialize/native.h"

#include "serialize_test_util.h"

namespace ft::test {
namespace {

using namespace ft::serialize;
using ser::tmp_path;

TensorEntries native_sample() {
  TensorEntries in;
  for (DType dt : ser::kAllSerializeDtypes) in.push_back({std::string("w.") + dtype_name(dt), ser::sample_tensor(dt)});
  in.push_back({"transposed", iota({3, 5}, DType::Float64).t()});
  in.push_back({"scalar", scalar_tensor(7, DType::Int64)});
  in.push_back({"empty", empty({3, 0}, DType::Float16)});
  return in;
}

TEST(SerializeNative, RoundTripsEveryDtypeAndLayout) {
  TensorEntries in = native_sample();
  std::string p = tmp_path("rt.ftckpt");
  save_native(p, in);
  TensorEntries out = load_native(p);
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].name, in[i].name);
    EXPECT_TRUE(ser::same_tensor(out[i].tensor, in[i].tensor)) << in[i].name;
    EXPECT_TRUE(out[i].tensor.is_contiguous());
  }
}

TEST(SerializeNative, FileStartsWithMagicAndVersion) {
  std::string p = tmp_path("magic.ftckpt");
  save_native(p, {{"a", ones({2})}});
  std::string b = ser::read_bytes(p);
  ASSERT_GE(b.size(), 24u);
  EXPECT_EQ(b.substr(0, 8), "FTORCHCK");
  EXPECT_EQ(b[8], 1);  // version 1, little-endian
  EXPECT_EQ(b[16], 1);  // one tensor
  // Header (24) + name_len (4) + name (1) + dtype/ndim/reserved (4) + size, stride, offset (24) + nbytes (8) + crc (4) + 8 data bytes.
  EXPECT_EQ(b.size(), 24u + 4 + 1 + 4 + 24 + 8 + 4 + 8);
}

TEST(SerializeNative, RefusesWithAHint) {
  std::string p = tmp_path("bad.ftckpt");
  save_native(p, {{"a", iota({4})}});
  std::string good = ser::read_bytes(p);

  std::string bad_magic = good;
  bad_magic[0] = 'X';
  ser::write_bytes(p, bad_magic);
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "not a FrankenTorch checkpoint (bad magic)");

  std::string newer = good;
  newer[8] = 2;
  ser::write_bytes(p, newer);
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "written by a newer FrankenTorch, upgrade");

  std::string flipped = good;
  flipped[flipped.size() - 3] ^= 0x10;  // a data byte
  ser::write_bytes(p, flipped);
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "checksum mismatch");

  std::string renamed = good;
  renamed[28] = 'b';  // the name: covered by the checksum too
  ser::write_bytes(p, renamed);
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "checksum mismatch");

  ser::write_bytes(p, good.substr(0, good.size() - 1));
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "truncated");

  ser::write_bytes(p, good + "x");
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "trailing bytes");

  std::string huge_count = good;
  for (int i = 16; i < 24; ++i) huge_count[size_t(i)] = '\xff';
  ser::write_bytes(p, huge_count);
  FT_EXPECT_ERROR(load_native(p), ErrorKind::Runtime, "does not fit the file");
}

TEST(SerializeNative, TruncationsAndByteFlipsNeverCrash) {
  std::string p = tmp_path("fuzz_src.ftckpt");
  save_native(p, native_sample());
  std::string good = ser::read_bytes(p);
  int64_t n = int64_t(good.size());
  int errors = ser::corruption_sweep(good, tmp_path("fuzz.ftckpt"),
                                     [](const std::string& q) { (void)load_native(q); }, 5, 400);
  // Every truncation and every flip is detected (magic, version, checksums, sizes).
  int64_t truncations = 0;
  for (int64_t len = 0; len < n; len += (len + 64 >= n ? 1 : 5)) ++truncations;
  EXPECT_EQ(errors, truncations + 400);
}

}  // namespace
}  // namespace ft::test
