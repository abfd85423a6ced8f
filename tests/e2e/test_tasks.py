"""End-to-end Task states: the built server with a Step Functions Local mock
configuration (--mock-config) and a local handler file (--handlers).

An execution started as <stateMachineArn>#<TestCase> answers its listed states
from the mocked responses (a Throw, retried, then a Return); other states and
executions without a test case run the local handler commands. A malformed
mock file is a startup error.

    python3 tests/e2e/test_tasks.py --binary build/server/stepline
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stepline_server import SteplineServer, parse_args  # noqa: E402

BINARY = None
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"
NOTIFY_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:notify"

DEFINITION = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "ResultSelector": {"charged.$": "$.Payload.charged"},
            "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"],
                       "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Next": "Notify",
        },
        "Notify": {"Type": "Task", "Resource": NOTIFY_ARN, "ResultPath": "$.notify", "End": True},
    },
}

MOCKS = {
    "StateMachines": {"OrderFlow": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
    "MockedResponses": {
        "ChargeOk": {
            "0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
            "1": {"Return": {"StatusCode": 200, "Payload": {"charged": "mocked"}}},
        }
    },
}

# Reads the event on stdin, answers with what it saw.
HANDLER = """import json, os, sys
event = json.load(sys.stdin)
print(json.dumps({"handler": sys.argv[1], "state": os.environ["STEPLINE_STATE_NAME"],
                  "charged": "local", "saw": event}))
"""


class TaskStates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="stepline-tasks-")
        cls.mock_path = os.path.join(cls.dir, "mocks.json")
        with open(cls.mock_path, "w") as f:
            json.dump(MOCKS, f)
        with open(os.path.join(cls.dir, "handler.py"), "w") as f:
            f.write(HANDLER)
        handlers = {"Handlers": {
            "charge": {"Command": [sys.executable, "handler.py", "charge"]},
            "notify": {"Command": [sys.executable, "handler.py", "notify"]},
        }}
        cls.handlers_path = os.path.join(cls.dir, "handlers.json")
        with open(cls.handlers_path, "w") as f:
            json.dump(handlers, f)
        cls.server = SteplineServer(BINARY, args=["--mock-config", cls.mock_path,
                                                  "--handlers", cls.handlers_path,
                                                  "--wait-time-scale", "0"])
        cls.server.start()
        cls.sfn = cls.server.client()
        cls.arn = cls.sfn.create_state_machine(
            name="OrderFlow", definition=json.dumps(DEFINITION), roleArn=ROLE)["stateMachineArn"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def run_execution(self, arn, name, payload):
        started = self.sfn.start_execution(stateMachineArn=arn, name=name,
                                           input=json.dumps(payload))
        for _ in range(400):
            d = self.sfn.describe_execution(executionArn=started["executionArn"])
            if d["status"] != "RUNNING":
                break
            time.sleep(0.05)
        events = self.sfn.get_execution_history(executionArn=started["executionArn"])["events"]
        return started["executionArn"], d, events

    def test_a_test_case_answers_from_mocks_and_other_states_from_local_handlers(self):
        exec_arn, d, events = self.run_execution(self.arn + "#HappyPath", "happy", {"order": 1})
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertTrue(exec_arn.endswith(":execution:OrderFlow:happy"), exec_arn)
        out = json.loads(d["output"])
        self.assertEqual(out["charge"], {"charged": "mocked"})
        self.assertEqual(out["notify"]["handler"], "notify")
        self.assertEqual(out["notify"]["state"], "Notify")
        self.assertEqual(out["notify"]["saw"], {"order": 1, "charge": {"charged": "mocked"}})
        self.assertEqual([e["type"] for e in events], [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
            "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
            "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"])
        self.assertEqual([e["previousEventId"] for e in events],
                         [0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
        scheduled = events[2]["taskScheduledEventDetails"]
        self.assertEqual(scheduled["resourceType"], "lambda")
        self.assertEqual(scheduled["resource"], "invoke")
        self.assertEqual(json.loads(scheduled["parameters"]),
                         {"FunctionName": "charge", "Payload": {"order": 1}})
        failed = events[4]["taskFailedEventDetails"]
        self.assertEqual((failed["error"], failed["cause"]),
                         ("Lambda.TooManyRequestsException", "busy"))
        self.assertEqual(events[10]["lambdaFunctionScheduledEventDetails"]["resource"], NOTIFY_ARN)

    def test_without_a_test_case_every_state_runs_its_local_handler(self):
        _, d, events = self.run_execution(self.arn, "plain", {"order": 2})
        self.assertEqual(d["status"], "SUCCEEDED", d)
        out = json.loads(d["output"])
        # lambda:invoke wraps the handler's answer as Payload.
        self.assertEqual(out["charge"], {"charged": "local"})
        self.assertEqual(out["notify"]["saw"]["order"], 2)
        self.assertNotIn("TaskFailed", [e["type"] for e in events])

    def test_help_documents_the_task_flags(self):
        text = subprocess.run([BINARY, "--help"], capture_output=True, text=True).stdout
        self.assertIn("--mock-config", text)
        self.assertIn("SFN_MOCK_CONFIG", text)
        self.assertIn("--handlers", text)
        self.assertIn("STEPLINE_HANDLERS", text)

    def test_a_malformed_mock_config_is_a_startup_error(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"StateMachines": ')
        server = SteplineServer(BINARY, env={"SFN_MOCK_CONFIG": bad})
        with self.assertRaises(RuntimeError) as caught:
            server.start(attempts=1)
        server.cleanup()
        self.assertIn("could not start", str(caught.exception))
        self.assertIn("Task integrations", str(caught.exception))


if __name__ == "__main__":
    BINARY = parse_args(__doc__).binary
    unittest.main(argv=[sys.argv[0]], verbosity=2)
