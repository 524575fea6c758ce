// The autograd fuzzer (see fuzz.h): generation, engine execution, judging,
// the time-boxed loop with shrinking, and program files.
#include "ft/props/fuzz.h"

#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ft/autograd.h"
#include "ft/oracle/program_exec.h"
#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;
using oracle::Program;
using oracle::ProgramResult;
using oracle::ProgStep;

// The engine as a backend of execute_program (program_exec.h).
struct EngineBackend {
  using Tensor = ft::Tensor;
  using Call = EngineCall;
  static Tensor make_leaf(const std::vector<double>& v, const std::vector<int64_t>& shape) {
    return from_vector(v, shape, DType::Float64).requires_grad_(true);
  }
  static std::unique_ptr<autograd::NoGradGuard> grad_mode(bool enabled) {
    return enabled ? nullptr : std::make_unique<autograd::NoGradGuard>();
  }
  static Tensor invoke(int op, EngineCall& c) { return op_table()[op].invoke(c).at(0); }
  static Tensor inplace_mul(Tensor& t, double a) { return t.mul_(scalar_tensor(a, std::nullopt, true)); }
  static Tensor inplace_add(Tensor& t, const Tensor& o) { return t.add_(o); }
  static std::vector<double> to_vec(const Tensor& t) { return t.to_double_vector(); }
  static bool requires_grad(const Tensor& t) { return t.requires_grad(); }
  static bool defined(const Tensor& t) { return t.defined(); }
  static void backward(const Tensor& t, bool retain) { t.backward(Tensor(), retain); }
  static std::vector<double> grad_of(const Tensor& l) { return l.grad().defined() ? to_vec(l.grad()) : std::vector<double>{}; }
  static std::vector<Tensor> grad_create_graph(const Tensor& loss, const std::vector<Tensor>& leaves) {
    return autograd::grad({loss}, leaves, {}, true, true, /*allow_unused=*/true);
  }
  static void zero_grad(Tensor& l) { l.mutable_grad() = Tensor(); }
};

// Functional, differentiable, elementwise entries with float64 kernels.
const std::vector<int>& candidate_ops() {
  static const std::vector<int> ops = [] {
    std::vector<int> v;
    for (int i = 0; i < kNumOps; ++i) {
      const OpInfo& o = op_table()[i];
      bool kind_ok = o.kind == OpKind::Unary || o.kind == OpKind::Binary || o.kind == OpKind::BinaryAlpha;
      if (kind_ok && o.variant == OpVariant::Functional && o.differentiable() && o.supports(DType::Float64))
        v.push_back(i);
    }
    return v;
  }();
  return ops;
}

bool binary(int op) { return op_table()[op].kind != OpKind::Unary; }

double fuzz_now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

bool close(double a, double b, double scale) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::fabs(a) > 1e100 || std::fabs(b) > 1e100) return true;  // precision loss: not judged
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= 1e-9 + 1e-6 * std::fabs(b) + 1e-12 * scale;
}

std::string cmp_lists(const char* what, const std::vector<double>& a, const std::vector<double>& b, double scale) {
  if (a.size() != b.size())
    return std::string(what) + ": engine has " + std::to_string(a.size()) + " elements, oracle " + std::to_string(b.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (!close(a[i], b[i], scale)) {
      std::ostringstream os;
      os.precision(17);
      os << what << "[" << i << "]: engine " << a[i] << " vs oracle " << b[i];
      return os.str();
    }
  return "";
}

}  // namespace

