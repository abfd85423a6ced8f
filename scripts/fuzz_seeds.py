#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/) from the shared
test corpora: JSONata reference-suite expressions (with their datasets) for
fuzz_jsonata, the ASL definitions of the AWS-recorded cases for fuzz_asl, and
the paths, intrinsic calls and payload templates found in those definitions
for fuzz_jsonpath.

    scripts/fuzz_seeds.py --shared ../shared --out build/tests/fuzz/seeds

One file per seed, named by a hash of its content; NUL separates an
expression from the JSON document it runs on (tests/fuzz/fuzz_support.h).
"""

import argparse
import glob
import hashlib
import json
import os


def write(out_dir, data):
    os.makedirs(out_dir, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data)


def jsonata_seeds(shared):
    suite = os.path.join(shared, "corpus", "jsonata", "test-suite")
    datasets = {}
    for path in glob.glob(os.path.join(suite, "datasets", "*.json")):
        datasets[os.path.splitext(os.path.basename(path))[0]] = open(path, "rb").read()
    for path in sorted(glob.glob(os.path.join(suite, "groups", "*", "*.json"))):
        try:
            case = json.load(open(path, encoding="utf-8"))
        except ValueError:
            continue
        for c in case if isinstance(case, list) else [case]:
            expr = c.get("expr")
            if not isinstance(expr, str):
                continue
            data = expr.encode("utf-8", "surrogatepass")
            if c.get("dataset") in datasets:
                data += b"\0" + datasets[c["dataset"]]
            elif "data" in c:
                data += b"\0" + json.dumps(c["data"]).encode("utf-8")
            yield data


def walk_strings(value, found):
    """Collects path-like and intrinsic strings and the objects holding `.$` keys."""
    if isinstance(value, dict):
        if any(isinstance(k, str) and k.endswith(".$") for k in value):
            found.append(json.dumps(value))
        for k, v in value.items():
            if isinstance(v, str) and (v.startswith("$") or v.startswith("States.")):
                found.append(v)
            walk_strings(v, found)
    elif isinstance(value, list):
        for v in value:
            walk_strings(v, found)


def localstack_cases(shared):
    for path in sorted(glob.glob(os.path.join(shared, "corpus", "localstack", "cases", "*.json"))):
        try:
            yield json.load(open(path, encoding="utf-8"))
        except ValueError:
            continue


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shared", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    counts = {}
    for data in jsonata_seeds(args.shared):
        write(os.path.join(args.out, "fuzz_jsonata"), data)
        counts["fuzz_jsonata"] = counts.get("fuzz_jsonata", 0) + 1
    for case in localstack_cases(args.shared):
        text = case.get("definition_string") or json.dumps(case.get("definition"))
        write(os.path.join(args.out, "fuzz_asl"), text.encode("utf-8"))
        counts["fuzz_asl"] = counts.get("fuzz_asl", 0) + 1
        found = []
        walk_strings(case.get("definition"), found)
        doc = case.get("input_string") or json.dumps(case.get("input", {}))
        for s in found:
            write(os.path.join(args.out, "fuzz_jsonpath"), s.encode("utf-8") + b"\0" + doc.encode("utf-8"))
            counts["fuzz_jsonpath"] = counts.get("fuzz_jsonpath", 0) + 1
    for target, n in sorted(counts.items()):
        print("%s: %d seeds" % (target, n))
    return 0 if len(counts) == 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
