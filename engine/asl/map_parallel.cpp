// Parallel and Map: the state types that run sub-workflows.
#include "common/limits.h"
#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

constexpr size_t kMaxLabelLength = 40;

void ReadProcessorConfig(const FieldReader& processor, ParseContext& ctx, MapSpec& map) {
  const Json* config = processor.Object("ProcessorConfig");
  if (!config) return;
  FieldReader in(*config, processor.At("ProcessorConfig"), ctx);
  in.RejectUnknown({"Mode", "ExecutionType"});
  if (auto mode = in.String("Mode")) {
    if (*mode == "DISTRIBUTED") {
      map.distributed = true;
      if (ctx.options->express) {
        ctx.Schema(
            "The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' "
            "state machines",
            in.At("Mode"));
      }
    } else if (*mode != "INLINE") {
      ctx.Schema("Value should be one of the following: [INLINE, DISTRIBUTED]", in.At("Mode"));
    }
  }
  if (auto type = in.String("ExecutionType")) {
    if (*type != "STANDARD" && *type != "EXPRESS") {
      ctx.Schema("Value should be one of the following: [STANDARD, EXPRESS]",
                 in.At("ExecutionType"));
    } else {
      map.execution_type = *type;
    }
  }
}

void ReadProcessor(const FieldReader& in, ParseContext& ctx, MapSpec& map) {
  bool has_processor = in.Has("ItemProcessor");
  bool has_iterator = in.Has("Iterator");
  if (has_processor && has_iterator) {
    ctx.Schema("Only one of the following fields can be specified: [ItemProcessor, Iterator]",
               in.location());
  } else if (!has_processor && !has_iterator) {
    ctx.Schema("These fields are required: [ItemProcessor]", in.location());
    return;
  }
  const char* key = has_processor ? "ItemProcessor" : "Iterator";
  const Json* object = in.Object(key);
  if (!object) return;
  ReadProcessorConfig(FieldReader(*object, in.At(key), ctx), ctx, map);
  map.processor = ParseProgram(*object, in.At(key), ctx);
}

void RejectInlineOnly(const FieldReader& in, const MapSpec& map, ParseContext& ctx) {
  if (map.distributed) return;
  for (const char* key : {"ItemReader", "ItemBatcher", "ResultWriter", "Label"}) {
    if (in.Has(key)) ctx.Schema("Field '" + std::string(key) + "' is not supported", in.location());
  }
}

void ReadItemReader(const FieldReader& in, QueryLanguage language, ParseContext& ctx,
                    MapSpec& map) {
  const Json* object = in.Object("ItemReader");
  if (!object) return;
  FieldReader reader(*object, in.At("ItemReader"), ctx);
  reader.RejectUnknown({"Resource", "Parameters", "Arguments", "ReaderConfig"});
  reader.Require({"Resource"});
  ItemReaderSpec spec;
  if (auto resource = reader.String("Resource")) spec.resource = *resource;
  if (const Json* params = reader.Get("Parameters")) {
    spec.parameters = *params;
    if (language == QueryLanguage::kJsonPath) {
      spec.parameters_jsonpath = CompilePayload(*params, reader.At("Parameters"), ctx);
    }
  }
  if (const Json* args = reader.Get("Arguments")) {
    spec.parameters = *args;
    if (language == QueryLanguage::kJsonata) {
      spec.arguments_jsonata = CompileJsonata(*args, reader.At("Arguments"), ctx);
    }
  }
  if (const Json* config = reader.Object("ReaderConfig")) {
    spec.reader_config = *config;
    FieldReader cfg(*config, reader.At("ReaderConfig"), ctx);
    spec.max_items = ParseDynamicNumber(
        cfg, "MaxItems", language, 0, static_cast<double>(limits::kMaxItemReaderItems), true, ctx);
  }
  map.item_reader = std::move(spec);
}

void ReadItemBatcher(const FieldReader& in, QueryLanguage language, ParseContext& ctx,
                     MapSpec& map) {
  const Json* object = in.Object("ItemBatcher");
  if (!object) return;
  map.item_batcher = *object;
  FieldReader reader(*object, in.At("ItemBatcher"), ctx);
  ItemBatcherSpec spec;
  spec.max_items_per_batch =
      ParseDynamicNumber(reader, "MaxItemsPerBatch", language, 0, std::nullopt, true, ctx);
  spec.max_input_bytes_per_batch =
      ParseDynamicNumber(reader, "MaxInputBytesPerBatch", language, 0, std::nullopt, true, ctx);
  if (const Json* input = reader.Get("BatchInput")) {
    if (language == QueryLanguage::kJsonPath) {
      spec.batch_input = CompilePayload(*input, reader.At("BatchInput"), ctx);
    } else {
      spec.batch_input_jsonata = CompileJsonata(*input, reader.At("BatchInput"), ctx);
    }
  }
  map.batcher = std::move(spec);
}

