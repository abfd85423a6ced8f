// Temporary: families still being written.
#include "engine/jsonata/builtins.h"

namespace stepline::jsonata {
void AddFormatFunctions(BuiltinList&) {}
void AddDateFunctions(BuiltinList&) {}
void AddAwsFunctions(BuiltinList&) {}
}  // namespace stepline::jsonata
