// Optimizer state dicts saved by PyTorch: torch.save(optimizer.state_dict(), f)
// read into OptimizerStateDict (weights-only loading, NOTE [ Weights-only .pt
// loading ]), for Optimizer::load_state_dict.
#pragma once

#include <string>

#include "ft/optim/optimizer.h"
#include "ft/serialize/pt.h"

namespace ft::optim {

// Maps PyTorch's {"state": {index: {name: value}}, "param_groups": [{...}]}:
// tensor state as is, Python int / float state ("step" of RMSprop and SGD-era
// files) as int64 / float64 scalar tensors, None state (a buffer not made,
// like SGD's momentum_buffer without momentum) left out; group numbers and bools as
// doubles, "betas" as "beta1" and "beta2", "params" as group_params; other
// group entries (None, strings) are skipped.
OptimizerStateDict optimizer_state_dict_from_pt(const serialize::PtValue& v);
OptimizerStateDict load_optimizer_state_dict_pt(const std::string& path);

}  // namespace ft::optim
