"""Shared pieces of the example acceptance tests (tests/examples/).

Each test runs one folder of examples/ against the built `stepline` binary:
a server on a free loopback port with a temporary SQLite file (the e2e
harness, tests/e2e/stepline_server.py), optionally a moto_server for the
AWS services the workflow calls, and the example's own definition, inputs,
mock config and handler file.

    python3 tests/examples/test_<name>.py --binary build/server/stepline

Exit status: 0 pass, 1 fail, 77 skipped (CTest SKIP_RETURN_CODE).
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(ROOT, "examples")
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from stepline_server import SteplineServer, free_port, parse_args  # noqa: E402,F401
sys.path.insert(1, os.path.join(ROOT, "tests", "support"))
from moto_server import MotoServer  # noqa: E402,F401

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/StepFunctionsExampleRole"
SKIP = 77


def example_path(example, *parts):
    return os.path.join(EXAMPLES, example, *parts)


def load_json(example, name):
    with open(example_path(example, name)) as f:
        return json.load(f)


def read_text(example, name):
    with open(example_path(example, name)) as f:
        return f.read()


def start_example(cls, example, machine_name, args=(), env=None, moto=None):
    """setUpClass's common part: starts stepline for `example` (stopping `moto`
    when that fails) and creates the example's state machine as `machine_name`;
    sets cls.server, cls.sfn and cls.arn."""
    cls.server = SteplineServer(cls.BINARY, args=list(args), env=env or {})
    try:
        cls.server.start()
    except Exception:
        if moto is not None:
            moto.stop()
        raise
    cls.sfn = cls.server.client()
    cls.arn = create_state_machine(cls.sfn, machine_name,
                                   read_text(example, "statemachine.asl.json"))


def stop_example(cls):
    """tearDownClass's common part: stops stepline (and cls.moto, if any)."""
    cls.server.stop()
    if getattr(cls, "moto", None) is not None:
        cls.moto.stop()
    cls.server.cleanup()


def create_state_machine(sfn, name, definition_text):
    return sfn.create_state_machine(name=name, definition=definition_text,
                                    roleArn=ROLE)["stateMachineArn"]


def wait_done(sfn, execution_arn, timeout=60.0):
    """Polls DescribeExecution until the execution leaves RUNNING. One still
    RUNNING after `timeout` is stopped (error Test.Timeout, status ABORTED) so
    that a runaway loop does not outlive the test; the caller's assertions on
    status and path then say what went wrong."""
    deadline = time.monotonic() + timeout
    while True:
        d = sfn.describe_execution(executionArn=execution_arn)
        if d["status"] != "RUNNING":
            return d
        if time.monotonic() > deadline:
            sfn.stop_execution(executionArn=execution_arn, error="Test.Timeout",
                               cause="still RUNNING after %s s" % timeout)
            print(f"note: {execution_arn} still RUNNING after {timeout} s; stopped it")
            return sfn.describe_execution(executionArn=execution_arn)
        time.sleep(0.05)


def history(sfn, execution_arn, limit=3000):
    """The execution's events (at most `limit`: a runaway loop's are plenty)."""
    events, token = [], None
    while len(events) < limit:
        kwargs = {"executionArn": execution_arn, "maxResults": 1000}
        if token:
            kwargs["nextToken"] = token
        page = sfn.get_execution_history(**kwargs)
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            break
    return events


def path_taken(events):
    """State names in the order they were entered (StateEntered events)."""
    return [e["stateEnteredEventDetails"]["name"] for e in events
            if e["type"].endswith("StateEntered")]


def run(sfn, state_machine_arn, name, payload, timeout=60.0):
    """Starts an execution, waits for it; returns (describe, events)."""
    started = sfn.start_execution(stateMachineArn=state_machine_arn, name=name,
                                  input=json.dumps(payload))
    d = wait_done(sfn, started["executionArn"], timeout)
    return d, history(sfn, started["executionArn"])


def main(test_case_class):
    """Runs a unittest.TestCase class; exits 0, 1, or 77 when it raised Skip."""
    import unittest
    args = parse_args(test_case_class.__doc__ or "example test")
    test_case_class.BINARY = args.binary
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(test_case_class)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        sys.exit(1)
    if result.skipped:
        for test, reason in result.skipped:
            print(f"SKIPPED {test.id()}: {reason}")
        sys.exit(SKIP)
    sys.exit(0)
