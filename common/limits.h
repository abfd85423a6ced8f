// Named limits. Every limit Stepline enforces lives here, with where AWS
// documents it. Exceeding one yields a clean error, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace stepline::limits {

// --- AWS Step Functions quotas (service-quotas page / API model) ---
inline constexpr size_t kMaxPayloadBytes = 262144;           // state/execution input & output
inline constexpr size_t kMaxDefinitionBytes = 1048576;       // definition length
inline constexpr size_t kMaxRequestBytes = 1048576 + 65536;  // API request size (1 MiB) + slack
inline constexpr int kMaxHistoryEvents = 25000;              // per standard execution
inline constexpr int kMaxRedriveHistoryEvents = 24999;       // a redrive needs fewer events
inline constexpr int64_t kRedriveWindowMillis = 14LL * 24 * 3600 * 1000;  // 14 days after close
inline constexpr int64_t kRedriveTokenMillis = 15LL * 60 * 1000;          // clientToken idempotency
inline constexpr size_t kMaxRedriveTokens = 10;        // last tokens answered idempotently
inline constexpr size_t kMaxOpenExecutions = 1000000;  // RUNNING per engine (account/region)
inline constexpr size_t kMaxNameLength = 80;           // SM, execution, activity names
inline constexpr size_t kMaxStateNameLength = 80;
inline constexpr size_t kMaxArnLength = 256;
inline constexpr size_t kMaxLongArnLength = 2000;
inline constexpr size_t kMaxErrorLength = 256;
inline constexpr size_t kMaxCauseLength = 32768;
inline constexpr size_t kMaxTaskTokenLength = 2048;
inline constexpr int kMaxResultsPerPage = 1000;
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxTagsPerResource = 50;
inline constexpr int kMaxIntrinsicNesting = 10;
inline constexpr int kMaxArrayRangeElements = 1000;
inline constexpr int64_t kMaxWaitSecondsStandard = 31536000;  // one year
inline constexpr int64_t kMaxWaitSecondsExpress = 300;        // five minutes
inline constexpr int kMaxVersionsPerStateMachine = 1000;
inline constexpr int kMaxAliasesPerStateMachine = 100;
inline constexpr int64_t kMaxItemReaderItems = 100000000;  // ItemReader ReaderConfig.MaxItems

// --- Stepline's own limits ---
inline constexpr int kMaxJsonDepth = 512;                 // nesting accepted by ParseJson
inline constexpr size_t kMaxHttpBodyBytes = 4 * 1048576;  // request body accepted by the server
inline constexpr int kMaxExpressionDepth = 500;  // JSONPath/intrinsic/JSONata parse nesting
inline constexpr size_t kMaxInventoryFileBytes = 256 * 1048576;  // one S3 Inventory file, unzipped

}  // namespace stepline::limits
