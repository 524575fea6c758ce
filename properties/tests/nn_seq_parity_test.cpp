// Sequence-module parity with libtorch 1.13's C++ frontend (torch::nn):
// MultiheadAttention, TransformerEncoderLayer, LSTM and GRU. After the same
// manual_seed both sides hold bit-identical parameters under the same names;
// in float64, forward outputs, final states and the gradients of inputs and
// every parameter agree to 1e-12 (relative to the largest magnitude), also in
// training mode with dropout (the engine's dropout masks are libtorch's).
// Python's defaults are checked separately (engine/tests/nn_seq_test.cpp);
// the C++ frontend lacks batch_first and norm_first, which are checked there.
//
// NOTE [ C++ frontend bool attn_mask ]
// libtorch 1.13's C++ torch::nn::MultiheadAttention (and so its
// TransformerEncoderLayer) does not treat a bool attn_mask as Python does
// (true = -inf before the softmax): measured with seed 1, TransformerEncoderLayer
// (8, 2, 16, 0) and a causal mask, Python gives the same output for the bool
// mask and its -inf float form, the C++ frontend a different one for the bool
// mask (its float-mask and key_padding_mask outputs equal Python's). The
// engine follows Python: here attn_mask is passed as a float mask, and the
// bool form is checked against Python's values in engine/tests/nn_seq_test.cpp.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <map>

#include "ft/nn/modules.h"
#include "ft/random.h"

