// Recurrent modules: LSTM and GRU (multi-layer, optionally bidirectional),
// composed from engine ops with ATen's cell arithmetic, and torch.nn's
// parameter names (weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k},
// bias_hh_l{k}), shapes (gates stacked along dim 0: i, f, g, o for LSTM;
// r, z, n for GRU) and default init (every parameter U(-1/sqrt(H), 1/sqrt(H)),
// drawn in registration order), so PyTorch state_dicts load and
// manual_seed(s) gives PyTorch's weights. Not supported: LSTM's proj_size,
// packed sequences, and the plain RNN (tanh/relu) module.
#pragma once

#include <tuple>
#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

struct RNNOptions {
  int64_t input_size = 0, hidden_size = 0, num_layers = 1;
  bool bias = true, batch_first = false;
  double dropout = 0.0;  // on every layer's output but the last, in training
  bool bidirectional = false;
  DType dtype = DType::Float32;
};

class RNNBase : public Module {
 public:
  RNNBase(const char* name, int64_t gates, RNNOptions options);
  void reset_parameters();
  const RNNOptions& options() const { return opt_; }

 protected:
  // Runs every layer and direction over input (L, N, H_in), (N, L, H_in)
  // with batch_first, or unbatched (L, H_in). state: the initial states
  // (h, and c for LSTM), each (D * num_layers, N, H) or (D * num_layers, H)
  // unbatched, or undefined for zeros. Returns the output and final states.
  std::pair<Tensor, std::vector<Tensor>> run(const Tensor& input, std::vector<Tensor> state);
  // One time step: x_w = x W_ih^T + b_ih (precomputed for the whole
  // sequence, as ATen does on CPU); state updated in place of the vector.
  virtual void cell(const Tensor& x_w, std::vector<Tensor>& state, const Tensor& w_hh, const Tensor& b_hh) const = 0;
  RNNOptions opt_;
};

class LSTM : public RNNBase {
 public:
  explicit LSTM(RNNOptions options) : RNNBase("LSTM", 4, std::move(options)) {}
  LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1)
      : LSTM(RNNOptions{input_size, hidden_size, num_layers}) {}
  // (output, (h_n, c_n)); h0 and c0 both given or both undefined (zeros).
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(const Tensor& input, const Tensor& h0, const Tensor& c0);
  Tensor forward(const Tensor& x) override { return std::get<0>(forward(x, Tensor(), Tensor())); }

 protected:
  void cell(const Tensor& x_w, std::vector<Tensor>& state, const Tensor& w_hh, const Tensor& b_hh) const override;
};

class GRU : public RNNBase {
 public:
  explicit GRU(RNNOptions options) : RNNBase("GRU", 3, std::move(options)) {}
  GRU(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1)
      : GRU(RNNOptions{input_size, hidden_size, num_layers}) {}
  // (output, h_n); h0 undefined means zeros.
  std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& h0);
  Tensor forward(const Tensor& x) override { return std::get<0>(forward(x, Tensor())); }

 protected:
  void cell(const Tensor& x_w, std::vector<Tensor>& state, const Tensor& w_hh, const Tensor& b_hh) const override;
};

}  // namespace ft::nn