rc::Gen<Program> gen_program() {
  return gen::exec([] {
    Program p;
    int rank = *gen::inRange(0, 4);
    for (int d = 0; d < rank; ++d) p.shape.push_back(*gen::inRange<int64_t>(1, 4));
    int64_t n = 1;
    for (int64_t s : p.shape) n *= s;
    int nl = *gen::inRange(1, 4);
    for (int i = 0; i < nl; ++i)
      p.leaves.push_back(*gen::container<std::vector<double>>(size_t(n), gen::map(gen::inRange(-300, 301), [](int x) {
        return x / 100.0;
      })));
    int nsteps = *gen::inRange(1, 9);
    const auto& ops = candidate_ops();
    for (int k = 0; k < nsteps; ++k) {
      int nvals = nl + k;
      auto pick = [&] { return *gen::inRange(0, nvals); };
      ProgStep s;
      int r = *gen::inRange(0, 100);
      if (r < 64 || ops.empty()) {
        s.kind = ProgStep::Call;
        s.op = ops[size_t(*gen::inRange(0, int(ops.size())))];
        s.args.push_back(pick());
        if (binary(s.op)) s.args.push_back(pick());
        if (op_table()[s.op].kind == OpKind::BinaryAlpha && *gen::inRange(0, 4) == 0) s.alpha = *gen::inRange(-4, 5) / 2.0;
      } else if (r < 68) {
        s.kind = ProgStep::Detach;
        s.args.push_back(pick());
      } else if (r < 72) {
        s.kind = ProgStep::Transpose;
        s.args.push_back(pick());
      } else if (r < 76) {
        s.kind = ProgStep::Unbind;
        s.args.push_back(pick());
      } else if (r < 85) {
        s.kind = ProgStep::Narrow;
        s.args.push_back(pick());
        s.alpha = *gen::inRange(0, 4);
      } else if (r < 93) {
        s.kind = ProgStep::InplaceMul;
        s.args.push_back(pick());
        s.alpha = *gen::inRange(-4, 5) / 2.0;
      } else {
        s.kind = ProgStep::InplaceAdd;
        s.args.push_back(pick());
        s.args.push_back(pick());
      }
      s.no_grad = *gen::inRange(0, 10) == 0;
      p.steps.push_back(s);
    }
    int nvals = nl + nsteps;
    int nloss = *gen::inRange(1, 4);
    for (int i = 0; i < nloss; ++i) p.losses.push_back(i == 0 ? nvals - 1 : *gen::inRange(0, nvals));
    p.double_backward = *gen::inRange(0, 10) < 3;
    return p;
  });
}

ProgramResult run_program_engine(const Program& p) { return oracle::execute_program<EngineBackend>(p); }

FuzzVerdict judge(const Program& p, const ProgramResult& e, const ProgramResult& o) {
  if (e.threw || o.threw) {
    if (e.threw && o.threw) return {"pass", "both raised"};
    return {"error_mismatch", e.threw ? "engine raised, oracle did not: " + e.error.substr(0, 300)
                                      : "oracle raised, engine did not: " + o.error.substr(0, o.error.find('\n'))};
  }
  double scale = double(p.steps.size() + 1) * 1e3;
  std::string m = cmp_lists("values", e.values, o.values, scale);
  if (m.empty() && !close(e.loss, o.loss, scale)) m = "loss differs";
  if (m.empty() && e.grads.size() != o.grads.size()) m = "backward ran on one side only";
  for (size_t i = 0; m.empty() && i < e.grads.size(); ++i)
    m = cmp_lists(("grad of leaf " + std::to_string(i)).c_str(), e.grads[i], o.grads[i], scale);
  if (m.empty() && e.grad2.size() != o.grad2.size()) m = "double backward ran on one side only";
  for (size_t i = 0; m.empty() && i < e.grad2.size(); ++i)
    m = cmp_lists(("second-order grad of leaf " + std::to_string(i)).c_str(), e.grad2[i], o.grad2[i], scale);
  return m.empty() ? FuzzVerdict{"pass", ""} : FuzzVerdict{"drift", m};
}

FuzzVerdict check_program(const Program& p) { return judge(p, run_program_engine(p), oracle::run_program_oracle(p)); }

namespace {
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}
bool same_bits(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}
// NOTE [ Hardened vs strict ] (runner.cpp), for programs.
std::string hardened_difference(const ProgramResult& h, const ProgramResult& s) {
  if (h.threw != s.threw)
    return h.threw ? "hardened mode raised where strict mode returned: " + h.error.substr(0, 300)
                   : "strict mode raised where hardened mode returned: " + s.error.substr(0, 300);
  if (h.threw) return "";
  if (!same_bits(h.values, s.values)) return "values differ bitwise";
  if (std::memcmp(&h.loss, &s.loss, sizeof(double)) != 0) return "loss differs bitwise";
  if (!same_bits(h.grads, s.grads)) return "leaf gradients differ bitwise";
  if (!same_bits(h.grad2, s.grad2)) return "second-order gradients differ bitwise";
  return "";
}
}  // namespace

FuzzVerdict check_program_hardened(const Program& p, std::vector<hardened::Event>* events) {
  ProgramResult h;
  {
    hardened::Scope sink(events);
    h = run_program_engine(p);
  }
  std::string d = hardened_difference(h, run_program_engine(p));
  if (!d.empty()) return {"drift", "hardened mode changed the result of the program: " + d};
  return judge(p, h, oracle::run_program_oracle(p));
}

bool is_program_reproduce(const std::string& r) { return r.rfind("ftprog1:", 0) == 0; }

