// Autograd recording of the primitive losses (derivatives_loss.cpp), with
// libtorch's node names: MseLossBackward0, SmoothL1LossBackward0,
// HuberLossBackward0, BinaryCrossEntropyBackward0,
// BinaryCrossEntropyWithLogitsBackward0, NllLossBackward0, NllLoss2DBackward0.
#pragma once

#include "ft/autograd.h"

namespace ft::autograd {

enum class PointLoss : uint8_t { Mse, SmoothL1, Huber };

// out = reduce(loss(self, target)); param is beta (SmoothL1) or delta (Huber).
void record_point_loss(PointLoss kind, const Tensor& self, const Tensor& target, int64_t reduction, double param,
                       Tensor& out);
// weight / pos_weight may be undefined (they get no gradient, as in libtorch).
void record_bce(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction, Tensor& out);
void record_bce_with_logits(const Tensor& self, const Tensor& target, const Tensor& weight, const Tensor& pos_weight,
                            int64_t reduction, Tensor& out);
// total_weight: the 0-dim divisor of the mean (sum of the targets' weights);
// node_name: "NllLossBackward0" (nll_loss) or "NllLoss2DBackward0" (nll_loss2d).
void record_nll(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index, const Tensor& total_weight, Tensor& out, const char* node_name);

}  // namespace ft::autograd
