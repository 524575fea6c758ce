// Format detection and the load-anything entry point (ft/serialize/common.h).
#include "ft/serialize/native.h"
#include "ft/serialize/pt.h"
#include "ft/serialize/safetensors.h"
#include "serialize/io.h"

namespace ft::serialize {

const char* format_name(Format f) {
  switch (f) {
    case Format::Unknown: return "unknown";
    case Format::Safetensors: return "safetensors";
    case Format::Native: return "native";
    case Format::PtZip: return "pytorch-zip";
    case Format::PtLegacy: return "pytorch-legacy";
  }
  return "?";
}

Format detect_format(const std::string& path) {
  detail::FileReader r(path, "checkpoint");
  uint8_t h[10] = {};
  int64_t n = std::min<int64_t>(r.size(), 10);
  r.read_at(0, h, n);
  if (n >= 8 && std::memcmp(h, kNativeMagic, 8) == 0) return Format::Native;
  if (n >= 4 && h[0] == 'P' && h[1] == 'K' && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6)))
    return Format::PtZip;
  if (n >= 2 && h[0] == 0x80 && h[1] >= 2 && h[1] <= 5) return Format::PtLegacy;
  if (r.size() >= 262 && r.read_string(257, 5) == "ustar") return Format::PtLegacy;
  // safetensors: a plausible header length followed by '{' (a length beyond
  // the file still counts, so that a truncated file gets the loader's
  // "truncated" message rather than "unknown format").
  if (n >= 9 && h[8] == '{' && detail::load_le64(h) <= 100'000'000u) return Format::Safetensors;
  return Format::Unknown;
}

Checkpoint load_checkpoint(const std::string& path) {
  Checkpoint c;
  c.format = detect_format(path);
  switch (c.format) {
    case Format::Safetensors: {
      SafetensorsFile f = load_safetensors(path);
      c.entries = std::move(f.tensors);
      c.metadata = std::move(f.metadata);
      break;
    }
    case Format::Native: c.entries = load_native(path); break;
    case Format::PtZip: c.entries = load_pt_state_dict(path); break;
    case Format::PtLegacy: (void)load_pt(path); break;  // raises with the re-save hint
    case Format::Unknown:
      FT_ERROR("checkpoint: '", path, "' is not a recognised checkpoint: expected safetensors, a FrankenTorch native "
               "checkpoint (magic FTORCHCK) or a torch.save zip archive");
  }
  return c;
}

}  // namespace ft::serialize