Program program_from_reproduce(const std::string& r) {
  unsigned long long seed = 0;
  int size = 0;
  FT_CHECK_VALUE(is_program_reproduce(r) && std::sscanf(r.c_str() + 8, "%llu:%d", &seed, &size) == 2,
                 "'", r, "' is not a fuzz program reproduce string (ftprog1:SEED:SIZE)");
  return gen_program()(rc::Random(seed), size).value();
}

bool is_program_json(const std::string& text) { return text.find("\"ftprogram-json\"") != std::string::npos; }

std::string explain_program(const Program& p, const FuzzVerdict& v) {
  std::ostringstream os;
  os.precision(17);
  os << "  program: " << p.describe() << "\n";
  auto side = [&](const char* who, const ProgramResult& r) {
    os << "  " << who << ": ";
    if (r.threw) {
      os << "raised: " << r.error.substr(0, r.error.find('\n')) << "\n";
      return;
    }
    os << "loss " << r.loss << ", backward " << (r.grads.empty() ? "not run" : "ran")
       << (p.double_backward ? (r.grad2.empty() ? ", double backward not run" : ", double backward ran") : "") << "\n";
    for (size_t i = 0; i < r.grads.size(); ++i) {
      os << "    grad of leaf " << i << ": [";
      for (size_t k = 0; k < r.grads[i].size(); ++k) os << (k ? ", " : "") << r.grads[i][k];
      os << "]\n";
    }
  };
  side("engine", run_program_engine(p));
  side("oracle", oracle::run_program_oracle(p));
  os << "  verdict: " << v.outcome << (v.message.empty() ? "" : " - " + v.message) << "\n";
  return os.str();
}

std::string program_to_json(const Program& p) {
  nlohmann::json j;
  j["format"] = "ftprogram-json";
  j["version"] = 1;
  j["shape"] = p.shape;
  j["leaves"] = p.leaves;
  nlohmann::json steps = nlohmann::json::array();
  for (const ProgStep& s : p.steps)
    steps.push_back({{"kind", int(s.kind)}, {"op", s.op >= 0 ? op_table()[s.op].id : ""}, {"args", s.args},
                     {"alpha", s.alpha}, {"no_grad", s.no_grad}});
  j["steps"] = steps;
  j["losses"] = p.losses;
  j["double_backward"] = p.double_backward;
  j["describe"] = p.describe();
  return j.dump(1);
}

Program program_from_json(const std::string& text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    FT_CHECK_VALUE(false, origin, ": not valid JSON: ", e.what());
  }
  FT_CHECK_VALUE(j.value("format", "") == "ftprogram-json" && j.value("version", 0) == 1, origin,
                 ": not an ftprogram-json version 1 file");
  for (auto it = j.begin(); it != j.end(); ++it)
    FT_CHECK_VALUE(std::string("format version shape leaves steps losses double_backward describe").find(it.key()) !=
                       std::string::npos, origin, ": unknown field '", it.key(), "' (refused: fail closed)");
  Program p;
  p.shape = j.at("shape").get<std::vector<int64_t>>();
  p.leaves = j.at("leaves").get<std::vector<std::vector<double>>>();
  for (const auto& s : j.at("steps")) {
    ProgStep st;
    int kind = s.at("kind").get<int>();
    FT_CHECK_VALUE(kind >= 0 && kind <= ProgStep::Unbind, origin, ": unknown step kind ", kind);
    st.kind = ProgStep::Kind(kind);
    std::string op = s.value("op", "");
    if (st.kind == ProgStep::Call) {
      const OpInfo* info = find_op(op);
      FT_CHECK_VALUE(info, origin, ": op '", op, "' is not in this build's op table");
      st.op = int(info - op_table());
    }
    st.args = s.at("args").get<std::vector<int>>();
    st.alpha = s.value("alpha", 1.0);
    st.no_grad = s.value("no_grad", false);
    p.steps.push_back(st);
  }
  p.losses = j.at("losses").get<std::vector<int>>();
  p.double_backward = j.value("double_backward", false);
  int nvals = int(p.leaves.size() + p.steps.size());
  for (int id : p.losses) FT_CHECK_VALUE(id >= 0 && id < nvals, origin, ": loss refers to value ", id, " which does not exist");
  return p;
}

