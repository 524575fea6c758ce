// The benchmark list (names and targets from issue 7). Both sides build a
// workload for every name here; see NOTE [ Two translation units, one list ].
#include "ft/bench/bench.h"

namespace ft::bench {

const std::vector<BenchSpec>& bench_specs() {
  static const std::vector<BenchSpec> specs = {
      {"add_tiny_f32", "ops", "a + b, 4 elements (dispatch overhead)", 5.0, false},
      {"autograd_tiny", "autograd", "(x * y).sum().backward(), 4 elements", 3.0, false},
      {"add_1m_f32", "ops", "a + b, 2^20 elements", 1.0, false},
      {"exp_1m_f32", "ops", "exp(a), 2^20 elements", 1.0, false},
      {"sum_1m_f32", "ops", "a.sum(), 2^20 elements", 1.0, false},
      {"add_16m_f32", "ops", "a + b, 2^24 elements (memory-bound)", 1.0, false},
      {"softmax_512x1024_f32", "ops", "softmax over the last dim of (512, 1024)", 1.0, false},
      {"mm_256_f32", "ops", "(256x256) @ (256x256)", 0.95, false},
      {"mm_1024_f32", "ops", "(1024x1024) @ (1024x1024)", 0.95, false},
      {"bmm_f32", "ops", "bmm (32, 128x128) @ (32, 128x128)", 0.95, false},
      {"conv2d_fwd_bwd", "nn", "conv2d N=32, 16->32 channels, 28x28, 3x3, padding 1: forward + backward of the sum", 1.0,
       false},
      {"conv_transpose2d_fwd_bwd", "nn",
       "conv_transpose2d N=16, 32->16 channels, 14x14 -> 28x28, 4x4, stride 2, padding 1: forward + backward of the sum",
       1.0, false},
      {"mlp_train_step", "train", "784-256-10 MLP, batch 64, CrossEntropy, SGD momentum: one step", 1.2, true},
      {"cnn_train_step", "train",
       "the training suite's CNN (Conv2d 1->8 3x3, ReLU, MaxPool2d 2, Linear 1352->10), batch 32, CrossEntropy, Adam: one step",
       1.0, true},
      {"adam_step_1m", "train", "Adam step over 2^20 float32 parameters", 1.0, false},
      {"checkpoint_roundtrip", "io", "save and load 100 MB (engine: safetensors; libtorch: torch::save/load)", 1.0, true},
  };
  return specs;
}

}  // namespace ft::bench
