// LSTM and GRU (ft/nn/rnn.h): ATen's CPU recurrence, op for op, so rounding
// follows libtorch's: the input projection of a whole layer is one GEMM, then
// per step gates = (h W_hh^T + b_hh) + x_w, with ATen's cell formulas.
#include <cmath>
#include <string>

#include "ft/autograd.h"
#include "ft/nn/functional.h"
#include "ft/nn/init.h"
#include "ft/nn/rnn.h"
#include "ft/random.h"

namespace ft::nn {

RNNBase::RNNBase(const char* name, int64_t gates, RNNOptions o) : Module(name), opt_(std::move(o)) {
  FT_CHECK_VALUE(opt_.dropout >= 0 && opt_.dropout <= 1,
                 "dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
  FT_CHECK_VALUE(opt_.hidden_size > 0, "hidden_size must be greater than zero");
  FT_CHECK_VALUE(opt_.num_layers > 0, "num_layers must be greater than zero");
  const int64_t D = opt_.bidirectional ? 2 : 1, H = opt_.hidden_size;
  for (int64_t l = 0; l < opt_.num_layers; ++l)
    for (int64_t d = 0; d < D; ++d) {
      const int64_t in = l == 0 ? opt_.input_size : H * D;
      const std::string sfx = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      register_parameter("weight_ih" + sfx, empty({gates * H, in}, opt_.dtype));
      register_parameter("weight_hh" + sfx, empty({gates * H, H}, opt_.dtype));
      if (opt_.bias) {
        register_parameter("bias_ih" + sfx, empty({gates * H}, opt_.dtype));
        register_parameter("bias_hh" + sfx, empty({gates * H}, opt_.dtype));
      }
    }
  reset_parameters();
}

void RNNBase::reset_parameters() {
  autograd::NoGradGuard ng;
  const double stdv = 1.0 / std::sqrt(double(opt_.hidden_size));
  for (auto& p : parameters(false)) {
    Tensor t = p.detach();
    init::uniform_(t, -stdv, stdv);
  }
}

std::pair<Tensor, std::vector<Tensor>> RNNBase::run(const Tensor& input, std::vector<Tensor> state) {
  const std::string& name = type_name();
  FT_CHECK_VALUE(input.dim() == 2 || input.dim() == 3, name, ": Expected input to be 2-D or 3-D but received ",
                 input.dim(), "-D tensor");
  const bool batched = input.dim() == 3;
  for (const Tensor& s : state)
    if (s.defined())
      FT_CHECK(s.dim() == input.dim(), "For ", batched ? "batched 3-D" : "unbatched 2-D", " input, hx",
               state.size() > 1 ? " and cx" : "", " should also be ", input.dim(), "-D but got ", s.dim(),
               "-D tensor");
  Tensor x = input;
  if (!batched) {
    x = x.unsqueeze(opt_.batch_first ? 0 : 1);
    for (Tensor& s : state)
      if (s.defined()) s = s.unsqueeze(1);
  }
  if (opt_.batch_first) x = x.transpose(0, 1);
  FT_CHECK(x.size(2) == opt_.input_size, "input.size(-1) must be equal to input_size. Expected ", opt_.input_size,
           ", got ", x.size(2));
  const int64_t D = opt_.bidirectional ? 2 : 1, H = opt_.hidden_size, T = x.size(0), N = x.size(1);
  const int64_t LD = opt_.num_layers * D;
  for (size_t k = 0; k < state.size(); ++k) {
    Tensor& s = state[k];
    if (!s.defined()) {
      s = zeros({LD, N, H}, x.dtype());
      continue;
    }
    // LSTM names its two states hidden[0] and hidden[1], as PyTorch's message does.
    const std::string which = state.size() > 1 ? "hidden[" + std::to_string(k) + "]" : "hidden";
    FT_CHECK(s.size(0) == LD && s.size(1) == N && s.size(2) == H, "Expected ", which, " size (", LD, ", ", N, ", ",
             H, "), got ", shape_str(s.sizes()));
  }
  std::vector<std::vector<Tensor>> finals(state.size());
  Tensor layer_in = x;
  for (int64_t l = 0; l < opt_.num_layers; ++l) {
    std::vector<Tensor> dir_out;
    for (int64_t d = 0; d < D; ++d) {
      const std::string sfx = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      Tensor b_ih = opt_.bias ? param("bias_ih" + sfx) : Tensor();
      Tensor b_hh = opt_.bias ? param("bias_hh" + sfx) : Tensor();
      std::vector<Tensor> st;
      for (const Tensor& s : state) st.push_back(s.select(0, l * D + d));
      auto steps = functional::linear(layer_in, param("weight_ih" + sfx), b_ih).unbind(0);
      std::vector<Tensor> hs(static_cast<size_t>(T));
      for (int64_t i = 0; i < T; ++i) {
        const int64_t t = d == 1 ? T - 1 - i : i;  // the reverse direction runs backwards in time
        cell(steps[size_t(t)], st, param("weight_hh" + sfx), b_hh);
        hs[size_t(t)] = st[0];
      }
      dir_out.push_back(T > 0 ? stack(hs, 0) : zeros({0, N, H}, x.dtype()));
      for (size_t k = 0; k < st.size(); ++k) finals[k].push_back(st[k]);
    }
    layer_in = D == 2 ? cat(dir_out, 2) : dir_out[0];
    if (opt_.dropout > 0 && training_ && l < opt_.num_layers - 1) layer_in = ft::dropout(layer_in, opt_.dropout, true);
  }
  Tensor out = layer_in;
  std::vector<Tensor> final_states;
  for (auto& f : finals) final_states.push_back(stack(f, 0));
  if (opt_.batch_first) out = out.transpose(0, 1);
  if (!batched) {
    out = out.squeeze(opt_.batch_first ? 0 : 1);
    for (Tensor& s : final_states) s = s.squeeze(1);
  }
  return {out, final_states};
}

void LSTM::cell(const Tensor& x_w, std::vector<Tensor>& st, const Tensor& w_hh, const Tensor& b_hh) const {
  Tensor gates = functional::linear(st[0], w_hh, b_hh) + x_w;
  auto g = gates.chunk(4, 1);
  Tensor i = g[0].sigmoid(), f = g[1].sigmoid(), c = g[2].tanh(), o = g[3].sigmoid();
  st[1] = f * st[1] + i * c;
  st[0] = o * st[1].tanh();
}

void GRU::cell(const Tensor& x_w, std::vector<Tensor>& st, const Tensor& w_hh, const Tensor& b_hh) const {
  auto gi = x_w.chunk(3, 1);
  auto gh = functional::linear(st[0], w_hh, b_hh).chunk(3, 1);
  Tensor r = (gh[0] + gi[0]).sigmoid();
  Tensor z = (gh[1] + gi[1]).sigmoid();
  Tensor n = (gi[2] + gh[2] * r).tanh();
  st[0] = (st[0] - n) * z + n;
}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTM::forward(const Tensor& input, const Tensor& h0, const Tensor& c0) {
  FT_CHECK(h0.defined() == c0.defined(), "LSTM: pass both h0 and c0, or neither");
  auto [out, st] = run(input, {h0, c0});
  return {out, {st[0], st[1]}};
}

std::tuple<Tensor, Tensor> GRU::forward(const Tensor& input, const Tensor& h0) {
  auto [out, st] = run(input, {h0});
  return {out, st[0]};
}

}  // namespace ft::nn
