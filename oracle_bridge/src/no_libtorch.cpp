// The libtorch entry points of a build without libtorch (FT_WITH_ORACLE=OFF):
// each raises an ft::Error saying what to do instead. The harness checks
// libtorch_available() first, so users see a usage message, not these.
#include "ft/error.h"
#include "ft/oracle/backend.h"
#include "ft/oracle/checkpoint.h"
#include "ft/oracle/program.h"
#include "ft/oracle/training.h"

namespace ft::oracle {
namespace {
[[noreturn]] void missing(const char* what) {
  FT_ERROR(what, " needs libtorch, and this ftorch was built without it (FT_WITH_ORACLE=OFF): run "
                 "conformance against a fixture corpus (--oracle fixtures --fixtures FILE) or rebuild with libtorch");
}
}  // namespace

bool libtorch_available() { return false; }
std::string libtorch_version() { return "none (built without libtorch)"; }
OracleResult libtorch_forward(int, const EngineCall&) { missing("the libtorch oracle"); }
OracleResult libtorch_backward(int, const EngineCall&, const Tensor&, uint32_t) { missing("the libtorch oracle"); }
OracleResult libtorch_double_backward(int, const EngineCall&, const Tensor&, uint32_t, const std::vector<Tensor>&) {
  missing("the libtorch oracle");
}
Tensor roundtrip_through_aten(const Tensor&) { missing("an ATen round trip"); }
bool aten_geometry_matches(const Tensor&) { missing("an ATen round trip"); }
ProgramResult run_program_oracle(const Program&) { missing("fuzzing"); }
std::vector<char> libtorch_pickle_save(const serialize::TensorEntries&) { missing("the checkpoint suite"); }
PickleLoaded libtorch_pickle_load(const std::vector<char>&) { missing("the checkpoint suite"); }

struct OracleTrainer::Impl {};
OracleTrainer::OracleTrainer(const TraceSpec&) { missing("the training-trace suite"); }
OracleTrainer::~OracleTrainer() = default;
double OracleTrainer::step() { missing("the training-trace suite"); }
std::vector<double> OracleTrainer::params_flat() const { missing("the training-trace suite"); }

}  // namespace ft::oracle
