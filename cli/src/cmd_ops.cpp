// `ftorch ops [--json]`: the op table.
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "ft/op_table.h"

namespace ft::cli {

namespace {
std::vector<std::string> dtype_list(uint32_t bits) {
  std::vector<std::string> v;
  for (int i = 0; i < kNumDTypes; ++i)
    if (bits & dtype_bit(DType(i))) v.push_back(dtype_name(DType(i)));
  return v;
}
}  // namespace

Command add_ops(CLI::App& app) {
  auto* sub = app.add_subcommand("ops", "List the op table (every op variant with its oracle mapping)");
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "Print JSON instead of a table");
  return {sub, [json] {
            const OpInfo* t = op_table();
            if (*json) {
              nlohmann::json arr = nlohmann::json::array();
              for (int i = 0; i < kNumOps; ++i) {
                const OpInfo& op = t[i];
                std::string call = op.call;
                std::string oracle = call;
                for (size_t p; (p = oracle.find("NS::")) != std::string::npos;) oracle.replace(p, 4, "at::");
                arr.push_back({{"id", op.id},
                               {"name", op.name},
                               {"variant", variant_name(op.variant)},
                               {"kind", kind_name(op.kind)},
                               {"dtypes", dtype_list(op.dtypes)},
                               {"differentiable_inputs", op.diff},
                               {"comparator", cmp_name(op.cmp)},
                               {"result_dtype", out_dtype_name(op.out_dtype)},
                               {"oracle", oracle},
                               {"call", call}});
              }
              nlohmann::json doc = {{"count", kNumOps}, {"ops", arr}};
              std::cout << doc.dump(2) << "\n";
              return kExitOk;
            }
            std::printf("%-18s %-16s %-10s %-12s %-12s %s\n", "id", "name", "variant", "comparator", "diff", "dtypes");
            for (int i = 0; i < kNumOps; ++i) {
              const OpInfo& op = t[i];
              std::string dts;
              for (auto& d : dtype_list(op.dtypes)) dts += (dts.empty() ? "" : ",") + d;
              std::printf("%-18s %-16s %-10s %-12s %-12s %s\n", op.id, op.name, variant_name(op.variant),
                          cmp_name(op.cmp), op.diff ? "yes" : "no", dts.c_str());
            }
            std::printf("%d op variants\n", kNumOps);
            return kExitOk;
          }};
}

}  // namespace ft::cli
