// A generated conformance case: which op, which dtype, and exact recipes for
// its inputs (shape, memory layout, storage values) and parameters. The same
// recipe materializes identical tensors for the engine and for the oracle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "ft/op_table.h"

namespace ft::props {

// How an input's memory is laid out around its logical shape.
enum class Layout : uint8_t {
  Contiguous,
  Transposed,  // last two dims swapped in memory (rank >= 2)
  Strided,     // last dim sliced with step 2
  Expanded,    // dim 0 broadcast with stride 0 (size > 1)
  Offset,      // contiguous after a storage offset of 3 elements
};
const char* layout_name(Layout l);

struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::Float32;
  Layout layout = Layout::Contiguous;
  std::vector<double> values;  // storage contents, storage_numel(...) of them
};

struct CaseSpec {
  int op = 0;                  // index into op_table()
  DType dtype = DType::Float32;
  std::vector<TensorSpec> inputs;
  // Parameters, mirrored into EngineCall (see OpCall in ft/op_table.h).
  Scalar alpha = 1;
  Scalar scalar = 1, scalar2 = 1;
  std::optional<Scalar> opt_a, opt_b;
  std::vector<int64_t> dims;
  std::vector<int64_t> ints;
  int64_t dim = 0;
  int64_t n = 0;
  bool keepdim = false, flag = false;
  std::string str;
  std::optional<DType> dtype_arg;
  bool out_nonempty = false;   // Out variants: out starts as shape [1] (resized) instead of [0]
  // Out variants: the out= tensor's dtype when the op's result dtype does not
  // follow its first input (where_out: that is the bool condition).
  std::optional<DType> out_dtype;
};

// Number of storage elements a layout needs for `shape`.
int64_t storage_numel(const std::vector<int64_t>& shape, Layout layout);
// Fresh engine tensor for a spec (identical on every call).
Tensor materialize(const TensorSpec& t);
// Fresh engine call for the whole case (out= tensor included).
EngineCall materialize(const CaseSpec& c);

std::string shapes_str(const CaseSpec& c);   // "[2,3];[3]"
std::string strides_str(const CaseSpec& c);  // "[3,1];[1]" (of the materialized inputs)
std::string describe(const CaseSpec& c);     // one line, for drift records

// The generator of cases for one op entry and dtype. Cases are mostly valid;
// a few percent are deliberately invalid (shapes, dims, dtypes) so that
// error parity is exercised too.
rc::Gen<CaseSpec> gen_case(int op, DType dtype);

}  // namespace ft::props

namespace rc {
// RapidCheck prints counterexamples with this.
void showValue(const ft::props::CaseSpec& c, std::ostream& os);
}  // namespace rc
