// copy_, clone, contiguous, to(dtype), fill_: moving data between layouts and dtypes.
#include <algorithm>
#include <cstring>

#include "../autograd/record.h"
#include "../kernels/cpu/convert.h"
#include "../kernels/cpu/loops.h"
#include "../ops/op_helpers.h"
#include "ft/ops.h"

namespace ft {
namespace {

// Memory range [lo, hi) in bytes that a tensor touches (numel > 0).
std::pair<int64_t, int64_t> byte_range(const Tensor& t) {
  int64_t lo = t.storage_offset(), hi = t.storage_offset();
  for (int64_t d = 0; d < t.dim(); ++d) hi += (t.sizes()[size_t(d)] - 1) * t.strides()[size_t(d)];
  return {lo * t.element_size(), (hi + 1) * t.element_size()};
}

// Raw strided copy with conversion: dst[...] = convert(src[...]); shapes equal
// after broadcasting src.
void copy_kernel(const Tensor& dst, const Tensor& src) {
  DimVector sst = ops::expanded_strides(src, dst.sizes());
  auto g = kernels::make_geometry<2>(dst.sizes(), {dst.strides(), IntArrayRef(sst)},
                                     {dst.element_size(), src.element_size()});
  if (dst.dtype() == src.dtype()) {
    const int64_t es = dst.element_size();
    kernels::run_geometry_par(g, {static_cast<char*>(dst.data_ptr()), static_cast<char*>(src.data_ptr())},
                          [&](char** p, const int64_t* s, int64_t n) {
                            if (s[0] == es && s[1] == es) {
                              std::memcpy(p[0], p[1], size_t(n * es));
                              return;
                            }
                            // Typed moves by element size (a memcpy call per element was the
                            // cost of every broadcast or transposed copy); a stride-0 source
                            // (a broadcast) is a fill.
                            auto strided = [&](auto tag) {
                              using U = decltype(tag);
                              if (s[1] == 0) {
                                U v;
                                std::memcpy(&v, p[1], sizeof(U));
                                if (s[0] == int64_t(sizeof(U))) {
                                  std::fill_n(reinterpret_cast<U*>(p[0]), n, v);
                                  return;
                                }
                                for (int64_t i = 0; i < n; ++i) std::memcpy(p[0] + i * s[0], &v, sizeof(U));
                                return;
                              }
                              for (int64_t i = 0; i < n; ++i) {
                                U v;
                                std::memcpy(&v, p[1] + i * s[1], sizeof(U));
                                std::memcpy(p[0] + i * s[0], &v, sizeof(U));
                              }
                            };
                            switch (es) {
                              case 1: strided(uint8_t{}); break;
                              case 2: strided(uint16_t{}); break;
                              case 4: strided(uint32_t{}); break;
                              case 8: strided(uint64_t{}); break;
                              default:
                                for (int64_t i = 0; i < n; ++i) std::memcpy(p[0] + i * s[0], p[1] + i * s[1], size_t(es));
                            }
                          });
    return;
  }
  FT_DISPATCH_EVERY(dst.dtype(), "copy_", [&] {
    using D = scalar_t;
    FT_DISPATCH_EVERY(src.dtype(), "copy_", [&] {
      using S = scalar_t;
      kernels::run_geometry_par(g, {static_cast<char*>(dst.data_ptr()), static_cast<char*>(src.data_ptr())},
                            [&](char** p, const int64_t* s, int64_t n) {
                              for (int64_t i = 0; i < n; ++i)
                                *reinterpret_cast<D*>(p[0] + i * s[0]) =
                                    kernels::convert<D>(*reinterpret_cast<const S*>(p[1] + i * s[1]));
                            });
    });
  });
}

}  // namespace

Tensor& Tensor::copy_(const Tensor& src) {
  FT_OP_SCOPE("copy_");
  FT_CHECK(src.defined(), "copy_(): the source tensor is undefined");
  ops::check_inplace_autograd(*this, {&src});
  // Broadcast check with TensorIterator's messages (PyTorch's copy_ broadcasts
  // self with src, then requires the result to be self's shape).
  Tensor srcb = src;
  if (!src.sizes().equals(sizes())) {
    DimVector bshape = broadcast_shapes(sizes(), src.sizes());
    FT_CHECK(bshape == DimVector(sizes()), "output with shape ", shape_str(sizes()),
             " doesn't match the broadcast shape ", shape_str(bshape));
    autograd::NoGradGuard ng;
    srcb = ft::expand(src, sizes());
  }
  if (numel() > 0) {
    ops::check_no_internal_overlap(*this);
    Tensor s = srcb;
    if (src.impl()->storage() == impl()->storage() && src.numel() > 0) {
      auto [a0, a1] = byte_range(*this);
      auto [b0, b1] = byte_range(src);
      if (a0 < b1 && b0 < a1) {
        bool same = src.storage_offset() == storage_offset() && src.strides().equals(strides()) &&
                    src.sizes().equals(sizes()) && src.dtype() == dtype();
        FT_CHECK(same, "unsupported operation: some elements of the input tensor and the written-to tensor "
                 "refer to a single memory location. Please clone() the tensor before performing the operation.");
      }
    }
    copy_kernel(*this, s);
  }
  impl()->bump_version();
  autograd::record_copy(*this, src);
  return *this;
}

Tensor clone(const Tensor& t) {
  FT_OP_SCOPE("clone");
  Tensor out = ops::is_non_overlapping_and_dense(t) ? empty_strided(t.sizes(), t.strides(), t.dtype())
                                               : empty(t.sizes(), t.dtype());
  if (t.numel() > 0) copy_kernel(out, t);
  autograd::record_to(t, out);
  return out;
}

Tensor Tensor::clone() const { return ft::clone(*this); }

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  FT_OP_SCOPE("contiguous");
  Tensor out = empty(sizes(), dtype());
  copy_kernel(out, *this);
  autograd::record_to(*this, out);
  return out;
}

