#!/usr/bin/env python3
"""JSONata benchmark: Stepline's evaluator beside the reference jsonata-js.

(a) the whole reference suite, every case as one request line, through one
    batch process of each evaluator (`stepline-jsonata jsonata --batch` and
    shared/tools/jsonata_js_adapter.js --batch); wall time, best of --runs;
(b) the heavy expressions of bench/jsonata_heavy.json over a 10k-element
    array, timed in-process by jsonata_bench (C++) and jsonata_bench.js;
    both results are cross-checked with the suite runner's comparison.

Prints a table: expression, stepline ms, jsonata-js ms, ratio (js / stepline).
The jsonata-js column is skipped when node or the jsonata module is missing.
Figures only: nothing here asserts a timing. Run it with scripts/bench-jsonata.sh.
"""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_TOOLS = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'tools'))


def load_runner(tools):
    """The suite runner as a module (its suite loading, request format and comparison)."""
    path = os.path.join(tools, 'run_jsonata_suite.py')
    spec = importlib.util.spec_from_file_location('run_jsonata_suite', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed_batch(cmd, requests_path, env):
    """Seconds one batch process takes to answer every request; and its answer count."""
    with open(requests_path, 'rb') as stdin:
        start = time.perf_counter()
        out = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env, check=False).stdout
        return time.perf_counter() - start, out.count(b'\n')


def best_batch_ms(cmd, requests_path, runs, env):
    best, answers = None, 0
    for _ in range(runs):
        seconds, answers = timed_batch(cmd, requests_path, env)
        best = seconds if best is None else min(best, seconds)
    return best * 1000, answers


def suite_rows(args, runner, js_env):
    cases, _ = runner.load_suite(args.suite or runner.DEFAULT_SUITE)
    with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False) as f:
        for case in cases:
            f.write(runner.make_request(case) + '\n')
        requests = f.name
    empty = os.devnull
    stepline = [args.stepline, 'jsonata', '--batch']
    js = ['node', os.path.join(args.tools, 'jsonata_js_adapter.js'), '--batch'] if js_env else None
    rows = []
    for label, path in (('suite: %d cases, one batch process' % len(cases), requests),
                        ('  of which process start (empty batch)', empty)):
        sl_ms, sl_answers = best_batch_ms(stepline, path, args.runs, None)
        js_ms = best_batch_ms(js, path, args.runs, js_env)[0] if js else None
        if path == requests and sl_answers != len(cases):
            label += ' (stepline answered %d)' % sl_answers
        rows.append((label, sl_ms, js_ms, ''))
    os.unlink(requests)
    return rows


def run_json(cmd, env):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, check=True).stdout
    return {c['name']: c for c in json.loads(out)['cases']}


def heavy_rows(args, runner, js_env):
    common = [args.cases, '--min-ms', str(args.min_ms)] + (['--filter', args.filter] if args.filter else [])
    stepline = run_json([args.jsonata_bench] + common, None)
    js = run_json(['node', os.path.join(HERE, 'jsonata_bench.js')] + common, js_env) if js_env else {}
    rows = []
    for name, sl in stepline.items():
        other = js.get(name)
        note = ''
        if other is not None and not runner.deep_equal(sl.get('result'), other.get('result')):
            note = 'RESULTS DIFFER'
        rows.append((name, sl['ms'], other['ms'] if other else None, note))
    return rows


def print_table(title, rows):
    width = max(len(r[0]) for r in rows)
    print('\n' + title)
    print('%-*s %12s %14s %8s' % (width, 'expression', 'stepline ms', 'jsonata-js ms', 'ratio'))
    for name, sl_ms, js_ms, note in rows:
        js_text = '%14.2f' % js_ms if js_ms is not None else '%14s' % '-'
        ratio = '%7.1fx' % (js_ms / sl_ms) if js_ms is not None and sl_ms > 0 else '%8s' % '-'
        print('%-*s %12.2f %s %s %s' % (width, name, sl_ms, js_text, ratio, note))


def js_environment(args):
    """The environment for node with the jsonata module, or None to skip the JS column."""
    if args.no_js or not shutil.which('node'):
        return None
    env = dict(os.environ)
    if args.jsonata_module:
        env['JSONATA_MODULE'] = args.jsonata_module
    probe = subprocess.run(['node', '-e', 'require(process.env.JSONATA_MODULE || "jsonata")'],
                           env=env, stderr=subprocess.DEVNULL, check=False)
    return env if probe.returncode == 0 else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--stepline', required=True, help='the stepline-jsonata (or stepline) binary')
    p.add_argument('--jsonata-bench', required=True, help='the jsonata_bench binary')
    p.add_argument('--jsonata-module', help='path of the jsonata npm module (node_modules/jsonata)')
    p.add_argument('--tools', default=DEFAULT_TOOLS, help='folder of run_jsonata_suite.py and the JS adapter')
    p.add_argument('--suite', help='test-suite folder (default: the runner\'s)')
    p.add_argument('--cases', default=os.path.join(HERE, 'jsonata_heavy.json'))
    p.add_argument('--runs', type=int, default=3, help='suite runs per evaluator (best is shown)')
    p.add_argument('--min-ms', type=float, default=500, help='time spent per heavy expression')
    p.add_argument('--filter', help='only heavy expressions whose name contains this')
    p.add_argument('--no-js', action='store_true', help='skip the jsonata-js column')
    p.add_argument('--skip-suite', action='store_true')
    args = p.parse_args()
    runner = load_runner(args.tools)
    js_env = js_environment(args)
    if js_env is None:
        print('jsonata-js column skipped (no node, or no jsonata module)', file=sys.stderr)
    if not args.skip_suite:
        print_table('(a) reference suite, wall time, best of %d' % args.runs,
                    suite_rows(args, runner, js_env))
    print_table('(b) heavy expressions over 10k items, median per evaluation',
                heavy_rows(args, runner, js_env))
    print('\nratio = jsonata-js ms / stepline ms (above 1: stepline is faster)')


if __name__ == '__main__':
    main()