namespace ft::nn_seq_parity_test {

Tensor to_ft(const at::Tensor& t) {
  at::Tensor c = t.detach().contiguous().to(at::kDouble);
  std::vector<double> v(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  return from_vector(v, std::vector<int64_t>(t.sizes().begin(), t.sizes().end()), DType::Float64);
}

// max |a - b| / max(1, max |a|); 1e30 when the shapes differ.
double rel_diff(const at::Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) return a.defined() == b.defined() ? 0 : 1e30;
  at::Tensor ac = a.detach().contiguous().to(at::kDouble);
  if (std::vector<int64_t>(ac.sizes().begin(), ac.sizes().end()) != b.sizes().vec()) return 1e30;
  std::vector<double> bv = b.detach().contiguous().to_double_vector();
  double m = 0, scale = 1;
  for (int64_t i = 0; i < ac.numel(); ++i) {
    double x = ac.data_ptr<double>()[i];
    scale = std::max(scale, std::abs(x));
    double d = std::abs(x - bv[size_t(i)]);
    m = std::max(m, std::isnan(d) ? (std::isnan(x) && std::isnan(bv[size_t(i)]) ? 0 : 1e30) : d);
  }
  return m / scale;
}

std::map<std::string, Tensor> by_name(nn::Module& m) {
  std::map<std::string, Tensor> r;
  for (auto& p : m.named_parameters()) r[p.first] = p.second;
  return r;
}

// Same names (in order) and the same bits, in float32 as drawn.
void expect_same_init(torch::nn::Module& theirs, nn::Module& ours) {
  auto mine = ours.named_parameters();
  size_t i = 0;
  for (const auto& p : theirs.named_parameters()) {
    if (!p.value().defined()) continue;
    ASSERT_LT(i, mine.size()) << "extra libtorch parameter " << p.key();
    EXPECT_EQ(p.key(), mine[i].first);
    at::Tensor a = p.value().detach().contiguous();
    Tensor b = mine[i].second.detach().contiguous();
    ASSERT_EQ(a.numel(), b.numel()) << p.key();
    ASSERT_EQ(a.element_size(), b.element_size()) << p.key();
    EXPECT_EQ(std::memcmp(a.data_ptr(), b.data_ptr(), size_t(b.numel() * b.element_size())), 0) << p.key();
    ++i;
  }
  EXPECT_EQ(i, mine.size());
  EXPECT_EQ(at::rand({1}).item<float>(), rand({1}).to_double_vector()[0]) << "generator state differs after init";
}

void expect_same_grads(torch::nn::Module& theirs, nn::Module& ours, double tol = 1e-12) {
  auto mine = by_name(ours);
  for (const auto& p : theirs.named_parameters()) {
    if (!p.value().defined()) continue;
    EXPECT_LE(rel_diff(p.value().grad(), mine.at(p.key()).grad()), tol) << p.key();
  }
}

// A weighted sum with distinct weights, so every output element's gradient differs.
at::Tensor weigh(const at::Tensor& y) { return (y * at::linspace(-1, 2, y.numel(), at::kDouble).view(y.sizes())).sum(); }
Tensor weigh(const Tensor& y) { return (y * to_ft(at::linspace(-1, 2, y.numel(), at::kDouble)).view(y.sizes())).sum(); }

TEST(NnSeqParity, MultiheadAttentionInitForwardAndGrads) {
  struct Cfg {
    int64_t E, H;
    bool bias, self_attn, masks;
    double dropout;
  };
  for (const Cfg& c : {Cfg{8, 2, true, true, false, 0.0}, Cfg{6, 3, false, false, true, 0.0},
                       Cfg{12, 4, true, false, true, 0.25}, Cfg{4, 1, true, true, true, 0.5}})
    for (uint64_t seed : {0ull, 17ull}) {
      SCOPED_TRACE("E " + std::to_string(c.E) + " H " + std::to_string(c.H) + " seed " + std::to_string(seed));
      torch::manual_seed(seed);
      torch::nn::MultiheadAttention theirs(
          torch::nn::MultiheadAttentionOptions(c.E, c.H).bias(c.bias).dropout(c.dropout));
      manual_seed(seed);
      nn::MultiheadAttention ours(c.E, c.H, c.dropout, c.bias);
      expect_same_init(*theirs, ours);
      theirs->to(at::kDouble);
      ours.to(DType::Float64);
      const int64_t L = 5, S = c.self_attn ? 5 : 4, N = 3;
      at::Tensor q = at::randn({L, N, c.E}, at::kDouble).requires_grad_(true);
      at::Tensor kv = c.self_attn ? q : at::randn({S, N, c.E}, at::kDouble).requires_grad_(true);
      at::Tensor kpm, am;
      nn::AttentionArgs a;
      Tensor qe = to_ft(q).requires_grad_(true);
      Tensor kve = c.self_attn ? qe : to_ft(kv).requires_grad_(true);
      if (c.masks) {
        kpm = at::zeros({N, S}, at::kBool);
        kpm.index_put_({1, S - 1}, true);
        am = at::randn({L, S}, at::kDouble);
        a.key_padding_mask = to_ft(kpm).to(DType::Bool);
        a.attn_mask = to_ft(am);
      }
      // Dropout draws: both generators from the same seed again.
      torch::manual_seed(seed + 1);
      manual_seed(seed + 1);
      auto [y, w] = theirs->forward(q, kv, kv, kpm, true, am);
      auto [ye, we] = ours.forward(qe, kve, kve, a);
      EXPECT_LE(rel_diff(y, ye), 1e-12);
      EXPECT_LE(rel_diff(w, we), 1e-12);
      (weigh(y) + weigh(w)).backward();
      (weigh(ye) + weigh(we)).backward();
      EXPECT_LE(rel_diff(q.grad(), qe.grad()), 1e-12);
      if (!c.self_attn) EXPECT_LE(rel_diff(kv.grad(), kve.grad()), 1e-12);
      expect_same_grads(*theirs, ours);
    }
}

TEST(NnSeqParity, TransformerEncoderLayerInitForwardAndGrads) {
  for (const char* act : {"relu", "gelu"})
    for (uint64_t seed : {1ull, 23ull}) {
      SCOPED_TRACE(std::string(act) + " seed " + std::to_string(seed));
      const double p = seed == 23 ? 0.2 : 0.0;
      torch::manual_seed(seed);
      auto topt = torch::nn::TransformerEncoderLayerOptions(8, 2).dim_feedforward(16).dropout(p);
      if (std::string(act) == "gelu") topt.activation(torch::kGELU);
      torch::nn::TransformerEncoderLayer theirs(topt);
      manual_seed(seed);
      nn::TransformerEncoderLayerOptions o;
      o.d_model = 8, o.nhead = 2, o.dim_feedforward = 16, o.dropout = p, o.activation = act;
      nn::TransformerEncoderLayer ours(o);
      expect_same_init(*theirs, ours);
      theirs->to(at::kDouble);
      ours.to(DType::Float64);
      at::Tensor x = at::randn({6, 2, 8}, at::kDouble).requires_grad_(true);
      at::Tensor kpm = at::zeros({2, 6}, at::kBool);
      kpm.index_put_({0, 5}, true);
      // Causal, as a float mask: NOTE [ C++ frontend bool attn_mask ].
      at::Tensor mask = at::zeros({6, 6}, at::kDouble).masked_fill(at::triu(at::ones({6, 6}, at::kBool), 1), -INFINITY);
      Tensor xe = to_ft(x).requires_grad_(true);
      torch::manual_seed(seed + 1);
      manual_seed(seed + 1);
      at::Tensor y = theirs->forward(x, mask, kpm);
      Tensor ye = ours.forward(xe, to_ft(mask), to_ft(kpm).to(DType::Bool));
      EXPECT_LE(rel_diff(y, ye), 1e-12);
      weigh(y).backward();
      weigh(ye).backward();
      EXPECT_LE(rel_diff(x.grad(), xe.grad()), 1e-12);
      expect_same_grads(*theirs, ours);
    }
}

struct RnnCfg {
  int64_t in, hidden, layers;
  bool bias, bidirectional, batch_first, with_h0;
  double dropout;
};
const RnnCfg kRnnCfgs[] = {{3, 5, 1, true, false, false, false, 0.0}, {4, 6, 2, true, true, true, true, 0.0},
                           {2, 3, 3, false, false, false, true, 0.4}, {5, 4, 2, true, true, false, false, 0.3}};

nn::RNNOptions ft_options(const RnnCfg& c) {
  nn::RNNOptions o{c.in, c.hidden, c.layers};
  o.bias = c.bias, o.bidirectional = c.bidirectional, o.batch_first = c.batch_first, o.dropout = c.dropout;
  return o;
}

// One configuration and seed through both sides: the same init (bit for
// bit), then in float64 the same input and initial states (`states` of them:
// h0, and c0 for LSTM), passed when c.with_h0; run(theirs, ours, a, e) returns
// both sides' outputs (output and final states), compared with their
// gradients after a weighted sum of all of them is differentiated.
template <typename Theirs, typename TheirOptions, typename Ours, typename Run>
void rnn_parity(const RnnCfg& c, uint64_t seed, int states, Run run) {
  SCOPED_TRACE("layers " + std::to_string(c.layers) + " seed " + std::to_string(seed));
  torch::manual_seed(seed);
  Theirs theirs(TheirOptions(c.in, c.hidden)
                    .num_layers(c.layers).bias(c.bias).bidirectional(c.bidirectional)
                    .batch_first(c.batch_first).dropout(c.dropout));
  manual_seed(seed);
  Ours ours(ft_options(c));
  expect_same_init(*theirs, ours);
  theirs->to(at::kDouble);
  ours.to(DType::Float64);
  const int64_t D = c.bidirectional ? 2 : 1, T = 6, N = 3;
  std::vector<at::Tensor> a{c.batch_first ? at::randn({N, T, c.in}, at::kDouble) : at::randn({T, N, c.in}, at::kDouble)};
  for (int i = 0; i < states; ++i) a.push_back(at::randn({D * c.layers, N, c.hidden}, at::kDouble));
  std::vector<Tensor> e;
  for (auto& t : a) {
    t.requires_grad_(true);
    e.push_back(to_ft(t).requires_grad_(true));
  }
  torch::manual_seed(seed + 1);  // dropout between layers draws from here on both sides
  manual_seed(seed + 1);
  auto [ya, ye] = run(theirs, ours, a, e);
  ASSERT_EQ(ya.size(), ye.size());
  at::Tensor la = at::zeros({}, at::kDouble);
  Tensor le = zeros({}, DType::Float64);
  for (size_t i = 0; i < ya.size(); ++i) {
    EXPECT_LE(rel_diff(ya[i], ye[i]), 1e-12) << "output " << i;
    la = la + weigh(ya[i]) * double(i + 1);
    le = le + weigh(ye[i]) * double(i + 1);
  }
  la.backward();
  le.backward();
  for (size_t i = 0; i < a.size(); ++i)
    if (i == 0 || c.with_h0) EXPECT_LE(rel_diff(a[i].grad(), e[i].grad()), 1e-12) << "input " << i;
  expect_same_grads(*theirs, ours);
}

TEST(NnSeqParity, LstmInitForwardStatesAndGrads) {
  for (const RnnCfg& c : kRnnCfgs)
    for (uint64_t seed : {2ull, 31ull})
      rnn_parity<torch::nn::LSTM, torch::nn::LSTMOptions, nn::LSTM>(
          c, seed, 2, [&](torch::nn::LSTM& theirs, nn::LSTM& ours, auto& a, auto& e) {
            auto [y, hc] = c.with_h0 ? theirs->forward(a[0], std::make_tuple(a[1], a[2])) : theirs->forward(a[0]);
            auto [ye, hce] = c.with_h0 ? ours.forward(e[0], e[1], e[2]) : ours.forward(e[0], Tensor(), Tensor());
            return std::make_pair(std::vector<at::Tensor>{y, std::get<0>(hc), std::get<1>(hc)},
                                  std::vector<Tensor>{ye, std::get<0>(hce), std::get<1>(hce)});
          });
}

TEST(NnSeqParity, GruInitForwardStatesAndGrads) {
  for (const RnnCfg& c : kRnnCfgs)
    for (uint64_t seed : {3ull, 37ull})
      rnn_parity<torch::nn::GRU, torch::nn::GRUOptions, nn::GRU>(
          c, seed, 1, [&](torch::nn::GRU& theirs, nn::GRU& ours, auto& a, auto& e) {
            auto [y, h] = theirs->forward(a[0], c.with_h0 ? a[1] : at::Tensor());
            auto [ye, he] = ours.forward(e[0], c.with_h0 ? e[1] : Tensor());
            return std::make_pair(std::vector<at::Tensor>{y, h}, std::vector<Tensor>{ye, he});
          });
}

}  // namespace ft::nn_seq_parity_test
