// libtorch side of every benchmark: the only bench file with ATen headers
// (NOTE [ Two translation units, one list ]). Inputs equal the engine's.
#include <torch/torch.h>

#include <functional>
#include <map>

#include "ft/bench/bench.h"
#include "ft/error.h"

namespace ft::bench {
namespace {

at::Tensor ramp(at::IntArrayRef sizes) {
  at::Tensor t = at::empty(sizes, at::kFloat);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = float((i * 7919) % 2000) / 1000.0f - 1.0f;
  return t;
}

Workload binary_add(int64_t n) {
  at::Tensor a = ramp({n}), b = ramp({n});
  return {[a, b] { at::Tensor c = a + b; }, 3.0 * 4.0 * double(n), 0};
}

using Maker = std::function<Workload()>;

const std::map<std::string, Maker>& makers() {
  static const std::map<std::string, Maker> m = {
      {"add_tiny_f32", [] { return binary_add(4); }},
      {"add_1m_f32", [] { return binary_add(int64_t(1) << 20); }},
      {"add_16m_f32", [] { return binary_add(int64_t(1) << 24); }},
      {"exp_1m_f32",
       [] {
         at::Tensor a = ramp({int64_t(1) << 20});
         return Workload{[a] { at::Tensor c = a.exp(); }, 2.0 * 4.0 * double(a.numel()), 0};
       }},
      {"sum_1m_f32",
       [] {
         at::Tensor a = ramp({int64_t(1) << 20});
         return Workload{[a] { at::Tensor c = a.sum(); }, 4.0 * double(a.numel()), 0};
       }},
      {"softmax_512x1024_f32",
       [] {
         at::Tensor a = ramp({512, 1024});
         return Workload{[a] { at::Tensor c = at::softmax(a, -1); }, 2.0 * 4.0 * double(a.numel()), 0};
       }},
      {"mm_256_f32",
       [] {
         at::Tensor a = ramp({256, 256}), b = ramp({256, 256});
         return Workload{[a, b] { at::Tensor c = a.mm(b); }, 0, 2.0 * 256 * 256 * 256};
       }},
      {"mm_1024_f32",
       [] {
         at::Tensor a = ramp({1024, 1024}), b = ramp({1024, 1024});
         return Workload{[a, b] { at::Tensor c = a.mm(b); }, 0, 2.0 * 1024 * 1024 * 1024};
       }},
      {"autograd_tiny",
       [] {
         at::Tensor x = ramp({4}).requires_grad_(), y = ramp({4}).requires_grad_();
         return Workload{[x, y] {
                           x.mutable_grad().reset();
                           y.mutable_grad().reset();
                           (x * y).sum().backward();
                         },
                         0, 0};
       }},
  };
  return m;
}

}  // namespace

Workload make_oracle_workload(const std::string& name) {
  auto it = makers().find(name);
  FT_CHECK(it != makers().end(), "benchmark '", name, "' has no libtorch workload");
  return it->second();
}

void set_oracle_threads(int threads) { at::set_num_threads(threads); }

std::string oracle_version() { return TORCH_VERSION; }

}  // namespace ft::bench
