#!/usr/bin/env node
// jsonata_bench.js: the jsonata-js side of bench/jsonata_bench.py. Times the
// reference implementation on the expressions of a case file
// (bench/jsonata_heavy.json) exactly as bench/jsonata_bench.cpp does: compile
// once, one untimed evaluation (result printed for cross-checking), then
// repeated evaluations until MIN_RUNS runs and --min-ms milliseconds; "ms" is
// the median run. Prints one JSON object on stdout.
//
//   node jsonata_bench.js CASES.json [--min-ms N] [--filter TEXT]
//
// The jsonata module comes from $JSONATA_MODULE, else normal resolution.
'use strict';

const fs = require('fs');
const jsonata = require(process.env.JSONATA_MODULE || 'jsonata');

const MIN_RUNS = 5;
const MAX_RUNS = 10000;

function parseArgs(argv) {
    const options = { casesPath: null, minMs: 500, filter: '' };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--min-ms') options.minMs = Number(argv[++i]);
        else if (argv[i] === '--filter') options.filter = argv[++i];
        else options.casesPath = argv[i];
    }
    return options;
}

function median(runs) {
    const sorted = runs.slice().sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function timeCase(spec, input, minMs) {
    const expr = jsonata(spec.expr);
    const result = await expr.evaluate(input);
    const runs = [];
    let total = 0;
    while (runs.length < MIN_RUNS || (total < minMs && runs.length < MAX_RUNS)) {
        const start = process.hrtime.bigint();
        await expr.evaluate(input);
        runs.push(Number(process.hrtime.bigint() - start) / 1e6);
        total += runs[runs.length - 1];
    }
    const out = { name: spec.name, ms: median(runs), runs: runs.length };
    if (result !== undefined) out.result = result;
    return out;
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const cases = JSON.parse(fs.readFileSync(options.casesPath, 'utf8'));
    // Round-trip through JSON: the input is plain data, as a caller would pass it.
    const input = JSON.parse(JSON.stringify(await jsonata(cases.input).evaluate(undefined)));
    const out = { engine: 'jsonata-js ' + require((process.env.JSONATA_MODULE || 'jsonata') + '/package.json').version, cases: [] };
    for (const spec of cases.cases) {
        if (!spec.name.includes(options.filter)) continue;
        out.cases.push(await timeCase(spec, input, options.minMs));
    }
    process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
    process.stderr.write('jsonata_bench.js: ' + (e.code || '') + ' ' + e.message + '\n');
    process.exit(1);
});
