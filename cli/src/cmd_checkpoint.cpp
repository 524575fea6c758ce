// `ftorch checkpoint inspect FILE [--json]`: detects the checkpoint format
// (safetensors, native, torch.save zip) and lists every tensor with its
// geometry and its sum in float64. A corrupt, truncated or hostile file is
// an error with exit code 2, never a crash.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "ft/serialize/common.h"

namespace ft::cli {

namespace {

std::string ckpt_dims(IntArrayRef v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// Sum in float64 over the logical (row-major) order, sequentially: the same
// number for the same tensor whatever its layout.
double ckpt_sum(const Tensor& t) {
  double s = 0;
  for (double v : t.to_double_vector()) s += v;
  return s;
}

int ckpt_inspect(const std::string& path, bool json) {
  serialize::Checkpoint c;
  try {
    c = serialize::load_checkpoint(path);
  } catch (const Error& e) {
    std::cerr << "ftorch checkpoint inspect: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {  // e.g. bad_alloc: still a clean exit
    std::cerr << "ftorch checkpoint inspect: error: cannot load '" << path << "': " << e.what() << "\n";
    return kExitUsage;
  }
  if (json) {
    nlohmann::json entries = nlohmann::json::array();
    for (auto& e : c.entries) {
      const Tensor& t = e.tensor;
      entries.push_back({{"name", e.name},
                         {"dtype", dtype_name(t.dtype())},
                         {"shape", t.sizes().vec()},
                         {"strides", t.strides().vec()},
                         {"storage_offset", t.storage_offset()},
                         {"numel", t.numel()},
                         {"sum", ckpt_sum(t)}});
    }
    nlohmann::json meta = nlohmann::json::object();
    for (auto& kv : c.metadata) meta[kv.first] = kv.second;
    nlohmann::json doc = {{"file", path},
                          {"format", serialize::format_name(c.format)},
                          {"count", c.entries.size()},
                          {"metadata", meta},
                          {"entries", entries}};
    std::cout << doc.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("file: %s\nformat: %s\ntensors: %zu\n", path.c_str(), serialize::format_name(c.format), c.entries.size());
  for (auto& kv : c.metadata) std::printf("metadata: %s = %s\n", kv.first.c_str(), kv.second.c_str());
  std::printf("%-32s %-9s %-18s %-18s %-8s %s\n", "name", "dtype", "shape", "strides", "offset", "sum");
  for (auto& e : c.entries) {
    const Tensor& t = e.tensor;
    std::printf("%-32s %-9s %-18s %-18s %-8lld %.17g\n", e.name.empty() ? "<tensor>" : e.name.c_str(),
                dtype_name(t.dtype()), ckpt_dims(t.sizes()).c_str(), ckpt_dims(t.strides()).c_str(),
                static_cast<long long>(t.storage_offset()), ckpt_sum(t));
  }
  return kExitOk;
}

}  // namespace

Command add_checkpoint(CLI::App& app) {
  auto* sub = app.add_subcommand("checkpoint", "Inspect checkpoints (safetensors, native FTORCHCK, torch.save .pt)");
  sub->require_subcommand(1);
  auto* inspect = sub->add_subcommand("inspect", "List every tensor: name, dtype, shape, strides, offset, sum");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  inspect->add_option("FILE", *file, "Checkpoint file")->required();
  inspect->add_flag("--json", *json, "Print JSON instead of a table");
  return {sub, [file, json, inspect] {
            if (!inspect->parsed()) return usage_error("checkpoint", "expected a subcommand: inspect");
            return ckpt_inspect(*file, *json);
          }};
}

}  // namespace ft::cli
