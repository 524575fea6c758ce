// einsum: the equation is compiled into views (diagonal for repeated labels,
// unsqueeze, permute) that align every operand to one label order, then the
// operands are contracted left to right: a label is summed out as soon as no
// later operand has it, and each pair is multiplied by one bmm over
// (shared, left-only, summed, right-only) dims (sumproduct_pair), as in ATen
// 1.13 without a contraction path. Everything is a differentiable engine op,
// so gradients (and grad_fn names) are those of the views, sum, mul and bmm.
#include <cctype>
#include <string>

#include "linalg_internal.h"

namespace ft {
namespace linalg {

constexpr int kEinsumLabels = 52;  // A-Z then a-z (ATen's order: it decides the implicit output order)
constexpr uint8_t kEllipsis = 52;

bool is_einsum_label(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
uint8_t einsum_index(unsigned char c) { return uint8_t(std::isupper(c) ? c - 'A' : 26 + (c - 'a')); }
char einsum_char(int i) { return char(i < 26 ? 'A' + i : 'a' + (i - 26)); }

// left and right have the same rank (size-1 dims broadcast); sums sum_dims
// of their product and drops them: one bmm of (lro, lo, sum) @ (lro, sum, ro).
Tensor sumproduct_pair(const Tensor& left_in, const Tensor& right_in, const DimVector& sum_dims) {
  if (sum_dims.empty()) return left_in * right_in;
  const int64_t ndim = left_in.dim();
  uint64_t summed = 0;
  for (int64_t d : sum_dims) summed |= uint64_t(1) << d;
  Tensor left = left_in, right = right_in;
  DimVector lro, lo, ro;
  int64_t lro_size = 1, lo_size = 1, ro_size = 1, sum_size = 1;
  for (int64_t i = 0; i < ndim; ++i) {
    const bool sl = left.size(i) != 1, sr = right.size(i) != 1;  // (a size 0 is not broadcast)
    if (summed >> i & 1) {
      if (sl && sr) {
        sum_size *= left.size(i);
      } else if (sl) {  // in one side only: sum it right away
        left = left.sum({i}, true);
      } else if (sr) {
        right = right.sum({i}, true);
      }
    } else if (sl && sr) {
      lro.push_back(i);
      lro_size *= left.size(i);
    } else if (sl) {
      lo.push_back(i);
      lo_size *= left.size(i);
    } else {
      ro.push_back(i);
      ro_size *= right.size(i);
    }
  }
  DimVector out_shape, lperm(lro), rperm(lro), operm(size_t(ndim), -1);
  for (int64_t d : lro) out_shape.push_back(left.size(d));
  for (int64_t d : lo) out_shape.push_back(left.size(d));
  for (size_t k = 0; k < sum_dims.size(); ++k) out_shape.push_back(1);
  for (int64_t d : ro) out_shape.push_back(right.size(d));
  linalg::append(lperm, lo);
  linalg::append(lperm, sum_dims);
  linalg::append(lperm, ro);
  linalg::append(rperm, sum_dims);
  linalg::append(rperm, ro);
  linalg::append(rperm, lo);
  int64_t pos = 0;
  for (const DimVector* group : std::initializer_list<const DimVector*>{&lro, &lo, &sum_dims, &ro})
    for (int64_t d : *group) operm[size_t(d)] = pos++;
  left = left.permute(lperm).reshape({lro_size, lo_size, sum_size});
  right = right.permute(rperm).reshape({lro_size, sum_size, ro_size});
  Tensor result = ft::bmm(left, right).view(out_shape).permute(operm);
  DimVector sizes;
  for (int64_t i = 0; i < ndim; ++i)
    if (!(summed >> i & 1)) sizes.push_back(result.size(i));
  return result.view(sizes);
}

struct EinsumPlan {
  std::vector<std::vector<uint8_t>> op_labels;  // per operand: label indices or kEllipsis
  std::vector<int64_t> perm_index;              // label -> position in the aligned order
  int64_t ell_num_dim = 0, ell_index = 0;       // dims the ellipsis covers; its position
  int64_t out_size = 0, total = 0;              // output dims; all aligned dims
};

// Parses the equation with ATen's checks and messages.
EinsumPlan parse_einsum(std::string_view eq, const std::vector<Tensor>& operands) {
  FT_CHECK(!operands.empty(), "einsum(): must provide at least one operand");
  EinsumPlan p;
  const size_t arrow = eq.find("->");
  const std::string_view lhs = eq.substr(0, arrow);
  const size_t num_ops = operands.size();
  p.op_labels.resize(num_ops);
  bool found_ell = false;
  size_t curr = 0;
  for (size_t i = 0; i < lhs.size(); ++i) {
    const unsigned char c = lhs[i];
    if (c == ' ') continue;
    if (c == '.') {
      FT_CHECK(!found_ell, "einsum(): found '.' for operand ", curr, " for which an ellipsis was already found");
      FT_CHECK(i + 2 < lhs.size() && lhs[++i] == '.' && lhs[++i] == '.', "einsum(): found '.' for operand ", curr,
               " that is not part of any ellipsis");
      p.op_labels[curr].push_back(kEllipsis);
      found_ell = true;
    } else if (c == ',') {
      ++curr;
      FT_CHECK(curr < num_ops, "einsum(): fewer operands were provided than specified in the equation");
      found_ell = false;
    } else {
      FT_CHECK(is_einsum_label(c), "einsum(): invalid subscript given at index ", i,
               " in the equation string, subscripts must be in [a-zA-Z]");
      p.op_labels[curr].push_back(einsum_index(c));
    }
  }
  FT_CHECK(curr == num_ops - 1, "einsum(): more operands were provided than specified in the equation");

  std::vector<int> count(kEinsumLabels, 0);
  for (size_t i = 0; i < num_ops; ++i) {
    const int64_t ndims = operands[i].dim();
    int64_t nlabels = int64_t(p.op_labels[i].size());
    bool has_ell = false;
    for (uint8_t l : p.op_labels[i]) {
      if (l == kEllipsis) {
        --nlabels;
        has_ell = true;
        p.ell_num_dim = std::max(p.ell_num_dim, ndims - nlabels);
      } else {
        ++count[l];
      }
    }
    FT_CHECK(has_ell ? nlabels <= ndims : nlabels == ndims, "einsum(): the number of subscripts in the equation (",
             nlabels, ") does not match the number of dimensions (", ndims, ") for operand ", i,
             has_ell ? "" : " and no ellipsis was given");
  }

  p.perm_index.assign(kEinsumLabels, -1);
  int64_t perm = 0;
  found_ell = false;
  if (arrow == std::string_view::npos) {  // implicit output: ellipsis, then labels seen once, sorted
    perm = p.ell_num_dim;
    found_ell = true;
    for (int l = 0; l < kEinsumLabels; ++l)
      if (count[l] == 1) p.perm_index[l] = perm++;
  } else {
    const std::string_view rhs = eq.substr(arrow + 2);
    for (size_t i = 0; i < rhs.size(); ++i) {
      const unsigned char c = rhs[i];
      if (c == ' ') continue;
      if (c == '.') {
        FT_CHECK(!found_ell, "einsum(): found '.' for output but an ellipsis (...) was already found");
        FT_CHECK(i + 2 < rhs.size() && rhs[++i] == '.' && rhs[++i] == '.',
                 "einsum(): found '.' for output that is not part of any ellipsis (...)");
        p.ell_index = perm;
        perm += p.ell_num_dim;
        found_ell = true;
        continue;
      }
      FT_CHECK(is_einsum_label(c), "einsum(): invalid subscript given at index ", lhs.size() + 2 + i,
               " in the equation string, subscripts must be in [a-zA-Z]");
      const uint8_t l = einsum_index(c);
      FT_CHECK(count[l] > 0 && p.perm_index[l] == -1, "einsum(): output subscript ", char(c),
               p.perm_index[l] > -1 ? " appears more than once in the output"
                                    : " does not appear in the equation for any input operand");
      p.perm_index[l] = perm++;
    }
  }
  p.out_size = perm;
  if (!found_ell) {  // the ellipsis dims are summed
    p.ell_index = perm;
    perm += p.ell_num_dim;
  }
  for (int l = 0; l < kEinsumLabels; ++l)
    if (count[l] > 0 && p.perm_index[l] == -1) p.perm_index[l] = perm++;
  p.total = perm;
  return p;
}

// Operand i as a view with one dim per aligned position (size 1 where it has
// no such label), repeated labels reduced to their diagonal.
std::vector<Tensor> align_operands(const EinsumPlan& p, const std::vector<Tensor>& operands) {
  std::vector<int64_t> label_size(kEinsumLabels, 1), ell_sizes(size_t(p.ell_num_dim), 1);
  std::vector<Tensor> out;
  for (size_t i = 0; i < operands.size(); ++i) {
    Tensor op = operands[i];
    DimVector permutation(size_t(p.total), -1);
    int64_t dim = 0;
    for (uint8_t s : p.op_labels[i]) {
      if (s == kEllipsis) {
        const int64_t ndim = operands[i].dim() - (int64_t(p.op_labels[i].size()) - 1);
        for (int64_t j = p.ell_num_dim - ndim; j < p.ell_num_dim; ++j) {
          if (op.size(dim) != 1) {
            FT_CHECK(ell_sizes[j] == 1 || ell_sizes[j] == op.size(dim), "einsum(): operand ", i, " has size ",
                     op.size(dim), " for ellipsis dimension ", j, " but expected size ", ell_sizes[j]);
            ell_sizes[j] = op.size(dim);
          }
          permutation[size_t(p.ell_index + j)] = dim++;
        }
      } else if (permutation[size_t(p.perm_index[s])] == -1) {
        if (op.size(dim) != 1) {
          FT_CHECK(label_size[s] == 1 || label_size[s] == op.size(dim), "einsum(): subscript ", einsum_char(s),
                   " has size ", op.size(dim), " for operand ", i,
                   " which does not broadcast with previously seen size ", label_size[s]);
          label_size[s] = op.size(dim);
        }
        permutation[size_t(p.perm_index[s])] = dim++;
      } else {  // repeated label: take the diagonal
        const int64_t prev = permutation[size_t(p.perm_index[s])];
        FT_CHECK(op.size(dim) == op.size(prev), "einsum(): subscript ", einsum_char(s), " is repeated for operand ", i,
                 " but the sizes don't match, ", op.size(dim), " != ", op.size(prev));
        op = op.diagonal(0, prev, dim).movedim(-1, prev);
      }
    }
    for (int64_t& v : permutation)
      if (v == -1) {
        op = op.unsqueeze(dim);
        v = dim++;
      }
    out.push_back(op.permute(permutation));
  }
  return out;
}

}  // namespace linalg

Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands) {
  FT_OP_SCOPE("einsum");
  const linalg::EinsumPlan p = linalg::parse_einsum(equation, operands);
  const std::vector<Tensor> ops = linalg::align_operands(p, operands);
  const int64_t n = int64_t(ops.size());
  // The last operand with a non-trivial size in each aligned dim: a
  // contracted dim is summed out once that operand has been multiplied in.
  std::vector<int64_t> last_op(size_t(p.total), 0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t d = 0; d < p.total; ++d)
      if (ops[size_t(i)].size(d) != 1) last_op[size_t(d)] = i;

  Tensor result = ops[0];
  if (n == 1) {  // one sum over every contracted dim (integers: int64, even over size-1 dims)
    if (p.total == p.out_size) return result;
    DimVector dims;
    for (int64_t d = p.out_size; d < p.total; ++d) dims.push_back(d);
    return result.sum(dims);
  }
  int64_t dim = p.out_size;
  for (int64_t j = p.out_size; j < p.total; ++j, ++dim)
    if (last_op[size_t(j)] == 0) {
      result = result.size(dim) == 1 ? result.squeeze(dim) : result.sum({dim});
      --dim;
    }
  for (int64_t i = 1; i < n; ++i) {
    Tensor operand = ops[size_t(i)];
    DimVector sum_dims;
    dim = p.out_size;
    for (int64_t j = p.out_size; j < p.total; ++j, ++dim) {
      if (last_op[size_t(j)] < i) {  // already gone from result; size 1 here
        operand = operand.squeeze(dim);
        --dim;
      } else if (last_op[size_t(j)] == i) {
        if (result.size(dim) == 1) {
          operand = operand.sum({dim});
          result = result.squeeze(dim);
          --dim;
        } else {
          sum_dims.push_back(dim);
        }
      }
    }
    result = linalg::sumproduct_pair(result, operand, sum_dims);
  }
  return result;
}

}  // namespace ft
