"""Crash recovery: a mixed workload survives SIGKILL at random moments.

Runs the same workload twice on fresh servers: once undisturbed (the
reference), once while the server is killed with SIGKILL several times at
random moments and started again on the same SQLite file. Executions are
parked in Waits, mid-Map, mid-Parallel, in Retry back-offs, in Choice loops,
waiting on a task token (a local handler hands it to a worker thread, which
answers it later with SendTaskSuccess) and waiting on an activity (a worker
thread polls GetActivityTask) when the kills land. Afterwards every execution of the crashed run must
have the status, output and history (event types, ids and previousEventIds)
of its reference twin: nothing lost, nothing run twice. Where iterations or
branches run concurrently (Map, Parallel), timers that fall due together may
fire in either order, so there the history must hold the same events (types
with their counts) and be well-formed (ids 1..n, each previousEventId earlier).

    python3 tests/e2e/test_crash_recovery.py --binary build/server/stepline \
        [--per-machine 30] [--kills 4] [--seed N]
"""

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer  # noqa: E402

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"


def pass_chain():
    return {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"text.$": "States.Format('run {}', $.i)",
                                             "a.$": "$.a"}, "Next": "C"},
        "C": {"Type": "Pass", "End": True}}}


def wait_then_pass():
    return {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 2, "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"done.$": "$.i"}, "End": True}}}


def map_of_waits():
    return {"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 3,
              "ItemProcessor": {"StartAt": "W", "States": {
                  "W": {"Type": "Wait", "Seconds": 1, "Next": "Inc"},
                  "Inc": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.v, 1)"},
                          "End": True}}},
              "End": True}}}


def parallel_waits():
    return {"StartAt": "Par", "States": {
        "Par": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "W1", "States": {
                "W1": {"Type": "Wait", "Seconds": 1, "Next": "A"},
                "A": {"Type": "Pass", "Result": "a", "End": True}}},
            {"StartAt": "W2", "States": {
                "W2": {"Type": "Wait", "Seconds": 2, "Next": "B"},
                "B": {"Type": "Pass", "Result": "b", "End": True}}}]}}}


def choice_loop():
    return {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"count": 0}, "Next": "Loop"},
        "Loop": {"Type": "Choice", "Choices": [
            {"Variable": "$count", "NumericLessThan": 3, "Next": "Tick"}], "Default": "Done"},
        "Tick": {"Type": "Wait", "Seconds": 1, "Assign": {"count.$": "States.MathAdd($count, 1)"},
                 "Next": "Loop"},
        "Done": {"Type": "Pass", "Parameters": {"count.$": "$count", "i.$": "$.i"},
                 "End": True}}}


def retried_task():
    return {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "flaky", "Payload.$": "$"},
                 "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1,
                            "MaxAttempts": 3, "BackoffRate": 1.0}],
                 "ResultSelector": {"ok.$": "$.Payload.ok"}, "End": True}}}


def callback_task():
    return {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "token_sink",
                               "Payload": {"token.$": "$$.Task.Token", "i.$": "$.i"}},
                "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"answer.$": "$"}, "End": True}}}


ACTIVITY = f"arn:aws:states:us-east-1:{ACCOUNT}:activity:crash-work"


