// libtorch side of every benchmark: the only bench file with ATen headers
// (NOTE [ Two translation units, one list ]). Inputs equal the engine's.
#include <torch/torch.h>
#include <unistd.h>

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

Workload conv2d_fwd_bwd() {
  at::Tensor x = ramp({32, 16, 28, 28}).requires_grad_();
  at::Tensor w = ramp({32, 16, 3, 3}).mul(0.1).requires_grad_();
  at::Tensor b = ramp({32}).requires_grad_();
  const double flops = 3 * 2.0 * 32 * 32 * 28 * 28 * 16 * 9;
  return {[x, w, b]() mutable {
            x.mutable_grad().reset();
            w.mutable_grad().reset();
            b.mutable_grad().reset();
            at::conv2d(x, w, b, 1, 1).sum().backward();
          },
          0, flops};
}

Workload conv_transpose2d_fwd_bwd() {
  at::Tensor x = ramp({16, 32, 14, 14}).requires_grad_();
  at::Tensor w = ramp({32, 16, 4, 4}).mul(0.1).requires_grad_();
  at::Tensor b = ramp({16}).requires_grad_();
  const double flops = 3 * 2.0 * 16 * 32 * 14 * 14 * 16 * 4 * 4;
  return {[x, w, b]() mutable {
            x.mutable_grad().reset();
            w.mutable_grad().reset();
            b.mutable_grad().reset();
            at::conv_transpose2d(x, w, b, 2, 1).sum().backward();
          },
          0, flops};
}

Workload mlp_train_step() {
  torch::manual_seed(0);
  torch::nn::Linear fc1(784, 256);
  torch::nn::Linear fc2(256, 10);
  torch::nn::Sequential model(fc1, torch::nn::ReLU(), fc2);
  auto opt = std::make_shared<torch::optim::SGD>(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  at::Tensor x = ramp({64, 784});
  at::Tensor y = at::empty({64}, at::kLong);
  for (int64_t i = 0; i < 64; ++i) y.data_ptr<int64_t>()[i] = (i * 7) % 10;
  return {[model, opt, x, y]() mutable {
            opt->zero_grad();
            torch::nn::functional::cross_entropy(model->forward(x), y).backward();
            opt->step();
          },
          0, 0};
}

Workload cnn_train_step() {
  torch::manual_seed(0);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 8, 3));
  torch::nn::Linear fc(8 * 13 * 13, 10);
  torch::nn::Sequential model(conv, torch::nn::ReLU(), torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)),
                              torch::nn::Flatten(), fc);
  auto opt = std::make_shared<torch::optim::Adam>(model->parameters(), torch::optim::AdamOptions());
  at::Tensor x = ramp({32, 1, 28, 28});
  at::Tensor y = at::empty({32}, at::kLong);
  for (int64_t i = 0; i < 32; ++i) y.data_ptr<int64_t>()[i] = (i * 7) % 10;
  return {[model, opt, x, y]() mutable {
            opt->zero_grad();
            torch::nn::functional::cross_entropy(model->forward(x), y).backward();
            opt->step();
          },
          0, 0};
}

Workload adam_step_1m() {
  at::Tensor p = ramp({int64_t(1) << 20}).requires_grad_();
  p.mutable_grad() = ramp({int64_t(1) << 20}).mul(0.01);
  auto opt = std::make_shared<torch::optim::Adam>(std::vector<at::Tensor>{p}, torch::optim::AdamOptions());
  return {[opt, p] { opt->step(); }, 4.0 * 4.0 * double(p.numel()), 0};
}

Workload checkpoint_roundtrip() {
  at::Tensor t = ramp({int64_t(25) << 20});
  std::string path = "/tmp/ftorch-bench-oracle-" + std::to_string(getpid()) + ".pt";
  return {[t, path] {
            torch::save(t, path);
            at::Tensor r;
            torch::load(r, path);
            FT_CHECK(r.numel() == t.numel(), "checkpoint_roundtrip: lost the tensor");
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
      {"bmm_f32",
       [] {
         at::Tensor a = ramp({32, 128, 128}), b = ramp({32, 128, 128});
         return Workload{[a, b] { at::Tensor c = a.bmm(b); }, 0, 2.0 * 32 * 128 * 128 * 128};
       }},
      {"mlp_train_step", mlp_train_step},
      {"cnn_train_step", cnn_train_step},
      {"conv2d_fwd_bwd", conv2d_fwd_bwd},
      {"conv_transpose2d_fwd_bwd", conv_transpose2d_fwd_bwd},
      {"adam_step_1m", adam_step_1m},
      {"checkpoint_roundtrip", checkpoint_roundtrip},
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
