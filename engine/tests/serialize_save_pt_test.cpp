// save_pt round trips through our own loader (no Python needed): values,
// storage sharing of views, and format detection of all three formats.
#include "ft/serialize/native.h"
#include "ft/serialize/pt.h"
#include "ft/serialize/safetensors.h"
#include "serialize_test_util.h"

namespace ft::test {
namespace {

using namespace ft::serialize;

TEST(SerializeSavePt, RoundTripKeepsValuesAndViews) {
  Tensor base = iota({4, 5}, DType::Float64);
  TensorEntries in = {{"base", base}, {"t", base.t()}, {"col", base.select(1, 3)}, {"blk", base.narrow(0, 1, 2)}};
  for (DType dt : ser::kAllSerializeDtypes) in.push_back({std::string("d.") + dtype_name(dt), ser::sample_tensor(dt)});
  std::string p = ser::tmp_path("rt.pt");
  save_pt(p, in);
  EXPECT_EQ(detect_format(p), Format::PtZip);
  TensorEntries out = load_pt_state_dict(p);
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].name, in[i].name);
    EXPECT_TRUE(ser::same_tensor(out[i].tensor, in[i].tensor)) << in[i].name;
    EXPECT_EQ(strides_of(out[i].tensor), strides_of(in[i].tensor)) << in[i].name;
    EXPECT_EQ(out[i].tensor.storage_offset(), in[i].tensor.storage_offset()) << in[i].name;
  }
  for (int k = 1; k < 4; ++k) EXPECT_TRUE(same_storage(out[size_t(k)].tensor, out[0].tensor));
  EXPECT_FALSE(same_storage(out[4].tensor, out[0].tensor));
  PtValue v = load_pt(p);
  EXPECT_TRUE(v.is_ordered_dict);
}

TEST(SerializeSavePt, DetectsEveryFormat) {
  TensorEntries in = {{"a", iota({3})}};
  std::string st = ser::tmp_path("d.safetensors"), nat = ser::tmp_path("d.ftckpt"), junk = ser::tmp_path("d.junk");
  save_safetensors(st, in);
  save_native(nat, in);
  ser::write_bytes(junk, "hello world, not a checkpoint");
  EXPECT_EQ(detect_format(st), Format::Safetensors);
  EXPECT_EQ(detect_format(nat), Format::Native);
  EXPECT_EQ(detect_format(junk), Format::Unknown);
  FT_EXPECT_ERROR(load_checkpoint(junk), ErrorKind::Runtime, "not a recognised checkpoint");
  for (const std::string& f : {st, nat}) {
    Checkpoint c = load_checkpoint(f);
    ASSERT_EQ(c.entries.size(), 1u);
    EXPECT_TRUE(ser::same_tensor(c.entries[0].tensor, in[0].tensor));
  }
}

TEST(SerializeSavePt, RefusesMixedDtypeSharedStorage) {
  // Two tensors of different dtypes over one storage cannot be a typed 1.13 storage.
  Tensor a = zeros({4}, DType::Int32);
  Tensor b(make_intrusive<TensorImpl>(a.impl()->storage(), DType::Float32, IntArrayRef{4}, IntArrayRef{1}, 0));
  FT_EXPECT_ERROR(save_pt(ser::tmp_path("mixed.pt"), {{"a", a}, {"b", b}}), ErrorKind::Value, "another dtype");
}

}  // namespace
}  // namespace ft::test