def activity_task():
    return {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": 60, "End": True}}}


MACHINES = {
    "pass_chain": pass_chain,
    "wait_then_pass": wait_then_pass,
    "map_of_waits": map_of_waits,
    "parallel_waits": parallel_waits,
    "choice_loop": choice_loop,
    "retried_task": retried_task,
    "callback_task": callback_task,
    "activity_task": activity_task,
}

# The local handler behind FunctionName token_sink: records the task token
# (a re-dispatch after a crash records it again) and answers at once; the
# task then waits for SendTaskSuccess.
TOKEN_SINK = """import json, os, sys
event = json.load(sys.stdin)
with open(os.environ["CRASH_TOKENS"], "a") as f:
    f.write(json.dumps(event) + "\\n")
print("{}")
"""


def answer_for(i):
    return {"i": i, "answered": True}


class Workers:
    """Answers task tokens (from the handler's file) and activity tasks while
    the server comes and goes; stale tokens after a re-dispatch are ignored."""

    def __init__(self, server, tokens_path, rng):
        self.server, self.tokens_path = server, tokens_path
        self.delays = [rng.uniform(0.1, 1.0) for _ in range(64)]
        self.stop = threading.Event()
        # Daemons: the activity poller may sit in a 60 s GetActivityTask when
        # the run ends; it ends with its server.
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.tokens, self.activity)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.threads[0].join()

    def answer(self, sfn, token, output):
        while not self.stop.is_set():
            try:
                sfn.send_task_success(taskToken=token, output=json.dumps(output))
                return
            except Exception as e:
                text = f"{type(e).__name__} {e}"
                if any(k in text for k in ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken")):
                    return  # answered already (a re-dispatched task's second token)
                time.sleep(0.05)  # the server is down

    def tokens(self):
        sfn, seen, n = client(self.server.endpoint), 0, 0
        while not self.stop.is_set():
            lines = []
            if os.path.exists(self.tokens_path):
                with open(self.tokens_path) as f:
                    lines = f.read().splitlines()
            for line in lines[seen:]:
                event = json.loads(line)
                time.sleep(self.delays[n % len(self.delays)])  # kills land meanwhile
                n += 1
                self.answer(sfn, event["token"], answer_for(event["i"]))
            seen = len(lines)
            time.sleep(0.05)

    def activity(self):
        sfn = client(self.server.endpoint)
        poller = client(self.server.endpoint, read_timeout=70)
        while not self.stop.is_set():
            try:
                task = poller.get_activity_task(activityArn=ACTIVITY, workerName="crash-worker")
            except Exception:
                time.sleep(0.05)  # the server is down
                continue
            if not task.get("taskToken"):
                continue
            self.answer(sfn, task["taskToken"], answer_for(json.loads(task["input"])["i"]))

MOCKS = {
    "StateMachines": {"retried_task": {"TestCases": {"Flaky": {"Call": "FlakyCall"}}}},
    "MockedResponses": {"FlakyCall": {
        "0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "try again"}},
        "2": {"Return": {"StatusCode": 200, "Payload": {"ok": True}}}}},
}


def input_for(machine, i):
    if machine == "map_of_waits":
        return {"i": i, "items": [{"v": k} for k in range(i % 5 + 1)]}
    return {"i": i}


def client(endpoint, read_timeout=10):
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 0}, connect_timeout=2,
                                      read_timeout=read_timeout))


