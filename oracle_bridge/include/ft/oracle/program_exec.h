// The program executor, written once as a template over the tensor library
// (ft or at), so that the engine and the oracle run the same steps. Backend B
// provides: Tensor, Call (OpCall), make_leaf, invoke(op, call), no_grad guard,
// to_vec, and the autograd entry points.
#pragma once

#include <cmath>
#include <stdexcept>

#include "ft/oracle/program.h"

namespace ft::oracle {

template <typename B>
ProgramResult execute_program(const Program& p) {
  using T = typename B::Tensor;
  ProgramResult r;
  try {
    std::vector<T> vals;
    for (const auto& v : p.leaves) vals.push_back(B::make_leaf(v, p.shape));
    for (const ProgStep& s : p.steps) {
      auto guard = B::grad_mode(!s.no_grad);
      T out;
      switch (s.kind) {
        case ProgStep::Call: {
          typename B::Call c;
          for (int a : s.args) c.in.push_back(vals[size_t(a)]);
          c.alpha = s.alpha;
          out = B::invoke(s.op, c);
          break;
        }
        case ProgStep::Detach: out = vals[size_t(s.args[0])].detach(); break;
        case ProgStep::Transpose: out = vals[size_t(s.args[0])].transpose(0, -1); break;
        case ProgStep::InplaceMul: out = B::inplace_mul(vals[size_t(s.args[0])], s.alpha); break;
        case ProgStep::InplaceAdd: out = B::inplace_add(vals[size_t(s.args[0])], vals[size_t(s.args[1])]); break;
        case ProgStep::Narrow: {
          const T& v = vals[size_t(s.args[0])];
          int64_t n = v.dim() > 0 ? v.size(0) : 1;
          out = v.narrow(0, (int64_t(s.alpha) % n + n) % n, 1);
          break;
        }
        case ProgStep::Unbind: out = vals[size_t(s.args[0])].unbind(0).at(0); break;
      }
      vals.push_back(out);
    }
    std::vector<T> parts;
    for (int id : p.losses) parts.push_back(vals[size_t(id)].sum());
    T loss = parts.at(0);
    for (size_t i = 1; i < parts.size(); ++i) loss = loss + parts[i];
    for (const T& v : vals) {
      auto f = B::to_vec(v);
      r.values.insert(r.values.end(), f.begin(), f.end());
    }
    r.loss = B::to_vec(loss).at(0);
    std::vector<T> leaves(vals.begin(), vals.begin() + long(p.leaves.size()));
    if (B::requires_grad(loss)) {
      B::backward(loss, /*retain_graph=*/true);
      for (const T& l : leaves) r.grads.push_back(B::grad_of(l));
      if (p.double_backward) {
        auto g = B::grad_create_graph(loss, leaves);  // d loss / d leaves, differentiable
        T s2;
        bool any = false;
        for (const T& gi : g)
          if (B::defined(gi) && B::requires_grad(gi)) {
            s2 = any ? s2 + (gi * gi).sum() : (gi * gi).sum();
            any = true;
          }
        for (T& l : leaves) B::zero_grad(l);
        if (any) {
          B::backward(s2, false);
          for (const T& l : leaves) r.grad2.push_back(B::grad_of(l));
        }
      }
    }
  } catch (const std::exception& e) {
    r.threw = true;
    r.error = e.what();
  }
  return r;
}

}  // namespace ft::oracle
