// Engine side of every benchmark (no libtorch headers here).
#include <functional>
#include <map>

#include <unistd.h>

#include "ft/autograd.h"
#include "ft/nn/conv.h"
#include "ft/nn/functional.h"
#include "ft/nn/modules.h"
#include "ft/optim/optimizer.h"
#include "ft/random.h"
#include "ft/serialize/safetensors.h"
#include "ft/bench/bench.h"
#include "ft/ops.h"
#include "ft/parallel.h"

namespace ft::bench {
namespace {

// Deterministic, well-conditioned inputs: values in [-1, 1).
Tensor ramp(IntArrayRef sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  Tensor t = empty(sizes, DType::Float32);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) p[i] = float((i * 7919) % 2000) / 1000.0f - 1.0f;
  return t;
}

Workload binary_add(int64_t n) {
  Tensor a = ramp({n}), b = ramp({n});
  return {[a, b] { Tensor c = a + b; }, 3.0 * 4.0 * double(n), 0};
}

using Maker = std::function<Workload()>;

// conv2d forward + backward of the output's sum; x, w and b all need grads.
Workload conv2d_fwd_bwd() {
  Tensor x = ramp({32, 16, 28, 28}).requires_grad_();
  Tensor w = ramp({32, 16, 3, 3}).mul(Scalar(0.1)).requires_grad_();
  Tensor b = ramp({32}).requires_grad_();
  // 2 FLOPs per MAC; forward, grad_input and grad_weight each do N*Cout*Ho*Wo*Cin*9 MACs.
  const double flops = 3 * 2.0 * 32 * 32 * 28 * 28 * 16 * 9;
  return {[x, w, b]() mutable {
            x.mutable_grad() = Tensor();
            w.mutable_grad() = Tensor();
            b.mutable_grad() = Tensor();
            conv2d(x, w, b, {1}, {1}).sum().backward();
          },
          0, flops};
}

// conv_transpose2d (a DCGAN-style 2x upsampling layer: N=16, 32->16 channels,
// 14x14 -> 28x28, 4x4 kernel, stride 2, padding 1) forward + backward of the
// output's sum; x, w and b all need grads.
Workload conv_transpose2d_fwd_bwd() {
  Tensor x = ramp({16, 32, 14, 14}).requires_grad_();
  Tensor w = ramp({32, 16, 4, 4}).mul(Scalar(0.1)).requires_grad_();
  Tensor b = ramp({16}).requires_grad_();
  // Forward, grad_input and grad_weight each do N*Cin*Hi*Wi*Cout*kH*kW MACs.
  const double flops = 3 * 2.0 * 16 * 32 * 14 * 14 * 16 * 4 * 4;
  return {[x, w, b]() mutable {
            x.mutable_grad() = Tensor();
            w.mutable_grad() = Tensor();
            b.mutable_grad() = Tensor();
            conv_transpose2d(x, w, b, {2}, {1}).sum().backward();
          },
          0, flops};
}

Workload mlp_train_step() {
  manual_seed(0);
  auto fc1 = std::make_shared<nn::Linear>(784, 256);
  auto fc2 = std::make_shared<nn::Linear>(256, 10);
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{fc1, std::make_shared<nn::ReLU>(), fc2});
  optim::SGDOptions o;
  o.lr = 0.01;
  o.momentum = 0.9;
  auto opt = std::make_shared<optim::SGD>(model->parameters(), o);
  Tensor x = ramp({64, 784});
  Tensor y = empty({64}, DType::Int64);
  for (int64_t i = 0; i < 64; ++i) y.data_ptr<int64_t>()[i] = (i * 7) % 10;
  return {[model, opt, x, y] {
            opt->zero_grad();
            nn::functional::cross_entropy(model->forward(x), y).backward();
            opt->step();
          },
          0, 0};
}

// The training suite's CNN (properties/src/training_suite.cpp) with Adam.
Workload cnn_train_step() {
  manual_seed(0);
  auto conv = std::make_shared<nn::Conv2d>(1, 8, 3);
  auto fc = std::make_shared<nn::Linear>(8 * 13 * 13, 10);
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      conv, std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(std::vector<int64_t>{2}),
      std::make_shared<nn::Flatten>(), fc});
  auto opt = std::make_shared<optim::Adam>(model->parameters(), optim::AdamOptions{});
  Tensor x = ramp({32, 1, 28, 28});
  Tensor y = empty({32}, DType::Int64);
  for (int64_t i = 0; i < 32; ++i) y.data_ptr<int64_t>()[i] = (i * 7) % 10;
  return {[model, opt, x, y] {
            opt->zero_grad();
            nn::functional::cross_entropy(model->forward(x), y).backward();
            opt->step();
          },
          0, 0};
}