void ReadResultWriter(const FieldReader& in, QueryLanguage language, ParseContext& ctx,
                      MapSpec& map) {
  const Json* object = in.Object("ResultWriter");
  if (!object) return;
  map.result_writer = *object;
  FieldReader reader(*object, in.At("ResultWriter"), ctx);
  ResultWriterSpec spec;
  if (auto resource = reader.String("Resource")) spec.resource = *resource;
  if (const Json* config = reader.Object("WriterConfig")) {
    FieldReader cfg(*config, reader.At("WriterConfig"), ctx);
    if (auto t = cfg.String("Transformation")) spec.transformation = *t;
    if (auto t = cfg.String("OutputType")) spec.output_type = *t;
  }
  if (const Json* params = reader.Get("Parameters");
      params && language == QueryLanguage::kJsonPath) {
    spec.parameters = CompilePayload(*params, reader.At("Parameters"), ctx);
  }
  if (const Json* args = reader.Get("Arguments"); args && language == QueryLanguage::kJsonata) {
    spec.arguments = CompileJsonata(*args, reader.At("Arguments"), ctx);
  }
  map.writer = std::move(spec);
}

void ReadItems(const FieldReader& in, QueryLanguage language, ParseContext& ctx, MapSpec& map) {
  if (language == QueryLanguage::kJsonPath) {
    map.items_path = in.NullablePath("ItemsPath", true);
    const Json* selector = in.Get("ItemSelector");
    const Json* legacy = in.Get("Parameters");
    if (selector && legacy) {
      ctx.Schema("Only one of the following fields can be specified: [ItemSelector, Parameters]",
                 in.location());
    } else if (selector || legacy) {
      map.item_selector = CompilePayload(selector ? *selector : *legacy,
                                         in.At(selector ? "ItemSelector" : "Parameters"), ctx);
    }
    return;
  }
  if (const Json* items = in.Get("Items")) {
    if (!items->is_array() && !IsJsonataString(*items)) {
      ctx.Schema("Expected value of type [ARRAY] or a JSONata expression", in.At("Items"));
    } else {
      map.items = CompileJsonata(*items, in.At("Items"), ctx);
    }
  }
  if (const Json* selector = in.Get("ItemSelector")) {
    map.item_selector_jsonata = CompileJsonata(*selector, in.At("ItemSelector"), ctx);
  }
}

void ReadDistributed(const FieldReader& in, QueryLanguage language, ParseContext& ctx,
                     MapSpec& map) {
  if (in.Has("ItemReader")) ReadItemReader(in, language, ctx, map);
  ReadItemBatcher(in, language, ctx, map);
  ReadResultWriter(in, language, ctx, map);
  if (auto label = in.String("Label")) {
    if (label->size() > kMaxLabelLength) {
      ctx.Schema("The field 'Label' must be at most 40 characters long", in.At("Label"));
    }
    map.label = *label;
  }
}

}  // namespace

void ParseParallel(const FieldReader& in, ParseContext& ctx, State& state) {
  ParallelSpec parallel;
  in.Require({"Branches"});
  if (const Json* branches = in.Array("Branches")) {
    if (branches->empty())
      ctx.Schema("The field 'Branches' should be non-empty", in.At("Branches"));
    for (size_t i = 0; i < branches->size(); ++i) {
      std::string location = in.At("Branches[" + std::to_string(i) + "]");
      if (!(*branches)[i].is_object()) {
        ctx.Schema("Expected value of type [OBJECT]", location);
        continue;
      }
      parallel.branches.push_back(ParseProgram((*branches)[i], location, ctx));
    }
  }
  state.spec = std::move(parallel);
}

void ParseMap(const FieldReader& in, ParseContext& ctx, State& state) {
  MapSpec map;
  ReadProcessor(in, ctx, map);
  RejectInlineOnly(in, map, ctx);
  ReadItems(in, state.query_language, ctx, map);
  map.max_concurrency =
      ParseDynamicNumber(in, "MaxConcurrency", state.query_language, 0, std::nullopt, true, ctx);
  // AWS accepts the tolerances on inline Maps too (they never trip there).
  map.tolerated_failure_count = ParseDynamicNumber(
      in, "ToleratedFailureCount", state.query_language, 0, std::nullopt, true, ctx);
  map.tolerated_failure_percentage = ParseDynamicNumber(in, "ToleratedFailurePercentage",
                                                        state.query_language, 0, 100, false, ctx);
  if (map.distributed) ReadDistributed(in, state.query_language, ctx, map);
  state.spec = std::move(map);
}

}  // namespace stepline::asl::internal
