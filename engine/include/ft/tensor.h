// ft::Tensor: the user-facing handle (a refcounted pointer to TensorImpl).
// Method names and argument orders mirror at::Tensor so that the op table can
// state each op's call once for both the engine and the oracle.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ft/scalar.h"
#include "ft/tensor_impl.h"

namespace ft { class Tensor; }

// NOTE [ Pooled tensor lists ]
// std::vector<Tensor> is the engine's list of tensors everywhere (backward
// formulas return one per node, the autograd engine buffers incoming
// gradients in one per node). Specializing std::allocator for ft::Tensor (the
// standard allows it for a program-defined type) sends those lists through
// the small-object pool (NOTE [ Small-object pool ]) without changing a
// signature. Lists above pool::kMaxSize bytes still use ::operator new.
namespace std {
template <>
struct allocator<ft::Tensor> {
  using value_type = ft::Tensor;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using propagate_on_container_move_assignment = std::true_type;
  using is_always_equal = std::true_type;
  constexpr allocator() noexcept = default;
  template <typename U>
  constexpr allocator(const allocator<U>&) noexcept {}
  ft::Tensor* allocate(std::size_t n);
  void deallocate(ft::Tensor* p, std::size_t n) noexcept;
  friend bool operator==(const allocator&, const allocator&) noexcept { return true; }
  friend bool operator!=(const allocator&, const allocator&) noexcept { return false; }
};
}  // namespace std

namespace ft {

namespace autograd { class Node; }
namespace indexing { class TensorIndex; }  // ft/indexing.h
class Generator;  // ft/random.h

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(intrusive_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return bool(impl_); }
  TensorImpl* impl() const { return impl_.get(); }
  const intrusive_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }

  // Geometry.
  IntArrayRef sizes() const { return impl_->sizes(); }
  IntArrayRef strides() const { return impl_->strides(); }
  int64_t size(int64_t d) const;    // negative d allowed
  int64_t stride(int64_t d) const;  // negative d allowed
  int64_t dim() const { return impl_->dim(); }
  int64_t numel() const { return impl_->numel(); }
  int64_t storage_offset() const { return impl_->storage_offset(); }
  DType dtype() const { return impl_->dtype(); }
  DType scalar_type() const { return impl_->dtype(); }
  Device device() const { return impl_->device(); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  bool is_floating_point() const { return is_floating(dtype()); }
  int64_t element_size() const { return itemsize(dtype()); }
  uint32_t _version() const { return impl_->version(); }

  void* data_ptr() const { return impl_->data(); }
  template <typename T> T* data_ptr() const;  // checks the dtype
  template <typename T> T item() const;       // one-element tensors only
  Scalar item() const;

  // Views (share storage and version counter).
  Tensor view(IntArrayRef sizes) const;
  Tensor reshape(IntArrayRef sizes) const;
  Tensor permute(IntArrayRef dims) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  Tensor t() const;
  Tensor expand(IntArrayRef sizes) const;
  Tensor expand_as(const Tensor& other) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t d) const;
  Tensor unsqueeze(int64_t d) const;
  Tensor narrow(int64_t d, int64_t start, int64_t length) const;
  Tensor slice(int64_t d, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step = 1) const;
  Tensor select(int64_t d, int64_t index) const;
  Tensor as_strided(IntArrayRef sizes, IntArrayRef strides, std::optional<int64_t> offset = std::nullopt) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor& copy_(const Tensor& src);
  Tensor to(DType dtype) const;
  Tensor detach() const;
  Tensor& detach_();

  // Ops with a method form (see ops.h for the functional forms).
  Tensor add(const Tensor& o, const Scalar& alpha = 1) const;
  Tensor add(const Scalar& o, const Scalar& alpha = 1) const;
  Tensor& add_(const Tensor& o, const Scalar& alpha = 1);
  Tensor& add_(const Scalar& o, const Scalar& alpha = 1);
  Tensor sub(const Tensor& o, const Scalar& alpha = 1) const;
  Tensor& sub_(const Tensor& o, const Scalar& alpha = 1);
  Tensor& sub_(const Scalar& o, const Scalar& alpha = 1);
  Tensor mul(const Tensor& o) const;
  Tensor mul(const Scalar& o) const;
  Tensor& mul_(const Tensor& o);
  Tensor& mul_(const Scalar& o);
  Tensor div(const Tensor& o) const;
  Tensor& div_(const Tensor& o);
  Tensor neg() const;
  Tensor& neg_();
  Tensor exp() const;
  Tensor& exp_();
  Tensor log() const;
  Tensor& log_();
  Tensor tanh() const;
  Tensor& tanh_();
  Tensor relu() const;
  Tensor& relu_();
  Tensor sum(std::optional<DType> dtype = std::nullopt) const;
  Tensor sum(IntArrayRef dims, bool keepdim = false, std::optional<DType> dtype = std::nullopt) const;
  Tensor mean(std::optional<DType> dtype = std::nullopt) const;
  Tensor mean(IntArrayRef dims, bool keepdim = false, std::optional<DType> dtype = std::nullopt) const;
  Tensor mm(const Tensor& o) const;
  Tensor matmul(const Tensor& o) const;
  Tensor& fill_(const Scalar& v);
  Tensor& zero_();

  // Method forms of the op families.
