#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/) from the shared
test corpora: JSONata reference-suite expressions (with their datasets) for
fuzz_jsonata, the ASL definitions of the AWS-recorded cases for fuzz_asl, and
the paths, intrinsic calls and payload templates found in those definitions
for fuzz_jsonpath. fuzz_api gets request sequences: every action with every
member filled from botocore's service model (as tests/e2e/test_hostile.py
builds them) after a prelude that creates what they name, and each AWS case
created and started; fuzz_http gets the raw requests of tests/e2e/test_http.py
and those API sequences as pipelined POSTs.

    scripts/fuzz_seeds.py --shared ../shared --out build/tests/fuzz/seeds

One file per seed, named by a hash of its content; NUL separates an
expression from the JSON document it runs on (tests/fuzz/fuzz_support.h).
"""

import argparse
import glob
import hashlib
import json
import os
import re


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


# --- fuzz_api and fuzz_http: API requests ---------------------------------

ACCOUNT_ARN = "arn:aws:states:us-east-1:123456789012:"
SM_ARN = ACCOUNT_ARN + "stateMachine:m"
EXEC_ARN = ACCOUNT_ARN + "execution:m:e"
ACTIVITY_ARN = ACCOUNT_ARN + "activity:a"
PASS = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
ROLE = "arn:aws:iam::123456789012:role/r"


def fuzz_api_actions(root):
    """kActions of tests/fuzz/fuzz_api.cpp, in order (an action byte indexes it)."""
    text = open(os.path.join(root, "tests", "fuzz", "fuzz_api.cpp"), encoding="utf-8").read()
    block = re.search(r"kActions\[\] = \{(.*?)\};", text, re.S).group(1)
    return re.findall(r'"([A-Za-z]+)"', block)


def arn_for(member):
    """A value for an ARN member that names what the prelude created."""
    m = member.lower()
    if "execution" in m:
        return EXEC_ARN
    if "activity" in m:
        return ACTIVITY_ARN
    if "maprun" in m:
        return ACCOUNT_ARN + "mapRun:m/run:1"
    if "alias" in m:
        return SM_ARN + ":live"
    if "version" in m:
        return SM_ARN + ":1"
    return SM_ARN


def plausible(shapes, name, member="", depth=0):
    """A value of the member's type, every member filled (as tests/e2e/test_hostile.py
    builds them), naming the resources the prelude created."""
    shape = shapes[name]
    kind = shape["type"]
    if kind == "string":
        if "arn" in member.lower() and "role" not in member.lower():
            return arn_for(member)
        if "role" in member.lower():
            return ROLE
        if member == "definition":
            return PASS
        if member in ("input", "output"):
            return '{"a":1}'
        if "enum" in shape:
            return shape["enum"][0]
        return "name-1"
    if kind in ("integer", "long"):
        return 1
    if kind == "float" or kind == "double":
        return 0.5
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return 0
    if depth > 3:
        return {} if kind in ("structure", "map") else []
    if kind == "list":
        return [plausible(shapes, shape["member"]["shape"], member, depth + 1)]
    if kind == "map":
        return {"k": plausible(shapes, shape["value"]["shape"], member, depth + 1)}
    if kind == "structure":
        return {m: plausible(shapes, spec["shape"], m, depth + 1)
                for m, spec in shape.get("members", {}).items()}
    return "x"


def required_only(shapes, name):
    shape = shapes[name]
    full = plausible(shapes, name)
    return {m: v for m, v in full.items() if m in shape.get("required", [])}


def service_shapes():
    try:
        import botocore.loaders
    except ImportError:
        return None
    model = botocore.loaders.Loader().load_service_model("stepfunctions", "service-2")
    return model


def prelude():
    return [
        ("CreateStateMachine", {"name": "m", "definition": PASS, "roleArn": ROLE}),
        ("CreateActivity", {"name": "a"}),
        ("StartExecution", {"stateMachineArn": SM_ARN, "name": "e", "input": "{}"}),
    ]


def api_requests(shared):
    """Lists of (action, body) that make up one input each."""
    model = service_shapes()
    if model is not None:
        shapes = model["shapes"]
        for action, op in sorted(model["operations"].items()):
            if "input" not in op:
                continue
            name = op["input"]["shape"]
            for body in (plausible(shapes, name), required_only(shapes, name), {}):
                yield prelude() + [(action, body)]
    for case in localstack_cases(shared):
        if case.get("needs_external_service"):
            continue
        definition = case.get("definition_string") or json.dumps(case.get("definition"))
        express = case.get("state_machine_type") == "EXPRESS"
        start = "StartSyncExecution" if express else "StartExecution"
        create = {"name": "m", "definition": definition, "roleArn": ROLE}
        if express:
            create["type"] = "EXPRESS"
        doc = case.get("input_string") or json.dumps(case.get("input", {}))
        calls = [("CreateStateMachine", create),
                 (start, {"stateMachineArn": SM_ARN, "name": "e", "input": doc})]
        if not express:
            calls += [("DescribeExecution", {"executionArn": EXEC_ARN}),
                      ("GetExecutionHistory", {"executionArn": EXEC_ARN})]
        yield calls


def api_seed(actions, calls):
    index = {a: i for i, a in enumerate(actions)}
    records = [bytes([index[a]]) + json.dumps(b).encode("utf-8") for a, b in calls if a in index]
    return b"\0".join(records)


def http_post(target, body):
    """A POST / as the SDKs send it (tests/e2e/test_http.py post())."""
    head = ("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: %s\r\n"
            "Content-Type: application/x-amz-json-1.0\r\n"
            "Authorization: AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/states/"
            "aws4_request, SignedHeaders=host, Signature=00\r\n"
            "Content-Length: %d\r\n\r\n" % (target, len(body)))
    return head.encode() + body


# Requests of tests/e2e/test_http.py: health, other methods and paths,
# 100-continue, chunked, HTTP/1.0, malformed, several on one connection.
HTTP_SEEDS = [
    b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /?q=1 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /health HTTP/1.0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nX-Amz-Target: "
    b"AWSStepFunctions.ListStateMachines\r\nContent-Length: 2\r\n\r\n{}",
    b"POST /x HTTP/1.1\r\nHost: sync-x\r\nTransfer-Encoding: chunked\r\nX-Amz-Target: "
    b"AWSStepFunctions.ListActivities\r\n\r\n1\r\n{\r\n1;ext=1\r\n}\r\n0\r\nTrailer: t\r\n\r\n",
    b"POST / HTTP/1.1\r\nx-amz-target: Nope.Action\r\ncontent-length: 0\r\n\r\n",
]


def http_seeds(api_inputs):
    yield from HTTP_SEEDS
    for calls in api_inputs:
        yield b"".join(http_post("AWSStepFunctions." + a, json.dumps(b).encode("utf-8"))
                       for a, b in calls)


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
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    actions = fuzz_api_actions(root)
    api_inputs = list(api_requests(args.shared))
    for calls in api_inputs:
        write(os.path.join(args.out, "fuzz_api"), api_seed(actions, calls))
        counts["fuzz_api"] = counts.get("fuzz_api", 0) + 1
    for data in http_seeds(api_inputs):
        write(os.path.join(args.out, "fuzz_http"), data)
        counts["fuzz_http"] = counts.get("fuzz_http", 0) + 1
    for target, n in sorted(counts.items()):
        print("%s: %d seeds" % (target, n))
    return 0 if len(counts) == 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
