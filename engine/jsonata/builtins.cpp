// Built-in registry: assembles the families into two lookup tables, the
// standard JSONata set and the AWS Step Functions set.
#include <unordered_map>

#include "engine/jsonata/builtins.h"

namespace stepline::jsonata {

namespace {

using Table = std::unordered_map<std::string, BuiltinDef>;

Table* BuildTable(bool aws) {
  BuiltinList list;
  AddStringFunctions(list);
  AddNumericFunctions(list);
  AddCollectionFunctions(list);
  AddFormatFunctions(list);
  AddDateFunctions(list);
  BuiltinList extra;
  if (aws) AddAwsFunctions(extra);
  auto* table = new Table();
  for (auto* src : {&list, &extra}) {
    for (auto& def : *src) {
      if (aws && def.name == "eval") continue;
      (*table)[def.name] = def;
    }
  }
  for (auto& [name, def] : *table) {
    def.signature = ParseSignature(def.signature_text, 0);
    auto fn = std::make_shared<FunctionNode>();
    fn->type = FunctionNode::Type::kBuiltin;
    fn->builtin = &def;
    fn->arity = static_cast<int>(def.signature->params.size());
    def.function = Value::Function(fn);
  }
  return table;
}

}  // namespace

const BuiltinDef* FindBuiltin(std::string_view name, bool aws) {
  static Table* standard = BuildTable(false);
  static Table* aws_table = BuildTable(true);
  Table* t = aws ? aws_table : standard;
  auto it = t->find(std::string(name));
  return it == t->end() ? nullptr : &it->second;
}

}  // namespace stepline::jsonata
