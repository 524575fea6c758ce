// Loss modules with PyTorch 1.13's constructor options (torch.nn.MSELoss &
// co.). forward(input, target) (forward(input1, input2, target) for the
// ranking losses) calls the functional form (ft/nn/functional.h). A class
// weight / pos_weight is a buffer named as in PyTorch ("weight",
// "pos_weight"), registered only when given (PyTorch's None buffer is not
// in its state_dict either).
#pragma once

#include <string>

#include "ft/nn/module.h"

namespace ft::nn {

// PyTorch's _Loss: holds the reduction string ("none" | "mean" | "sum").
class Loss : public Module {
 public:
  Loss(const char* type_name, std::string reduction);
  using Module::forward;
  using Module::operator();
  const std::string reduction;
};

// Two-argument losses: operator()(input, target) runs forward.
class PairLoss : public Loss {
 public:
  using Loss::Loss;
  using Loss::forward;
  using Loss::operator();
  virtual Tensor forward(const Tensor& input, const Tensor& target) = 0;
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }

 protected:
  // The "weight" buffer, or an undefined tensor when none was given.
  Tensor buffer_or_none(const char* name) const;
};

class MSELoss : public PairLoss {
 public:
  explicit MSELoss(std::string reduction = "mean") : PairLoss("MSELoss", std::move(reduction)) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
};

class L1Loss : public PairLoss {
 public:
  explicit L1Loss(std::string reduction = "mean") : PairLoss("L1Loss", std::move(reduction)) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
};

class SmoothL1Loss : public PairLoss {
 public:
  explicit SmoothL1Loss(std::string reduction = "mean", double beta = 1.0)
      : PairLoss("SmoothL1Loss", std::move(reduction)), beta(beta) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
  const double beta;
};

class HuberLoss : public PairLoss {
 public:
  explicit HuberLoss(std::string reduction = "mean", double delta = 1.0)
      : PairLoss("HuberLoss", std::move(reduction)), delta(delta) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
  const double delta;
};

class NLLLoss : public PairLoss {
 public:
  explicit NLLLoss(const Tensor& weight = Tensor(), int64_t ignore_index = -100, std::string reduction = "mean");
  Tensor forward(const Tensor& input, const Tensor& target) override;
  const int64_t ignore_index;
};

class CrossEntropyLoss : public PairLoss {
 public:
  explicit CrossEntropyLoss(const Tensor& weight = Tensor(), int64_t ignore_index = -100,
                            std::string reduction = "mean", double label_smoothing = 0.0);
  Tensor forward(const Tensor& input, const Tensor& target) override;
  const int64_t ignore_index;
  const double label_smoothing;
};

class BCELoss : public PairLoss {
 public:
  explicit BCELoss(const Tensor& weight = Tensor(), std::string reduction = "mean");
  Tensor forward(const Tensor& input, const Tensor& target) override;
};

class BCEWithLogitsLoss : public PairLoss {
 public:
  explicit BCEWithLogitsLoss(const Tensor& weight = Tensor(), std::string reduction = "mean",
                             const Tensor& pos_weight = Tensor());
  Tensor forward(const Tensor& input, const Tensor& target) override;
};

// reduction also accepts "batchmean" (the sum divided by the batch size).
class KLDivLoss : public PairLoss {
 public:
  explicit KLDivLoss(std::string reduction = "mean", bool log_target = false)
      : PairLoss("KLDivLoss", std::move(reduction)), log_target(log_target) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
  const bool log_target;
};

class CosineEmbeddingLoss : public Loss {
 public:
  explicit CosineEmbeddingLoss(double margin = 0.0, std::string reduction = "mean")
      : Loss("CosineEmbeddingLoss", std::move(reduction)), margin(margin) {}
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
  Tensor operator()(const Tensor& a, const Tensor& b, const Tensor& t) { return forward(a, b, t); }
  const double margin;
};

class MarginRankingLoss : public Loss {
 public:
  explicit MarginRankingLoss(double margin = 0.0, std::string reduction = "mean")
      : Loss("MarginRankingLoss", std::move(reduction)), margin(margin) {}
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
  Tensor operator()(const Tensor& a, const Tensor& b, const Tensor& t) { return forward(a, b, t); }
  const double margin;
};

}  // namespace ft::nn
