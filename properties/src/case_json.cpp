// CaseSpec <-> JSON (see case_json.h).
#include "ft/props/case_json.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ft::props {
namespace {

using json = nlohmann::json;

json value_to_json(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0 && std::signbit(v)) return "-0";
  return v;
}

double value_from_json(const json& j, const std::string& origin) {
  if (j.is_number()) return j.get<double>();
  FT_CHECK_VALUE(j.is_string(), origin, ": a value must be a number or one of \"nan\", \"inf\", \"-inf\", \"-0\"");
  std::string s = j.get<std::string>();
  if (s == "nan") return std::nan("");
  if (s == "inf") return INFINITY;
  if (s == "-inf") return -INFINITY;
  if (s == "-0") return -0.0;
  FT_CHECK_VALUE(false, origin, ": unknown value string '", s, "'");
  return 0;
}

json scalar_to_json(const Scalar& s) {
  if (s.is_bool()) return json{{"bool", s.to_bool()}};
  if (s.is_integral()) return json{{"int", s.to_int()}};
  return json{{"float", value_to_json(s.to_double())}};
}

Scalar scalar_from_json(const json& j, const std::string& origin) {
  FT_CHECK_VALUE(j.is_object() && j.size() == 1, origin, ": a scalar is {\"int\": n}, {\"float\": x} or {\"bool\": b}");
  if (j.contains("bool")) return Scalar(j["bool"].get<bool>());
  if (j.contains("int")) return Scalar(j["int"].get<int64_t>());
  if (j.contains("float")) return Scalar(value_from_json(j["float"], origin));
  FT_CHECK_VALUE(false, origin, ": unknown scalar kind ", j.dump());
  return Scalar();
}

void only(const json& j, const std::set<std::string>& keys, const std::string& where) {
  FT_CHECK_VALUE(j.is_object(), where, " must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    FT_CHECK_VALUE(keys.count(it.key()), where, ": unknown field '", it.key(), "' (refused: fail closed)");
}

Layout layout_from(const std::string& s, const std::string& origin) {
  for (Layout l : {Layout::Contiguous, Layout::Transposed, Layout::Strided, Layout::Expanded, Layout::Offset})
    if (s == layout_name(l)) return l;
  FT_CHECK_VALUE(false, origin, ": unknown layout '", s, "'");
  return Layout::Contiguous;
}

}  // namespace

std::string case_to_json(const CaseSpec& c, const std::string& note) {
  json j;
  j["format"] = "ftcase-json";
  j["version"] = 1;
  j["op"] = op_table()[c.op].id;
  j["dtype"] = dtype_name(c.dtype);
  json ins = json::array();
  for (const TensorSpec& t : c.inputs) {
    json vals = json::array();
    for (double v : t.values) vals.push_back(value_to_json(v));
    ins.push_back({{"shape", t.shape}, {"dtype", dtype_name(t.dtype)}, {"layout", layout_name(t.layout)}, {"values", vals}});
  }
  j["inputs"] = ins;
  json p;
  p["alpha"] = scalar_to_json(c.alpha);
  p["scalar"] = scalar_to_json(c.scalar);
  p["scalar2"] = scalar_to_json(c.scalar2);
  if (c.opt_a) p["opt_a"] = scalar_to_json(*c.opt_a);
  if (c.opt_b) p["opt_b"] = scalar_to_json(*c.opt_b);
  p["dims"] = c.dims;
  p["ints"] = c.ints;
  p["dim"] = c.dim;
  p["n"] = c.n;
  p["keepdim"] = c.keepdim;
  p["flag"] = c.flag;
  p["str"] = c.str;
  if (c.dtype_arg) p["dtype"] = dtype_name(*c.dtype_arg);
  p["out_nonempty"] = c.out_nonempty;
  if (c.out_dtype) p["out_dtype"] = dtype_name(*c.out_dtype);
  j["params"] = p;
  if (!note.empty()) j["note"] = note;
  return j.dump(1);
}

