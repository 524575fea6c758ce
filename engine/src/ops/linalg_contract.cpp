// tensordot and kron: composites of views, sum, mm and mul (as in ATen 1.13),
// so their gradients (and grad_fn names) are those of the underlying ops.
#include "linalg_internal.h"

namespace ft {

// ATen's tensordot: size-1 contracted dims are summed away first (they
// broadcast), the rest must match; then both sides are permuted to
// (kept, contracted) / (contracted, kept), flattened, and multiplied by mm.
Tensor tensordot(const Tensor& a, const Tensor& b, IntArrayRef dims_a, IntArrayRef dims_b) {
  FT_OP_SCOPE("tensordot");
  FT_CHECK(dims_a.size() == dims_b.size(), "both dimension lists should have same length");
  const int64_t na = a.dim(), nb = b.dim();
  DimVector da, db;
  Tensor t1 = a, t2 = b;
  int64_t csize = 1;
  for (size_t i = 0; i < dims_a.size(); ++i) {
    da.push_back(maybe_wrap_dim(dims_a[i], na));
    db.push_back(maybe_wrap_dim(dims_b[i], nb));
    const int64_t s1 = a.size(da.back()), s2 = b.size(db.back());
    if (s2 == 1) {
      t1 = t1.sum({da.back()}, true);
    } else if (s1 == 1) {
      t2 = t2.sum({db.back()}, true);
    } else {
      FT_CHECK(s1 == s2, "contracted dimensions need to match, but first has size ", s1, " in dim ", dims_a[i],
               " and second has size ", s2, " in dim ", dims_b[i]);
      csize *= s1;
    }
  }
  auto dim_mask = [](const DimVector& dims) {  // ATen's dim_list_to_bitset (dims already wrapped)
    uint64_t m = 0;
    for (int64_t d : dims) {
      FT_CHECK(!(m >> d & 1), "dim ", d, " appears multiple times in the list of dims");
      m |= uint64_t(1) << d;
    }
    return m;
  };
  const uint64_t ca = dim_mask(da), cb = dim_mask(db);
  DimVector p1, p2, rsizes;
  int64_t size1 = 1, size2 = 1;
  for (int64_t i = 0; i < na; ++i)
    if (!(ca >> i & 1)) {
      p1.push_back(i);
      size1 *= t1.size(i);
      rsizes.push_back(t1.size(i));
    }
  linalg::append(p1, da);
  linalg::append(p2, db);
  for (int64_t i = 0; i < nb; ++i)
    if (!(cb >> i & 1)) {
      p2.push_back(i);
      size2 *= t2.size(i);
      rsizes.push_back(t2.size(i));
    }
  t1 = t1.permute(p1).reshape({size1, csize});
  t2 = t2.permute(p2).reshape({csize, size2});
  return ft::mm(t1, t2).reshape(rsizes);
}

Tensor& tensordot_out(Tensor& out, const Tensor& a, const Tensor& b, IntArrayRef dims_a, IntArrayRef dims_b) {
  FT_OP_SCOPE("tensordot");
  ops::check_out_autograd("tensordot", {&a, &b});
  Tensor r;
  {
    autograd::NoGradGuard ng;
    r = ft::tensordot(a, b, dims_a, dims_b);
  }
  FT_CHECK(out.dtype() == r.dtype(), "tensordot: Expected the output tensor to have dtype ",
           dtype_torch_name(r.dtype()), ", but got an output tensor with dtype ", dtype_torch_name(out.dtype()));
  return ops::write_out(out, r);
}

// torch.tensordot(a, b, dims=n) (Python-level in PyTorch): a's last n dims
// against b's first n.
Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims) {
  FT_CHECK(dims >= 0, "tensordot expects dims >= 0, but got dims=", dims);
  DimVector da, db;
  for (int64_t i = 0; i < dims; ++i) {
    da.push_back(i - dims);
    db.push_back(i);
  }
  return ft::tensordot(a, b, da, db);
}

namespace linalg {
// kron as ATen 1.13: pad both to the same rank, interleave size-1 dims
// (a: (s0, 1, s1, 1, ...), b: (1, t0, 1, t1, ...)), multiply with
// broadcasting, and view the product as (s0*t0, s1*t1, ...). Views, not
// reshapes: ATen's _unsafe_view raises where the product's layout (which
// follows the operands' memory order) cannot be viewed, and so does this.
struct KronShapes {
  DimVector a, b, result;
};
KronShapes kron_shapes(const Tensor& a, const Tensor& b) {
  const int64_t maxdim = std::max(a.dim(), b.dim()), pa = maxdim - a.dim(), pb = maxdim - b.dim();
  KronShapes k;
  for (int64_t i = 0; i < maxdim; ++i) {
    const int64_t sa = i >= pa ? a.size(i - pa) : 1, sb = i >= pb ? b.size(i - pb) : 1;
    k.a.push_back(sa);
    k.a.push_back(1);
    k.b.push_back(1);
    k.b.push_back(sb);
    k.result.push_back(sa * sb);
  }
  return k;
}
}  // namespace linalg

Tensor kron(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("kron");
  linalg::KronShapes k = linalg::kron_shapes(a, b);
  return (a.view(k.a) * b.view(k.b)).view(k.result);
}
Tensor& kron_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("kron");
  linalg::KronShapes k = linalg::kron_shapes(a, b);
  Tensor r;
  {
    autograd::NoGradGuard ng;
    // mul_out's dtype rules (promotion, safe cast into out), then out's shape.
    r = empty({0}, out.dtype());
    ft::mul_out(r, a.view(k.a), b.view(k.b));
  }
  ops::check_out_autograd("kron", {&a, &b});
  return ops::write_out(out, r.reshape(k.result));
}
Tensor Tensor::kron(const Tensor& b) const { return ft::kron(*this, b); }

}  // namespace ft
