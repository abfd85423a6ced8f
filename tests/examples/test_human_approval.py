"""examples/human-approval: sqs:sendMessage.waitForTaskToken posts the request
and $$.Task.Token to an SQS queue (moto_server); the approver reads it and
calls SendTaskSuccess with {"Status": "Approved!"|"Rejected!"}; a Choice
branches on it. SendTaskFailure fails the Task state.

If the server answers UnknownOperationException for SendTaskSuccess (or
SendTaskFailure), the callback API is not there yet: the test is SKIPPED (exit
77), never passed.
"""

import json
import os
import subprocess
import sys
import time
import unittest

from botocore.exceptions import ClientError

import example_support as ex

EXAMPLE = "human-approval"
QUEUE = "approval-requests"


class HumanApproval(unittest.TestCase):
    BINARY = None

    @classmethod
    def setUpClass(cls):
        cls.moto = ex.MotoServer().start()
        cls.sqs = cls.moto.client("sqs")
        cls.queue_url = cls.sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
        ex.start_example(cls, EXAMPLE, "HumanApproval",
                         env={"AWS_ENDPOINT_URL": cls.moto.endpoint}, moto=cls.moto)

    @classmethod
    def tearDownClass(cls):
        ex.stop_example(cls)

    def request_approval(self, name):
        """Starts an execution; returns (executionArn, the SQS message body)."""
        payload = ex.load_json(EXAMPLE, "input.json")
        exec_arn = self.sfn.start_execution(stateMachineArn=self.arn, name=name,
                                            input=json.dumps(payload))["executionArn"]
        body, deadline = None, time.monotonic() + 10
        while body is None and time.monotonic() < deadline:
            got = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=1)
            for message in got.get("Messages", []):
                # Requests of other executions (left by a skipped test) are dropped.
                self.sqs.delete_message(QueueUrl=self.queue_url,
                                        ReceiptHandle=message["ReceiptHandle"])
                if json.loads(message["Body"]).get("ExecutionName") == name:
                    body = json.loads(message["Body"])
        self.assertIsNotNone(body, "no approval request reached the queue: %s" %
                             ex.history(self.sfn, exec_arn)[-3:])
        self.assertEqual(body["ExecutionName"], name)
        self.assertEqual(body["Request"], payload)
        self.assertTrue(body["TaskToken"])
        # Waiting on the token: still RUNNING, the send recorded as TaskSubmitted.
        d = self.sfn.describe_execution(executionArn=exec_arn)
        self.assertEqual(d["status"], "RUNNING", d)
        types = [e["type"] for e in ex.history(self.sfn, exec_arn)]
        self.assertEqual(types[:5], ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                     "TaskStarted", "TaskSubmitted"])
        submitted = [e for e in ex.history(self.sfn, exec_arn) if e["type"] == "TaskSubmitted"][0]
        self.assertIn("MessageId", json.loads(submitted["taskSubmittedEventDetails"]["output"]))
        return exec_arn, body

    def skip_if_unknown(self, error, exec_arn, operation):
        code = error.response.get("Error", {}).get("Code")
        if code == "UnknownOperationException":
            self.sfn.stop_execution(executionArn=exec_arn, error="Test.Skipped",
                                    cause=f"{operation} not implemented")
            self.skipTest(f"{operation} is not implemented by this server "
                          f"(UnknownOperationException): the approval cannot be completed")
        raise error

    def send_success(self, exec_arn, token, output):
        try:
            self.sfn.send_task_success(taskToken=token, output=json.dumps(output))
        except ClientError as e:
            self.skip_if_unknown(e, exec_arn, "SendTaskSuccess")

    def test_an_approved_request_passes(self):
        exec_arn, body = self.request_approval("approve-1")
        self.send_success(exec_arn, body["TaskToken"], {"Status": "Approved!", "Approver": "alice"})
        d = ex.wait_done(self.sfn, exec_arn, 20)
        events = ex.history(self.sfn, exec_arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]),
                         {"requestId": "REQ-1042", "decision": "approved", "approvedBy": "alice"})
        self.assertEqual(ex.path_taken(events),
                         ["Request Approval", "ManualApprovalChoiceState", "ApprovedPassState"])
        succeeded = [e for e in events if e["type"] == "TaskSucceeded"][0]
        self.assertEqual(json.loads(succeeded["taskSucceededEventDetails"]["output"]),
                         {"Status": "Approved!", "Approver": "alice"})
        # The token is spent.
        with self.assertRaises(ClientError) as caught:
            self.sfn.send_task_success(taskToken=body["TaskToken"], output="{}")
        self.assertIn(caught.exception.response["Error"]["Code"],
                      ("TaskTimedOut", "InvalidToken"))

    def test_a_rejection_by_the_approver_script_fails_the_execution(self):
        payload = ex.load_json(EXAMPLE, "input.json")
        exec_arn = self.sfn.start_execution(stateMachineArn=self.arn, name="reject-1",
                                            input=json.dumps(payload))["executionArn"]
        run = subprocess.run(
            [sys.executable, ex.example_path(EXAMPLE, "approver.py"), "--decision", "reject",
             "--approver", "bob", "--sqs-endpoint", self.moto.endpoint,
             "--sfn-endpoint", self.server.endpoint],
            capture_output=True, text=True, timeout=60,
            env=dict(os.environ, AWS_MAX_ATTEMPTS="1"))
        if "UnknownOperationException" in run.stderr:
            self.sfn.stop_execution(executionArn=exec_arn, error="Test.Skipped")
            self.skipTest("SendTaskSuccess is not implemented by this server "
                          "(UnknownOperationException)")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(json.loads(run.stdout), payload)
        d = ex.wait_done(self.sfn, exec_arn, 20)
        self.assertEqual(d["status"], "FAILED", d)
        self.assertEqual(d["error"], "RequestRejected")
        self.assertEqual(ex.path_taken(ex.history(self.sfn, exec_arn)),
                         ["Request Approval", "ManualApprovalChoiceState", "RejectedPassState"])

    def test_send_task_failure_fails_the_task(self):
        exec_arn, body = self.request_approval("fail-1")
        try:
            self.sfn.send_task_failure(taskToken=body["TaskToken"], error="ApproverUnavailable",
                                       cause="nobody answered")
        except ClientError as e:
            self.skip_if_unknown(e, exec_arn, "SendTaskFailure")
        d = ex.wait_done(self.sfn, exec_arn, 20)
        self.assertEqual(d["status"], "FAILED", d)
        self.assertEqual((d["error"], d["cause"]), ("ApproverUnavailable", "nobody answered"))
        events = ex.history(self.sfn, exec_arn)
        self.assertEqual(ex.path_taken(events), ["Request Approval"])
        self.assertIn("TaskFailed", [e["type"] for e in events])


if __name__ == "__main__":
    ex.main(HumanApproval)
