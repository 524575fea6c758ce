// Materializing and describing cases.
#include "ft/props/case.h"

#include <cctype>
#include <sstream>

namespace ft::props {

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Contiguous: return "contiguous";
    case Layout::Transposed: return "transposed";
    case Layout::Strided: return "strided";
    case Layout::Expanded: return "expanded";
    case Layout::Offset: return "offset";
  }
  return "?";
}

namespace {
constexpr int64_t kOffset = 3;

int64_t numel_of(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// The shape of the base tensor that the layout views.
std::vector<int64_t> base_shape(const std::vector<int64_t>& shape, Layout layout) {
  std::vector<int64_t> b = shape;
  switch (layout) {
    case Layout::Transposed:
      if (b.size() >= 2) std::swap(b[b.size() - 1], b[b.size() - 2]);
      break;
    case Layout::Strided:
      if (!b.empty()) b.back() *= 2;
      break;
    case Layout::Expanded:
      if (!b.empty() && b[0] > 1) b[0] = 1;
      break;
    default:
      break;
  }
  return b;
}
}  // namespace

int64_t storage_numel(const std::vector<int64_t>& shape, Layout layout) {
  int64_t n = numel_of(base_shape(shape, layout));
  return layout == Layout::Offset ? n + kOffset : n;
}

Tensor materialize(const TensorSpec& t) {
  std::vector<int64_t> bs = base_shape(t.shape, t.layout);
  if (t.layout == Layout::Offset) {
    Tensor flat = from_vector(t.values, {int64_t(t.values.size())}, t.dtype);
    return flat.as_strided(t.shape, contiguous_strides(t.shape), kOffset);
  }
  Tensor base = from_vector(t.values, bs, t.dtype);
  switch (t.layout) {
    case Layout::Transposed:
      return t.shape.size() >= 2 ? base.transpose(-1, -2) : base;
    case Layout::Strided:
      return t.shape.empty() ? base : base.slice(-1, 0, std::nullopt, 2);
    case Layout::Expanded:
      return base.expand(t.shape);
    default:
      return base;
  }
}

EngineCall materialize(const CaseSpec& c) {
  const OpInfo& op = op_table()[c.op];
  EngineCall call;
  for (const TensorSpec& t : c.inputs) call.in.push_back(materialize(t));
  call.alpha = c.alpha;
  call.scalar = c.scalar;
  call.scalar2 = c.scalar2;
  call.opt_a = c.opt_a;
  call.opt_b = c.opt_b;
  call.dims = c.dims;
  call.ints = c.ints;
  call.dim = c.dim;
  call.n = c.n;
  call.keepdim = c.keepdim;
  call.flag = c.flag;
  call.str = c.str;
  call.dtype = c.dtype_arg;
  if (op.variant == OpVariant::Out) {
    DType odt = c.out_dtype ? *c.out_dtype : op_result_dtype(op, c.inputs.empty() ? c.dtype : c.inputs[0].dtype);
    call.out = c.out_nonempty ? zeros({1}, odt) : empty({0}, odt);
  }
  return call;
}

namespace {
std::string vec_str(IntArrayRef v) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  os << "]";
  return os.str();
}

std::string scalar_str(const Scalar& s) {
  std::ostringstream os;
  if (s.is_bool()) os << (s.to_bool() ? "True" : "False");
  else if (s.is_integral()) os << s.to_int();
  else os << s.to_double();
  return os.str();
}
}  // namespace

std::string shapes_str(const CaseSpec& c) {
  std::string s;
  for (size_t i = 0; i < c.inputs.size(); ++i) s += (i ? ";" : "") + vec_str(c.inputs[i].shape);
  return s;
}

std::string strides_str(const CaseSpec& c) {
  std::string s;
  for (size_t i = 0; i < c.inputs.size(); ++i) s += (i ? ";" : "") + vec_str(materialize(c.inputs[i]).strides());
  return s;
}

std::string describe(const CaseSpec& c) {
  const OpInfo& op = op_table()[c.op];
  std::ostringstream os;
  os << op.id << " [" << dtype_name(c.dtype) << "]";
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const TensorSpec& t = c.inputs[i];
    os << " x" << i << "=" << dtype_short_name(t.dtype) << vec_str(t.shape) << "/" << layout_name(t.layout) << "{";
    size_t shown = std::min<size_t>(t.values.size(), 16);
    for (size_t k = 0; k < shown; ++k) os << (k ? "," : "") << t.values[k];
    if (shown < t.values.size()) os << ",...(" << t.values.size() << ")";
    os << "}";
  }
  // Every parameter the call expression reads, so the line reproduces the call.
  std::string call = op.call;
  auto uses = [&](const std::string& f) {  // whole-word match: C.dim is not C.dims
    for (size_t p = call.find(f); p != std::string::npos; p = call.find(f, p + 1)) {
      char next = p + f.size() < call.size() ? call[p + f.size()] : ' ';
      if (!std::isalnum(static_cast<unsigned char>(next)) && next != '_') return true;
    }
    return false;
  };
  if (uses("C.alpha")) os << " alpha=" << scalar_str(c.alpha);
  if (uses("C.scalar2")) os << " scalar2=" << scalar_str(c.scalar2);
  if (uses("C.scalar")) os << " scalar=" << scalar_str(c.scalar);
  if (uses("C.opt_a")) os << " opt_a=" << (c.opt_a ? scalar_str(*c.opt_a) : "None");
  if (uses("C.opt_b")) os << " opt_b=" << (c.opt_b ? scalar_str(*c.opt_b) : "None");
  if (uses("C.dims")) os << " dims=" << vec_str(c.dims);
  if (uses("C.ints")) os << " ints=" << vec_str(c.ints);
  if (uses("C.dim")) os << " dim=" << c.dim;
  if (uses("C.n")) os << " n=" << c.n;
  if (uses("C.keepdim")) os << " keepdim=" << (c.keepdim ? "True" : "False");
  if (uses("C.flag")) os << " flag=" << (c.flag ? "True" : "False");
  if (uses("C.str")) os << " str='" << c.str << "'";
  if (uses("C.dtype")) os << " dtype=" << (c.dtype_arg ? dtype_name(*c.dtype_arg) : "None");
  if (op.variant == OpVariant::Out)
    os << " out=" << (c.out_nonempty ? "[1]" : "[0]") << (c.out_dtype ? std::string(":") + dtype_name(*c.out_dtype) : "");
  return os.str();
}

}  // namespace ft::props

namespace rc {
void showValue(const ft::props::CaseSpec& c, std::ostream& os) { os << ft::props::describe(c); }
}  // namespace rc
