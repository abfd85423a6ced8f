"""DescribeMapRun, ListMapRuns and UpdateMapRun driven by boto3 against distributed Maps,
and a map run redriven with its parent (RedriveExecution): a local handler fails item 2 once.

Usage: python3 test_boto3_map_runs.py --binary path/to/stepline
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

BINARY = None
ROLE = "arn:aws:iam::123456789012:role/test"


def distributed_map(processor_states, start, **fields):
    state = {"Type": "Map", "End": True, "Label": "Run",
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                               "StartAt": start, "States": processor_states}}
    state.update(fields)
    return {"StartAt": "M", "States": {"M": state}}


PASS_MAP = distributed_map({"P": {"Type": "Pass", "End": True}}, "P")
SLOW_MAP = distributed_map({"W": {"Type": "Wait", "Seconds": 1, "End": True}}, "W", MaxConcurrency=1)
FAILING_MAP = distributed_map(
    {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "F"}],
           "Default": "P"},
     "P": {"Type": "Pass", "End": True},
     "F": {"Type": "Fail", "Error": "E", "Cause": "c"}}, "C", ToleratedFailureCount=5)


# A Lambda function as a local handler: item 2 fails the first time it is seen.
FLAKY_HANDLER = """import json, os, sys
event = json.load(sys.stdin)
marker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "failed-%s" % event["item"])
if event["item"] == 2 and not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(3)
print(json.dumps(event["item"] * 10))
"""
FLAKY_MAP = distributed_map(
    {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
           "End": True}}, "T", MaxConcurrency=1, ItemSelector={"item.$": "$$.Map.Item.Value"})


def client(endpoint, validate=True):
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, parameter_validation=validate))


class Boto3MapRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="stepline-map-runs-")
        with open(os.path.join(cls.dir, "flaky.py"), "w") as f:
            f.write(FLAKY_HANDLER)
        handlers = os.path.join(cls.dir, "handlers.json")
        with open(handlers, "w") as f:
            json.dump({"Handlers": {"flaky": {"Command": [sys.executable, "flaky.py"],
                                              "Cwd": cls.dir}}}, f)
        cls.server = SteplineServer(BINARY, args=["--handlers", handlers]).start()
        cls.sfn = client(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def run_machine(self, name, definition, input_value):
        sm = self.sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)
        return self.sfn.start_execution(stateMachineArn=sm["stateMachineArn"],
                                        input=json.dumps(input_value))["executionArn"]

    def wait(self, fn, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = fn()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError("condition not reached")

    def first_run(self, execution_arn):
        return self.wait(lambda: self.sfn.list_map_runs(executionArn=execution_arn)["mapRuns"])[0]

    def finished(self, execution_arn):
        return self.wait(lambda: self.sfn.describe_execution(executionArn=execution_arn)["status"]
                         != "RUNNING" and self.sfn.describe_execution(executionArn=execution_arn))

    def assertError(self, code, fn, **kw):
        with self.assertRaises(ClientError) as ctx:
            fn(**kw)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        return ctx.exception.response["Error"]["Message"]

    def test_describe_a_finished_run(self):
        execution = self.run_machine("mr-pass", PASS_MAP, [1, 2, 3])
        self.assertEqual(self.finished(execution)["status"], "SUCCEEDED")
        listed = self.first_run(execution)
        self.assertEqual(listed["executionArn"], execution)
        self.assertIn(":mapRun:mr-pass/Run:", listed["mapRunArn"])
        self.assertTrue(listed["stateMachineArn"].endswith(":stateMachine:mr-pass/Run"))
        run = self.sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
        self.assertEqual(run["status"], "SUCCEEDED")
        self.assertEqual(run["executionArn"], execution)
        self.assertGreaterEqual(run["stopDate"], run["startDate"])
        self.assertEqual(run["itemCounts"]["total"], 3)
        self.assertEqual(run["itemCounts"]["succeeded"], 3)
        self.assertEqual(run["itemCounts"]["pending"], 0)
        self.assertEqual(run["executionCounts"]["succeeded"], 3)
        self.assertEqual(run["maxConcurrency"], 0)
        # The iterations are child executions, listed by their map run.
        children = self.sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"]
        self.assertEqual(len(children), 3)
        for child in children:
            self.assertEqual(child["status"], "SUCCEEDED")
            self.assertEqual(child["mapRunArn"], listed["mapRunArn"])
            self.assertIn(":execution:mr-pass/Run:", child["executionArn"])
            self.assertEqual(child["stateMachineArn"], listed["stateMachineArn"])
        described = [self.sfn.describe_execution(executionArn=c["executionArn"]) for c in children]
        self.assertEqual(sorted(d["input"] for d in described), ["1", "2", "3"])
        self.assertEqual(sorted(d["output"] for d in described), ["1", "2", "3"])
        self.assertNotIn(execution, [c["executionArn"] for c in children])
        history = self.sfn.get_execution_history(executionArn=children[0]["executionArn"])["events"]
        self.assertEqual([e["type"] for e in history],
                         ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                          "ExecutionSucceeded"])
        self.assertEqual(history[0]["executionStartedEventDetails"]["roleArn"], ROLE)
        parents = self.sfn.list_executions(stateMachineArn=listed["stateMachineArn"].rsplit("/", 1)[0])
        self.assertEqual([e["executionArn"] for e in parents["executions"]], [execution])

    def test_tolerated_failures_are_counted(self):
        execution = self.run_machine("mr-fail", FAILING_MAP, [1, 2, 3])
        self.assertEqual(self.finished(execution)["status"], "SUCCEEDED")
        run = self.sfn.describe_map_run(mapRunArn=self.first_run(execution)["mapRunArn"])
        self.assertEqual(run["toleratedFailureCount"], 5)
        self.assertEqual(run["itemCounts"]["failed"], 2)
        self.assertEqual(run["itemCounts"]["succeeded"], 1)

    def test_update_takes_effect_while_the_run_runs(self):
        execution = self.run_machine("mr-slow", SLOW_MAP, list(range(6)))
        arn = self.first_run(execution)["mapRunArn"]
        run = self.sfn.describe_map_run(mapRunArn=arn)
        self.assertEqual(run["status"], "RUNNING")
        self.assertEqual(run["maxConcurrency"], 1)
        self.assertEqual(run["itemCounts"]["running"], 1)
        self.sfn.update_map_run(mapRunArn=arn, maxConcurrency=0, toleratedFailurePercentage=10.5)
        run = self.sfn.describe_map_run(mapRunArn=arn)
        self.assertEqual(run["maxConcurrency"], 0)
        self.assertEqual(run["toleratedFailurePercentage"], 10.5)
        self.assertEqual(run["itemCounts"]["pending"], 0)  # every item started at once
        started = time.time()
        self.assertEqual(self.finished(execution)["status"], "SUCCEEDED")
        self.assertLess(time.time() - started, 4)  # not one item a second any more
        self.assertEqual(self.sfn.describe_map_run(mapRunArn=arn)["status"], "SUCCEEDED")

    def test_redriving_the_parent_redrives_the_map_run(self):
        execution = self.run_machine("mr-redrive", FLAKY_MAP, [1, 2, 3])
        failed = self.finished(execution)
        self.assertEqual(failed["status"], "FAILED")
        arn = self.first_run(execution)["mapRunArn"]
        run = self.sfn.describe_map_run(mapRunArn=arn)
        self.assertEqual((run["status"], run["redriveCount"]), ("FAILED", 0))
        self.assertNotIn("redriveDate", run)
        self.assertEqual(run["executionCounts"]["succeeded"], 1)
        self.assertEqual(run["executionCounts"]["failed"], 1)

        self.sfn.redrive_execution(executionArn=execution)
        done = self.finished(execution)
        self.assertEqual(done["status"], "SUCCEEDED")
        self.assertEqual(json.loads(done["output"]), [10, 20, 30])
        self.assertEqual(done["redriveCount"], 1)
        run = self.sfn.describe_map_run(mapRunArn=arn)
        self.assertEqual(run["status"], "SUCCEEDED")
        self.assertEqual(run["redriveCount"], 1)
        self.assertGreaterEqual(run["redriveDate"], run["startDate"])
        self.assertEqual(run["executionCounts"]["succeeded"], 3)
        self.assertEqual(run["executionCounts"]["failed"], 0)
        self.assertEqual(len(self.sfn.list_map_runs(executionArn=execution)["mapRuns"]), 1)
        children = self.sfn.list_executions(mapRunArn=arn)["executions"]
        self.assertEqual(sorted(c["redriveCount"] for c in children), [0, 0, 1])  # item 2 again
        self.assertEqual(self.sfn.list_executions(mapRunArn=arn, redriveFilter="REDRIVEN")
                         ["executions"][0]["status"], "SUCCEEDED")
        events = self.sfn.get_execution_history(executionArn=execution)["events"]
        types = [e["type"] for e in events]
        self.assertEqual(types.count("MapRunStarted"), 1)
        redriven = events[types.index("MapRunRedriven")]
        self.assertEqual(redriven["mapRunRedrivenEventDetails"], {"mapRunArn": arn, "redriveCount": 1})
        self.assertEqual(types[types.index("ExecutionRedriven"):],
                         ["ExecutionRedriven", "MapRunRedriven", "MapRunSucceeded",
                          "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])

    def test_list_map_runs_pages(self):
        nested = {"StartAt": "A", "States": {
            "A": {"Type": "Map", "Next": "B", "ItemProcessor": PASS_MAP["States"]["M"]["ItemProcessor"]},
            "B": {"Type": "Map", "End": True, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": True}}}}}}
        execution = self.run_machine("mr-two", nested, [1])
        self.finished(execution)
        page = self.sfn.list_map_runs(executionArn=execution, maxResults=1)
        self.assertEqual(len(page["mapRuns"]), 1)
        rest = self.sfn.list_map_runs(executionArn=execution, maxResults=1, nextToken=page["nextToken"])
        self.assertEqual(len(rest["mapRuns"]), 1)
        self.assertNotIn("nextToken", rest)
        self.assertNotEqual(page["mapRuns"][0]["mapRunArn"], rest["mapRuns"][0]["mapRunArn"])
        self.assertError("InvalidToken", self.sfn.list_map_runs, executionArn=execution,
                         nextToken="garbage")

    def test_errors(self):
        missing = "arn:aws:states:us-east-1:123456789012:mapRun:sm/label:0c3a4e6f-0000-0000-0000-000000000000"
        message = self.assertError("ResourceNotFound", self.sfn.describe_map_run, mapRunArn=missing)
        self.assertIn(missing, message)
        self.assertError("ResourceNotFound", self.sfn.update_map_run, mapRunArn=missing, maxConcurrency=1)
        self.assertError("InvalidArn", self.sfn.describe_map_run,
                         mapRunArn="arn:aws:states:us-east-1:123456789012:execution:sm:e")
        self.assertError("ExecutionDoesNotExist", self.sfn.list_map_runs,
                         executionArn="arn:aws:states:us-east-1:123456789012:execution:sm:nope")
        message = self.assertError("ValidationException", self.sfn.update_map_run, mapRunArn=missing,
                                   toleratedFailurePercentage=101)
        self.assertIn("'101.0' at 'toleratedFailurePercentage'", message)
        raw = client(self.server.endpoint, validate=False)  # what boto3 would refuse to send
        message = self.assertError("ValidationException", raw.update_map_run, mapRunArn=missing,
                                   maxConcurrency=-1, toleratedFailureCount=-2)
        self.assertIn("2 validation errors detected", message)
        self.assertIn("Value '-1' at 'maxConcurrency' failed to satisfy constraint: "
                      "Member must have value greater than or equal to 0", message)
        self.assertIn("Value '-2' at 'toleratedFailureCount'", message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
