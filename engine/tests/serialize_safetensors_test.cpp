// safetensors: round trips of every dtype, metadata, non-contiguous input,
// hand-written headers (the format as others write it) and hostile files.
#include "ft/serialize/safetensors.h"

#include "serialize_test_util.h"

namespace ft::test {
namespace {

using namespace ft::serialize;
using ser::tmp_path;

// Builds a safetensors file from a header string and a data blob.
std::string st_file(const std::string& header, const std::string& data) {
  std::string out;
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out.push_back(char((n >> (8 * i)) & 0xff));
  return out + header + data;
}
SafetensorsFile st_load_bytes(const std::string& bytes) {
  std::string p = tmp_path("st_bytes.safetensors");
  ser::write_bytes(p, bytes);
  return load_safetensors(p);
}

TEST(SerializeSafetensors, RoundTripsEveryDtypeAndMetadata) {
  TensorEntries in;
  for (DType dt : ser::kAllSerializeDtypes) in.push_back({std::string("t_") + dtype_name(dt), ser::sample_tensor(dt)});
  in.push_back({"scalar", scalar_tensor(2.5, DType::Float64)});
  in.push_back({"empty", empty({0, 4}, DType::Float32)});
  std::string p = tmp_path("all.safetensors");
  save_safetensors(p, in, {{"format", "pt"}, {"note", "quote\" and \\ and \n"}});
  SafetensorsFile f = load_safetensors(p);
  ASSERT_EQ(f.tensors.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(f.tensors[i].name, in[i].name);
    EXPECT_TRUE(ser::same_tensor(f.tensors[i].tensor, in[i].tensor)) << in[i].name;
  }
  ASSERT_EQ(f.metadata.size(), 2u);
  EXPECT_EQ(f.metadata[1].second, "quote\" and \\ and \n");
  // The data section starts 8-byte aligned (header padded with spaces).
  std::string bytes = ser::read_bytes(p);
  uint64_t hlen = 0;
  std::memcpy(&hlen, bytes.data(), 8);
  EXPECT_EQ(hlen % 8, 0u);
}

TEST(SerializeSafetensors, NonContiguousInputIsWrittenInLogicalOrder) {
  Tensor base = iota({3, 4}, DType::Int32);
  Tensor tr = base.t();  // (4, 3), strides (1, 4)
  std::string p = tmp_path("nc.safetensors");
  save_safetensors(p, {{"tr", tr}, {"row", base.select(0, 1)}});
  auto f = load_safetensors(p);
  EXPECT_TRUE(f.tensors[0].tensor.is_contiguous());
  EXPECT_EQ(values(f.tensors[0].tensor), values(tr));
  EXPECT_EQ(values(f.tensors[1].tensor), (std::vector<double>{4, 5, 6, 7}));
}

TEST(SerializeSafetensors, ReadsAHandWrittenFile) {
  // Two F32 values and one BF16 (1.0 = 0x3f80), in header order b, a.
  std::string data("\x00\x00\x80\x3f\x00\x00\x00\xc0\x80\x3f", 10);
  auto f = st_load_bytes(st_file(
      R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "a":{"dtype":"BF16","shape":[],"data_offsets":[8,10]},)"
      R"("__metadata__":{"k":"v\u00e9"}}   )",
      data));
  ASSERT_EQ(f.tensors.size(), 2u);
  EXPECT_EQ(f.tensors[0].name, "b");
  EXPECT_EQ(values(f.tensors[0].tensor), (std::vector<double>{1.0, -2.0}));
  EXPECT_EQ(f.tensors[1].tensor.dtype(), DType::BFloat16);
  EXPECT_EQ(f.tensors[1].tensor.dim(), 0);
  EXPECT_EQ(values(f.tensors[1].tensor), (std::vector<double>{1.0}));
  EXPECT_EQ(f.metadata[0].second, "v\xc3\xa9");
}

TEST(SerializeSafetensors, RefusesHostileHeaders) {
  auto err = [&](const std::string& header, const std::string& data, const std::string& needle) {
    FT_EXPECT_ERROR(st_load_bytes(st_file(header, data)), ErrorKind::Runtime, needle);
  };
  std::string d8(8, '\0');
  err(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", d8, "span 4 bytes");
  err(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
      d8, "overlaps");
  err(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", d8, "gap");
  err(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", d8, "truncated");
  err(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", d8, "trailing bytes");
  err(R"({"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})", d8, "'C64' is not supported");
  err(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}})", d8, "non-negative");
  err(R"({"a":{"dtype":"U8","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})", d8, "too many elements");
  err(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", d8, "end < begin");
  err(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}})", d8, "unknown field 'extra'");
  err(R"({"a":{"dtype":"F32","shape":[2]}})", d8, "missing one of the fields");
  err(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
      d8, "duplicate key");
  err(R"({"a":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]})", d8, "nesting deeper");
  err(R"({"a":{"dtype":"BOOL","shape":[8],"data_offsets":[0,8]}})", std::string(8, '\x07'), "booleans must be 0 or 1");
  err(R"(["not an object"])", "", "not a JSON object");
  err(R"({"a":)", "", "invalid JSON header");
  // Header length beyond the file / beyond the 100 MB limit: no allocation attempted.
  std::string huge("\xff\xff\xff\xff\xff\xff\xff\x7f{}", 10);
  FT_EXPECT_ERROR(st_load_bytes(huge), ErrorKind::Runtime, "100 MB limit");
  std::string beyond("\x40\x00\x00\x00\x00\x00\x00\x00{}", 10);
  FT_EXPECT_ERROR(st_load_bytes(beyond), ErrorKind::Runtime, "truncated");
  FT_EXPECT_ERROR(st_load_bytes("abc"), ErrorKind::Runtime, "too short");
  FT_EXPECT_ERROR(load_safetensors(tmp_path("does_not_exist")), ErrorKind::Runtime, "cannot open");
}

TEST(SerializeSafetensors, SaveRefusesBadNames) {
  Tensor t = zeros({2});
  FT_EXPECT_ERROR(save_safetensors(tmp_path("x.st"), {{"a", t}, {"a", t}}), ErrorKind::Value, "duplicate");
  FT_EXPECT_ERROR(save_safetensors(tmp_path("x.st"), {{"__metadata__", t}}), ErrorKind::Value, "invalid tensor name");
}

TEST(SerializeSafetensors, TruncationsAndByteFlipsNeverCrash) {
  TensorEntries in;
  for (DType dt : ser::kAllSerializeDtypes) in.push_back({dtype_short_name(dt), ser::sample_tensor(dt)});
  std::string p = tmp_path("fuzz_src.safetensors");
  save_safetensors(p, in, {{"m", "x"}});
  std::string good = ser::read_bytes(p);
  int errors = ser::corruption_sweep(good, tmp_path("fuzz.safetensors"),
                                     [](const std::string& q) { (void)load_safetensors(q); }, 3, 400);
  // Every strict truncation must fail (the data must end where the header says).
  EXPECT_GE(errors, int(good.size() / 3));
}

}  // namespace
}  // namespace ft::test