Tensor Tensor::to(DType dt) const {
  if (dt == dtype()) return *this;
  FT_OP_SCOPE("to");
  Tensor out = ops::is_non_overlapping_and_dense(*this) ? empty_strided(sizes(), strides(), dt) : empty(sizes(), dt);
  if (numel() > 0) copy_kernel(out, *this);
  autograd::record_to(*this, out);
  return out;
}

namespace {
// fill_ and zero_ differ only in the node name PyTorch gives them.
Tensor& fill_impl(Tensor& self, const Scalar& v, const char* node_name) {
  ops::check_inplace_autograd(self);
  // ATen's fill kernel converts v with Scalar::to<scalar_t>() (checked), even for an empty tensor
  ops::check_scalar_fits(v, self.dtype());
  if (self.numel() > 0) {
    ops::check_no_internal_overlap(self);
    FT_DISPATCH_EVERY(self.dtype(), "fill_", [&] {
      scalar_t val;
      if (v.is_floating_point()) val = kernels::convert<scalar_t>(v.to_double());
      else if (v.is_bool()) val = kernels::convert<scalar_t>(v.to_bool());
      else val = kernels::convert<scalar_t>(v.to_int());
      auto g = kernels::make_geometry<1>(self.sizes(), {self.strides()}, {self.element_size()});
      kernels::run_geometry_par(g, {static_cast<char*>(self.data_ptr())}, [&](char** p, const int64_t* s, int64_t n) {
        if (s[0] == int64_t(sizeof(scalar_t))) {  // a dense run: a vectorized fill (zero_grad's path)
          std::fill_n(reinterpret_cast<scalar_t*>(p[0]), n, val);
          return;
        }
        for (int64_t i = 0; i < n; ++i) *reinterpret_cast<scalar_t*>(p[0] + i * s[0]) = val;
      });
    });
  }
  self.impl()->bump_version();
  autograd::record_fill(self, node_name);
  return self;
}
}  // namespace

Tensor& Tensor::fill_(const Scalar& v) {
  FT_OP_SCOPE("fill_");
  return fill_impl(*this, v, "FillBackward2");
}

Tensor& Tensor::zero_() {
  FT_OP_SCOPE("zero_");
  return fill_impl(*this, 0, "ZeroBackward0");
}

}  // namespace ft