CaseSpec case_from_json(const std::string& text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const std::exception& e) {
    FT_CHECK_VALUE(false, origin, ": not valid JSON: ", e.what());
  }
  only(j, {"format", "version", "op", "dtype", "inputs", "params", "note"}, origin);
  FT_CHECK_VALUE(j.value("format", "") == "ftcase-json", origin, ": not an ftcase-json file (missing \"format\": \"ftcase-json\")");
  FT_CHECK_VALUE(j.value("version", 0) == 1, origin, ": unsupported ftcase-json version ", j.value("version", 0),
                 " (this ftorch reads version 1; regenerate the file with this ftorch)");
  CaseSpec c;
  std::string op = j.at("op").get<std::string>();
  const OpInfo* info = find_op(op);
  FT_CHECK_VALUE(info, origin, ": op '", op, "' is not in this build's op table (see `ftorch ops`)");
  c.op = int(info - op_table());
  c.dtype = parse_dtype(j.at("dtype").get<std::string>());
  for (const json& t : j.at("inputs")) {
    only(t, {"shape", "dtype", "layout", "values"}, origin + " input");
    TensorSpec s;
    s.shape = t.at("shape").get<std::vector<int64_t>>();
    s.dtype = parse_dtype(t.at("dtype").get<std::string>());
    s.layout = layout_from(t.at("layout").get<std::string>(), origin);
    for (const json& v : t.at("values")) s.values.push_back(value_from_json(v, origin));
    FT_CHECK_VALUE(int64_t(s.values.size()) == storage_numel(s.shape, s.layout), origin, ": input has ",
                   s.values.size(), " values but its shape and layout need ", storage_numel(s.shape, s.layout));
    c.inputs.push_back(s);
  }
  if (j.contains("params")) {
    const json& p = j["params"];
    only(p, {"alpha", "scalar", "scalar2", "opt_a", "opt_b", "dims", "ints", "dim", "n", "keepdim", "flag", "str",
             "dtype", "out_nonempty", "out_dtype"}, origin + " params");
    if (p.contains("alpha")) c.alpha = scalar_from_json(p["alpha"], origin);
    if (p.contains("scalar")) c.scalar = scalar_from_json(p["scalar"], origin);
    if (p.contains("scalar2")) c.scalar2 = scalar_from_json(p["scalar2"], origin);
    if (p.contains("opt_a")) c.opt_a = scalar_from_json(p["opt_a"], origin);
    if (p.contains("opt_b")) c.opt_b = scalar_from_json(p["opt_b"], origin);
    c.dims = p.value("dims", std::vector<int64_t>{});
    c.ints = p.value("ints", std::vector<int64_t>{});
    c.dim = p.value("dim", int64_t(0));
    c.n = p.value("n", int64_t(0));
    c.keepdim = p.value("keepdim", false);
    c.flag = p.value("flag", false);
    c.str = p.value("str", std::string());
    if (p.contains("dtype")) c.dtype_arg = parse_dtype(p["dtype"].get<std::string>());
    c.out_nonempty = p.value("out_nonempty", false);
    if (p.contains("out_dtype")) c.out_dtype = parse_dtype(p["out_dtype"].get<std::string>());
  }
  return c;
}

CaseSpec load_case_file(const std::string& path) {
  std::ifstream f(path);
  FT_CHECK_VALUE(bool(f), "cannot read case file '", path, "'");
  std::stringstream ss;
  ss << f.rdbuf();
  return case_from_json(ss.str(), path);
}

void save_case_file(const CaseSpec& c, const std::string& path, const std::string& note) {
  std::ofstream f(path);
  FT_CHECK_VALUE(bool(f), "cannot write case file '", path, "'");
  f << case_to_json(c, note) << "\n";
  FT_CHECK_VALUE(bool(f), "writing case file '", path, "' failed");
}

}  // namespace ft::props
