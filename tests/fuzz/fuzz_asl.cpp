// libFuzzer target: the ASL definition parser and validator, as
// CreateStateMachine and ValidateStateMachineDefinition run them, for
// STANDARD and EXPRESS machines. Any input must give a model or diagnostics.
#include <cstddef>
#include <cstdint>

#include "engine/asl/parser.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = stepline::fuzz::Text(data, size);
  for (bool express : {false, true}) {
    stepline::asl::ParseOptions options;
    options.express = express;
    auto machine = stepline::asl::ParseDefinition(text, options);
    auto diagnostics = stepline::asl::ValidateDefinition(text, options);
    // A definition CreateStateMachine accepts has no ERROR diagnostics.
    if (machine.ok()) {
      for (const auto& d : diagnostics) {
        if (d.severity == "ERROR") __builtin_trap();
      }
    }
  }
  return 0;
}