#include "ft/methods/unary.inc"
#include "ft/methods/binary.inc"
#include "ft/methods/reduce.inc"
#include "ft/methods/shape.inc"
#include "ft/methods/random.inc"
#include "ft/methods/index.inc"
#include "ft/methods/linalg.inc"
#include "ft/methods/sort.inc"

  // Autograd.
  bool requires_grad() const;
  Tensor& requires_grad_(bool r = true);
  const Tensor& set_requires_grad(bool r) { requires_grad_(r); return *this; }
  bool is_leaf() const;
  // A view's root base (undefined for non-views), as torch's `_base`.
  bool is_view() const;
  Tensor _base() const;
  // Made in inference mode (autograd::InferenceModeGuard).
  bool is_inference() const;
  Tensor grad() const;          // undefined when none
  Tensor& mutable_grad();       // the slot itself (zero_grad, set to none)
  std::shared_ptr<autograd::Node> grad_fn() const;
  std::string grad_fn_name() const;  // "" for leaves
  // retain_graph defaults to create_graph, as in PyTorch.
  void backward(const Tensor& gradient = Tensor(), std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false) const;
  // Non-leaf tensors: keep .grad after backward (leaves always do).
  void retain_grad() const;
  bool retains_grad() const;
  // A hook on this tensor's gradient; it may return a replacement (or an
  // undefined tensor to keep the gradient). Returns a handle for remove_hook.
  uint64_t register_hook(std::function<Tensor(const Tensor&)> hook) const;
  void remove_hook(uint64_t handle) const;
  // Leaves: called with the tensor after its .grad was accumulated.
  uint64_t register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook) const;

  // Printing and conversions for tests/tools.
  std::string str() const;                    // "tensor([...], dtype=...)"
  std::vector<double> to_double_vector() const;  // logical (row-major) order

 private:
  intrusive_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Operators as in PyTorch.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator+(const Tensor& a, const Scalar& b);
Tensor operator*(const Tensor& a, const Scalar& b);

}  // namespace ft

inline ft::Tensor* std::allocator<ft::Tensor>::allocate(std::size_t n) {
  return static_cast<ft::Tensor*>(ft::pool::allocate(n * sizeof(ft::Tensor)));
}
inline void std::allocator<ft::Tensor>::deallocate(ft::Tensor* p, std::size_t n) noexcept {
  ft::pool::deallocate(p, n * sizeof(ft::Tensor));
}

namespace ft {

template <typename T> T* Tensor::data_ptr() const {
  FT_CHECK(dtype() == dtype_of<T>::value, "expected scalar type ", dtype_torch_name(dtype_of<T>::value),
           " but found ", dtype_torch_name(dtype()));
  return reinterpret_cast<T*>(impl_->data());
}

}  // namespace ft
