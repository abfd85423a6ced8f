"""End-to-end callbacks and activities through boto3: a .waitForTaskToken
task (its sqs:sendMessage answered by a local handler that writes the message,
token included, to an outbox file) completed by SendTaskSuccess; an activity
worker loop with GetActivityTask/SendTaskSuccess; a token that outlives a
server restart; and AWS's errors for bad, unknown and closed tokens.

    python3 tests/e2e/test_callbacks.py --binary build/server/stepline
"""

import json
import os
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stepline_server import SteplineServer, parse_args  # noqa: E402

BINARY = None
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"

CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "HeartbeatSeconds": 600,
            "Parameters": {"QueueUrl": "https://sqs.local/q",
                           "MessageBody": {"Order.$": "$.order", "TaskToken.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


class Callbacks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="stepline-callbacks-")
        cls.outbox = os.path.join(cls.dir, "outbox.jsonl")
        handlers = {"Handlers": {"sqs:sendMessage": {
            "Command": f"cat >> {cls.outbox}; echo >> {cls.outbox}; echo '{{\"MessageId\": \"m-1\"}}'"}}}
        cls.handlers_path = os.path.join(cls.dir, "handlers.json")
        with open(cls.handlers_path, "w") as f:
            json.dump(handlers, f)
        cls.server = SteplineServer(BINARY, args=["--handlers", cls.handlers_path])
        cls.server.start()
        cls.connect()
        cls.callback_arn = cls.sfn.create_state_machine(
            name="Callback", definition=json.dumps(CALLBACK), roleArn=ROLE)["stateMachineArn"]

    @classmethod
    def connect(cls):
        cls.sfn = cls.server.client(read_timeout=70)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def wait_status(self, exec_arn, not_status="RUNNING", seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            d = self.sfn.describe_execution(executionArn=exec_arn)
            if d["status"] != not_status:
                return d
            time.sleep(0.05)
        self.fail(f"{exec_arn} still {not_status}")

    def history(self, exec_arn):
        return self.sfn.get_execution_history(executionArn=exec_arn)["events"]

    def token_for(self, order, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.path.exists(self.outbox):
                with open(self.outbox) as f:
                    for line in f:
                        try:
                            body = json.loads(line)["MessageBody"]
                        except ValueError:  # empty, or being written
                            continue
                        if body["Order"] == order:
                            return body["TaskToken"]
            time.sleep(0.05)
        self.fail(f"no message for order {order}")

    def wait_submitted(self, exec_arn):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if "TaskSubmitted" in [e["type"] for e in self.history(exec_arn)]:
                return
            time.sleep(0.05)
        self.fail("no TaskSubmitted")

    def test_send_task_success_completes_a_wait_for_task_token_task(self):
        exec_arn = self.sfn.start_execution(stateMachineArn=self.callback_arn, name="cb-1",
                                            input=json.dumps({"order": 1}))["executionArn"]
        token = self.token_for(1)
        self.wait_submitted(exec_arn)
        self.sfn.send_task_heartbeat(taskToken=token)
        self.sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
        d = self.wait_status(exec_arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), {"approved": True})
        types = [e["type"] for e in self.history(exec_arn)]
        self.assertEqual(types, ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskSubmitted", "TaskSucceeded",
                                 "TaskStateExited", "ExecutionSucceeded"])
        with self.assertRaises(self.sfn.exceptions.TaskTimedOut):
            self.sfn.send_task_success(taskToken=token, output="{}")

    def test_send_task_failure_fails_the_execution_with_error_and_cause(self):
        exec_arn = self.sfn.start_execution(stateMachineArn=self.callback_arn, name="cb-2",
                                            input=json.dumps({"order": 2}))["executionArn"]
        token = self.token_for(2)
        self.wait_submitted(exec_arn)
        with self.assertRaises(self.sfn.exceptions.InvalidOutput):
            self.sfn.send_task_success(taskToken=token, output="{not json")
        self.sfn.send_task_failure(taskToken=token, error="Rejected", cause="no stock")
        d = self.wait_status(exec_arn)
        self.assertEqual(d["status"], "FAILED")
        self.assertEqual((d["error"], d["cause"]), ("Rejected", "no stock"))

    def test_bad_and_unknown_tokens(self):
        with self.assertRaises(self.sfn.exceptions.InvalidToken) as caught:
            self.sfn.send_task_success(taskToken="garbage", output="{}")
        self.assertEqual(caught.exception.response["Error"]["Message"],
                         "Invalid Token: 'Invalid token'")
        unknown = "STL1" + f"arn:aws:states:us-east-1:{ACCOUNT}:execution:Callback:nope".encode() \
            .hex() + "-3"
        with self.assertRaises(self.sfn.exceptions.TaskDoesNotExist):
            self.sfn.send_task_heartbeat(taskToken=unknown)

    def test_a_token_outlives_a_server_restart(self):
        exec_arn = self.sfn.start_execution(stateMachineArn=self.callback_arn, name="cb-3",
                                            input=json.dumps({"order": 3}))["executionArn"]
        token = self.token_for(3)
        self.wait_submitted(exec_arn)
        self.server.restart()
        self.connect()
        self.sfn.send_task_success(taskToken=token, output=json.dumps("after restart"))
        d = self.wait_status(exec_arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), "after restart")
        types = [e["type"] for e in self.history(exec_arn)]
        self.assertEqual(types.count("TaskSubmitted"), 1)

    def test_an_activity_worker_loop(self):
        activity = self.sfn.create_activity(name="work")["activityArn"]
        definition = {"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": activity, "Next": "B"},
            "B": {"Type": "Task", "Resource": activity, "End": True}}}
        sm = self.sfn.create_state_machine(name="Activities", definition=json.dumps(definition),
                                           roleArn=ROLE)["stateMachineArn"]
        results = []

        def worker():
            for _ in range(2):
                task = self.server.client(read_timeout=70).get_activity_task(
                    activityArn=activity, workerName="w-1")
                value = json.loads(task["input"])
                value["steps"] = value.get("steps", 0) + 1
                self.sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps(value))
                results.append(value)

        thread = threading.Thread(target=worker)
        thread.start()
        exec_arn = self.sfn.start_execution(stateMachineArn=sm, name="act-1",
                                            input=json.dumps({"n": 1}))["executionArn"]
        thread.join(60)
        d = self.wait_status(exec_arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), {"n": 1, "steps": 2})
        events = self.history(exec_arn)
        self.assertEqual([e["type"] for e in events if e["type"].startswith("Activity")],
                         ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"] * 2)
        started = [e for e in events if e["type"] == "ActivityStarted"][0]
        self.assertEqual(started["activityStartedEventDetails"]["workerName"], "w-1")
        with self.assertRaises(self.sfn.exceptions.ActivityDoesNotExist):
            self.sfn.get_activity_task(
                activityArn=f"arn:aws:states:us-east-1:{ACCOUNT}:activity:missing")


if __name__ == "__main__":
    BINARY = parse_args(__doc__).binary
    unittest.main(argv=[sys.argv[0]], verbosity=2)