Workload adam_step_1m() {
  Tensor p = ramp({int64_t(1) << 20}).requires_grad_();
  p.mutable_grad() = ramp({int64_t(1) << 20}).mul(Scalar(0.01));
  auto opt = std::make_shared<optim::Adam>(std::vector<Tensor>{p}, optim::AdamOptions{});
  return {[opt, p] { opt->step(); }, 4.0 * 4.0 * double(p.numel()), 0};  // p, g, m, v
}

Workload checkpoint_roundtrip() {
  Tensor t = ramp({int64_t(25) << 20});  // 100 MiB of float32
  std::string path = "/tmp/ftorch-bench-" + std::to_string(getpid()) + ".safetensors";
  return {[t, path] {
            serialize::save_safetensors(path, {{"weight", t}});
            auto f = serialize::load_safetensors(path);
            FT_CHECK(f.tensors.size() == 1, "checkpoint_roundtrip: lost the tensor");
            ::unlink(path.c_str());
          },
          2.0 * 4.0 * double(t.numel()), 0};
}

const std::map<std::string, Maker>& makers() {
  static const std::map<std::string, Maker> m = {
      {"add_tiny_f32", [] { return binary_add(4); }},
      {"add_1m_f32", [] { return binary_add(int64_t(1) << 20); }},
      {"add_16m_f32", [] { return binary_add(int64_t(1) << 24); }},
      {"exp_1m_f32",
       [] {
         Tensor a = ramp({int64_t(1) << 20});
         return Workload{[a] { Tensor c = a.exp(); }, 2.0 * 4.0 * double(a.numel()), 0};
       }},
      {"sum_1m_f32",
       [] {
         Tensor a = ramp({int64_t(1) << 20});
         return Workload{[a] { Tensor c = a.sum(); }, 4.0 * double(a.numel()), 0};
       }},
      {"softmax_512x1024_f32",
       [] {
         Tensor a = ramp({512, 1024});
         return Workload{[a] { Tensor c = softmax(a, -1); }, 2.0 * 4.0 * double(a.numel()), 0};
       }},
      {"mm_256_f32",
       [] {
         Tensor a = ramp({256, 256}), b = ramp({256, 256});
         return Workload{[a, b] { Tensor c = a.mm(b); }, 0, 2.0 * 256 * 256 * 256};
       }},
      {"mm_1024_f32",
       [] {
         Tensor a = ramp({1024, 1024}), b = ramp({1024, 1024});
         return Workload{[a, b] { Tensor c = a.mm(b); }, 0, 2.0 * 1024 * 1024 * 1024};
       }},
      {"bmm_f32",
       [] {
         Tensor a = ramp({32, 128, 128}), b = ramp({32, 128, 128});
         return Workload{[a, b] { Tensor c = a.bmm(b); }, 0, 2.0 * 32 * 128 * 128 * 128};
       }},
      {"mlp_train_step", mlp_train_step},
      {"cnn_train_step", cnn_train_step},
      {"conv2d_fwd_bwd", conv2d_fwd_bwd},
      {"conv_transpose2d_fwd_bwd", conv_transpose2d_fwd_bwd},
      {"adam_step_1m", adam_step_1m},
      {"checkpoint_roundtrip", checkpoint_roundtrip},
      {"autograd_tiny",
       [] {
         Tensor x = ramp({4}).requires_grad_(), y = ramp({4}).requires_grad_();
         return Workload{[x, y]() mutable {
                           x.mutable_grad() = Tensor();  // set-to-none, as zero_grad does
                           y.mutable_grad() = Tensor();
                           (x * y).sum().backward();
                         },
                         0, 0};
       }},
  };
  return m;
}

}  // namespace

Workload make_engine_workload(const std::string& name) {
  auto it = makers().find(name);
  FT_CHECK(it != makers().end(), "benchmark '", name, "' has no engine workload");
  return it->second();
}

void set_engine_threads(int threads) { ft::set_num_threads(threads); }

}  // namespace ft::bench
