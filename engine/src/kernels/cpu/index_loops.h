// CPU loops of the indexing family. Every op that indexes along one dim
// (gather, scatter*, index_select/add/copy/fill, the offsets of advanced
// indexing) is the same walk: visit a shape with three operands (dst, src,
// index) through the strided iterator (NOTE [ Strided loops ]) and, for each
// element, move or combine one element where the index points.
//
// NOTE [ Indexing along a dim ]
// The indexed operand's stride along `dim` is set to 0 in its geometry and
// added back as index * dim_stride per element, so coalescing the other dims
// cannot mix with the indexed one. An index is checked before it is used
// (wrapped first when the op wraps negatives); a bad one calls `bad`, which
// raises the op's own error, so no element outside a tensor is ever touched.
#pragma once

#include <array>
#include <cstdint>

#include "loops.h"

namespace ft::kernels {

// kIndexDst: the index picks the dst element (scatter); else the src element
// (gather). op(T& dst, const T& src) combines them. Strides in elements.
template <bool kIndexDst, typename T, typename I, typename Op, typename Bad>
void index_dim_loop(IntArrayRef shape, T* dst, IntArrayRef dst_st, const T* src, IntArrayRef src_st, const I* idx,
                    IntArrayRef idx_st, int64_t size, int64_t dim_stride, bool wrap, Op op, Bad bad) {
  auto g = make_geometry<3>(shape, {dst_st, src_st, idx_st}, {int64_t(sizeof(T)), int64_t(sizeof(T)), int64_t(sizeof(I))});
  run_geometry(g, {reinterpret_cast<char*>(dst), reinterpret_cast<char*>(const_cast<T*>(src)),
                   reinterpret_cast<char*>(const_cast<I*>(idx))},
               [&](char** p, const int64_t* st, int64_t n) {
                 char* d = p[0];
                 const char* s = p[1];
                 const char* x = p[2];
                 for (int64_t k = 0; k < n; ++k, d += st[0], s += st[1], x += st[2]) {
                   int64_t i = int64_t(*reinterpret_cast<const I*>(x));
                   if (wrap && i < 0) i += size;
                   if (i < 0 || i >= size) bad(int64_t(*reinterpret_cast<const I*>(x)));
                   if constexpr (kIndexDst)
                     op(reinterpret_cast<T*>(d)[i * dim_stride], *reinterpret_cast<const T*>(s));
                   else
                     op(*reinterpret_cast<T*>(d), reinterpret_cast<const T*>(s)[i * dim_stride]);
                 }
               });
}

// Element combiners (bool adds as logical or and multiplies as logical and,
// the values ATen's bool kernels store).
struct AssignOp {
  template <typename T> void operator()(T& d, const T& s) const { d = s; }
};
struct AddOp {
  template <typename T> void operator()(T& d, const T& s) const {
    if constexpr (std::is_same_v<T, bool>) d = d || s;
    else d = T(d + s);
  }
};
struct MulOp {
  template <typename T> void operator()(T& d, const T& s) const {
    if constexpr (std::is_same_v<T, bool>) d = d && s;
    else d = T(d * s);
  }
};

}  // namespace ft::kernels