def with_retries(fn, deadline_s=60):
    """Calls fn until the server answers (it may be down between a kill and a restart)."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            return fn()
        except Exception as e:  # connection refused/reset while the server is down
            name = type(e).__name__
            if "ExecutionAlreadyExists" in name or "ExecutionAlreadyExists" in str(e):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Workload:
    def __init__(self, server, per_machine):
        self.server = server
        self.per_machine = per_machine
        self.arns = {}  # (machine, i) -> execution arn

    def sfn(self):
        return client(self.server.endpoint)

    def create(self):
        sfn = self.sfn()
        with_retries(lambda: sfn.create_activity(name="crash-work"))
        for name, make in MACHINES.items():
            with_retries(lambda: sfn.create_state_machine(
                name=name, definition=json.dumps(make()), roleArn=ROLE))

    def start_all(self):
        sfn = self.sfn()
        for i in range(self.per_machine):
            for name in MACHINES:
                sm = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:{name}"
                if name == "retried_task":
                    sm += "#Flaky"
                exec_name = f"{name}-{i}"
                body = json.dumps(input_for(name, i))
                try:
                    arn = with_retries(lambda: sfn.start_execution(
                        stateMachineArn=sm, name=exec_name, input=body))["executionArn"]
                except Exception as e:
                    # A start answered just before a kill, retried after it: the
                    # first one is durable, so the name is taken (with this input).
                    if "ExecutionAlreadyExists" not in str(e):
                        raise
                    arn = f"arn:aws:states:us-east-1:{ACCOUNT}:execution:{name}:{exec_name}"
                self.arns[(name, i)] = arn

    def wait_all(self, timeout_s=120):
        sfn = self.sfn()
        deadline = time.monotonic() + timeout_s
        pending = dict(self.arns)
        results = {}
        while pending:
            for key, arn in list(pending.items()):
                d = with_retries(lambda: sfn.describe_execution(executionArn=arn))
                if d["status"] != "RUNNING":
                    results[key] = d
                    del pending[key]
            if pending:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{len(pending)} executions still RUNNING, e.g. "
                                         f"{sorted(pending)[:3]}")
                time.sleep(0.2)
        return results

    def histories(self):
        sfn = self.sfn()
        out = {}
        for key, arn in self.arns.items():
            events, token = [], None
            while True:
                kw = {"executionArn": arn, "maxResults": 1000}
                if token:
                    kw["nextToken"] = token
                page = with_retries(lambda: sfn.get_execution_history(**kw))
                events += page["events"]
                token = page.get("nextToken")
                if not token:
                    break
            out[key] = [(e["id"], e.get("previousEventId"), e["type"]) for e in events]
        return out


def run(binary, per_machine, kills, rng, files):
    tokens = os.path.join(files, f"tokens-{kills}.jsonl")
    os.environ["CRASH_TOKENS"] = tokens  # inherited by the server, then by the handler
    server = SteplineServer(binary, args=["--mock-config", os.path.join(files, "mocks.json"),
                                          "--handlers", os.path.join(files, "handlers.json"),
                                          "--log-level", "warn"])
    server.start()
    try:
        work = Workload(server, per_machine)
        work.create()
        workers = Workers(server, tokens, rng).__enter__()
        killer = None
        killed = []
        if kills:
            def kill_loop():
                for _ in range(kills):
                    time.sleep(rng.uniform(0.2, 1.5))
                    server.kill()
                    killed.append(time.monotonic())
                    server.start()
            killer = threading.Thread(target=kill_loop)
            killer.start()
        work.start_all()
        if killer:
            killer.join()
        try:
            results = work.wait_all()
        finally:
            workers.__exit__(None, None, None)
        return results, work.histories(), len(killed)
    finally:
        server.stop()
        server.__exit__(None, None, None)


CONCURRENT = {"map_of_waits", "parallel_waits"}


def history_problem(machine, got, want):
    if machine not in CONCURRENT:
        return None if got == want else f"history {got} != reference {want}"
    if [e[0] for e in got] != list(range(1, len(got) + 1)):
        return f"event ids not 1..n: {got}"
    if any(not (0 <= prev < eid) for eid, prev, _ in got):
        return f"a previousEventId does not point back: {got}"
    if sorted(t for _, _, t in got) != sorted(t for _, _, t in want):
        return f"events {got} differ from the reference's {want}"
    return None


def summary(desc):
    return {k: desc.get(k) for k in ("status", "output", "error", "cause")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--per-machine", type=int, default=50)
    p.add_argument("--kills", type=int, default=4)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="stepline-crash-")
    with open(os.path.join(tmp, "mocks.json"), "w") as f:
        json.dump(MOCKS, f)
    with open(os.path.join(tmp, "token_sink.py"), "w") as f:
        f.write(TOKEN_SINK)
    with open(os.path.join(tmp, "handlers.json"), "w") as f:
        json.dump({"Handlers": {"token_sink": {
            "Command": [sys.executable, os.path.join(tmp, "token_sink.py")]}}}, f)

    t0 = time.monotonic()
    reference, ref_hist, _ = run(args.binary, args.per_machine, 0, rng, tmp)
    t1 = time.monotonic()
    crashed, crash_hist, kills = run(args.binary, args.per_machine, args.kills, rng, tmp)
    t2 = time.monotonic()

    failures = []
    for key in sorted(reference):
        want, got = summary(reference[key]), summary(crashed[key])
        if want != got:
            failures.append(f"{key}: outcome {got} != reference {want}")
        else:
            problem = history_problem(key[0], crash_hist[key], ref_hist[key])
            if problem:
                failures.append(f"{key}: {problem}")
    for key, d in reference.items():
        if d["status"] != "SUCCEEDED":
            failures.append(f"{key}: reference run ended {d['status']} ({d.get('cause')})")
    n = len(reference)
    print(f"seed {seed}: {n} executions, reference run {t1 - t0:.1f} s, "
          f"crashed run {t2 - t1:.1f} s with {kills} SIGKILLs")
    for f in failures[:20]:
        print("FAIL", f)
    print(f"{n - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
