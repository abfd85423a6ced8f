// Command-line JSONata evaluator ("stepline jsonata ...").
//
//   jsonata [--aws] EXPR | -f FILE    evaluate on JSON read from stdin
//   --jsonata 2.0.6|2.2               language version (default 2.2, or 2.0.6
//                                     with --aws, as in state machines)
//   jsonata --repeat N EXPR < input   time N evaluations (benchmark)
//   jsonata --batch [--aws]           newline-delimited requests (the protocol
//                                     of shared/tools/run_jsonata_suite.py)
//
// Thread-safety: runs on the calling thread; reads stdin, writes stdout.
#pragma once

namespace stepline::jsonata {

// argv[0] is "jsonata". Returns the process exit status.
int RunJsonataCli(int argc, char** argv);

}  // namespace stepline::jsonata