FuzzSummary run_fuzz(ledger::Ledger& ledger, int64_t run_id, const FuzzOptions& opt) {
  FuzzSummary sum;
  const double t0 = fuzz_now_s();
  uint64_t i = 0;
  double next_progress = t0 + opt.progress_interval_s;
  while (fuzz_now_s() - t0 < opt.seconds) {
    if (opt.progress && fuzz_now_s() >= next_progress) {
      sum.seconds = fuzz_now_s() - t0;
      opt.progress(sum);
      next_progress += opt.progress_interval_s;
    }
    const uint64_t seed = opt.seed * 1000003ull + i++;
    const int size = int(i % 100);
    rc::Shrinkable<Program> sp = gen_program()(rc::Random(seed), size);
    Program p = sp.value();
    sum.programs++;
    for (bool hard : opt.modes) {
      const double tc = fuzz_now_s();
      std::vector<hardened::Event> events;
      auto check = [&](const Program& q) {
        if (!hard) return check_program(q);
        std::vector<hardened::Event> ignored;
        return check_program_hardened(q, &ignored);
      };
      FuzzVerdict v = hard ? check_program_hardened(p, &events) : check_program(p);
      ledger::CaseRow row;
      row.run_id = run_id;
      row.suite = "fuzz";
      row.op = "autograd_program";
      row.variant = "program";
      row.dtype = "float64";
      row.shapes = shape_str(p.shape);
      row.mode = hard ? "hardened" : "strict";
      row.outcome = v.outcome;
      row.seed = seed;
      row.reproduce = "ftprog1:" + std::to_string(seed) + ":" + std::to_string(size);
      row.duration_ms = (fuzz_now_s() - tc) * 1000;
      for (const hardened::Event& ev : events)
        ledger.add_event({0, run_id, 0, row.op, row.dtype, ev.reason, ev.detail + " (" + row.reproduce + ")"});
      if (v.outcome == "pass") {
        sum.passed++;
        if (v.message == "both raised") sum.both_raised++;
        ledger.add_case(row);
        continue;
      }
      sum.failed++;
      // Shrink: greedily accept the first shrink that still fails.
      rc::Shrinkable<Program> cur = sp;
      int steps = 0;
      for (bool moved = true; moved && steps < 200;) {
        moved = false;
        auto seq = cur.shrinks();
        while (auto child = seq.next()) {
          if (check(child->value()).outcome != "pass") {
            cur = std::move(*child);
            moved = true;
            ++steps;
            break;
          }
        }
      }
      Program minimal = cur.value();
      FuzzVerdict mv = check(minimal);
      ledger::DriftRow d;
      d.message = mv.message.empty() ? v.message : mv.message;
      d.minimized_case = minimal.describe();
      d.shrink_steps = steps;
      ledger.add_case(row, d);
      if (!opt.save_dir.empty()) {
        std::filesystem::create_directories(opt.save_dir);
        std::string path = opt.save_dir + "/fuzz-" + std::to_string(seed) + ".json";
        std::ofstream(path) << program_to_json(minimal) << "\n";
        if (opt.log) opt.log("saved minimized failure to " + path);
      }
      if (opt.log) opt.log(v.outcome + ": " + d.message + "\n  minimized: " + d.minimized_case);
    }
  }
  ledger.flush();
  sum.seconds = fuzz_now_s() - t0;
  if (opt.progress) opt.progress(sum);
  return sum;
}

}  // namespace ft::props

namespace ft::oracle {

std::string Program::describe() const {
  std::ostringstream os;
  os << "shape=" << shape_str(shape) << " leaves=" << leaves.size() << ";";
  int id = int(leaves.size());
  for (const ProgStep& s : steps) {
    os << " v" << id++ << "=";
    if (s.no_grad) os << "no_grad:";
    switch (s.kind) {
      case ProgStep::Call: os << op_table()[s.op].id; break;
      case ProgStep::Detach: os << "detach"; break;
      case ProgStep::Transpose: os << "transpose"; break;
      case ProgStep::InplaceMul: os << "mul_"; break;
      case ProgStep::InplaceAdd: os << "add_"; break;
      case ProgStep::Narrow: os << "narrow0"; break;
      case ProgStep::Unbind: os << "unbind0[0]"; break;
    }
    os << "(";
    for (size_t k = 0; k < s.args.size(); ++k) os << (k ? "," : "") << "v" << s.args[k];
    if (s.kind == ProgStep::InplaceMul || s.kind == ProgStep::Narrow || (s.kind == ProgStep::Call && s.alpha != 1.0)) os << "," << s.alpha;
    os << ")";
  }
  os << "; loss=sum(";
  for (size_t k = 0; k < losses.size(); ++k) os << (k ? "+" : "") << "v" << losses[k];
  os << ")" << (double_backward ? " +double_backward" : "");
  return os.str();
}

}  // namespace ft::oracle
