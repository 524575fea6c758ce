// Autograd recording hooks of the linear-algebra op family (implemented with
// their backward formulas in derivatives_linalg.cpp). Same contract as
// record.h: each attaches a grad_fn to `out` when grad mode is on and an input
// requires grad, and costs one check otherwise.
#pragma once

#include "ft/autograd.h"
#include "record.h"

namespace ft::autograd {

enum class AddProduct { Addmm, Baddbmm, Addbmm, Addmv, Addr };
// beta * self + alpha * product(m1, m2): AddmmBackward0, BaddbmmBackward0,
// AddbmmBackward0, AddmvBackward0 (m1 = mat, m2 = vec), AddrBackward0.
void record_add_product(AddProduct k, const Tensor& self, const Tensor& m1, const Tensor& m2, const Scalar& beta,
                        const Scalar& alpha, Tensor& out);
void record_bmm(const Tensor& a, const Tensor& b, Tensor& out);
void record_mv(const Tensor& mat, const Tensor& vec, Tensor& out);
void record_dot(const Tensor& a, const Tensor& b, bool vdot, Tensor& out);
void record_trace(const Tensor& self, Tensor& out);

}  // namespace ft::autograd
