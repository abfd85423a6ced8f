"""The foundation API driven by Debian's aws-cli v2 (/usr/bin/aws), command by command.

Usage: python3 test_awscli.py --binary path/to/stepline [--aws /usr/bin/aws]
"""

import argparse
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer  # noqa: E402

BINARY = None
AWS = "/usr/bin/aws"
ROLE = "arn:aws:iam::123456789012:role/test"
DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "done",
                                                          "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})


class AwsCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SteplineServer(BINARY).start()
        cls.env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                       AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
        cls.env.pop("AWS_PROFILE", None)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def aws(self, *args, ok=True):
        cmd = [AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "stepfunctions"]
        p = subprocess.run(cmd + list(args), env=self.env, capture_output=True, text=True,
                           timeout=60)
        if ok:
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    def wait_done(self, arn):
        for _ in range(500):
            d = self.aws("describe-execution", "--execution-arn", arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.02)
        self.fail("still running")

    def test_state_machine_lifecycle(self):
        sm = self.aws("create-state-machine", "--name", "cli-sm", "--definition", DEFINITION,
                      "--role-arn", ROLE)
        arn = sm["stateMachineArn"]
        self.assertRegex(sm["creationDate"], r"^\d{4}-\d\d-\d\dT")  # the CLI renders epoch seconds
        d = self.aws("describe-state-machine", "--state-machine-arn", arn)
        self.assertEqual((d["name"], d["status"], d["type"]), ("cli-sm", "ACTIVE", "STANDARD"))
        listed = self.aws("list-state-machines")["stateMachines"]
        self.assertIn(arn, [m["stateMachineArn"] for m in listed])
        self.aws("update-state-machine", "--state-machine-arn", arn, "--definition", WAIT)
        self.assertEqual(json.loads(self.aws("describe-state-machine", "--state-machine-arn",
                                             arn)["definition"]), json.loads(WAIT))
        self.aws("delete-state-machine", "--state-machine-arn", arn)
        p = self.aws("describe-state-machine", "--state-machine-arn", arn, ok=False)
        self.assertEqual(p.returncode, 254)
        self.assertIn("StateMachineDoesNotExist", p.stderr)

    def test_execution_lifecycle(self):
        arn = self.aws("create-state-machine", "--name", "cli-run", "--definition", DEFINITION,
                       "--role-arn", ROLE)["stateMachineArn"]
        ex = self.aws("start-execution", "--state-machine-arn", arn, "--name", "e1",
                      "--input", '{"a": 1}')
        d = self.wait_done(ex["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), "done")
        hist = self.aws("get-execution-history", "--execution-arn", ex["executionArn"])
        self.assertEqual([e["type"] for e in hist["events"]],
                         ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                          "ExecutionSucceeded"])
        listed = self.aws("list-executions", "--state-machine-arn", arn)["executions"]
        self.assertEqual([e["name"] for e in listed], ["e1"])
        smx = self.aws("describe-state-machine-for-execution", "--execution-arn",
                       ex["executionArn"])
        self.assertEqual(json.loads(smx["definition"]), json.loads(DEFINITION))

    def test_stop_execution(self):
        arn = self.aws("create-state-machine", "--name", "cli-stop", "--definition", WAIT,
                       "--role-arn", ROLE)["stateMachineArn"]
        ex = self.aws("start-execution", "--state-machine-arn", arn)
        self.aws("stop-execution", "--execution-arn", ex["executionArn"], "--cause", "user")
        self.assertEqual(self.wait_done(ex["executionArn"])["status"], "ABORTED")

    def test_errors_exit_254_with_the_aws_code(self):
        p = self.aws("start-execution", "--state-machine-arn",
                     "arn:aws:states:us-east-1:123456789012:stateMachine:missing", ok=False)
        self.assertEqual(p.returncode, 254)
        self.assertIn("(StateMachineDoesNotExist)", p.stderr)
        p = self.aws("create-state-machine", "--name", "bad", "--definition", "{}",
                     "--role-arn", ROLE, ok=False)
        self.assertIn("(InvalidDefinition)", p.stderr)
        p = self.aws("list-state-machines", "--max-results", "1001", ok=False)
        self.assertIn("ValidationException", p.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--aws", default=AWS)
    args, rest = parser.parse_known_args()
    BINARY, AWS = args.binary, args.aws
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
