"""The foundation API driven by boto3 (the default python3's), as users drive it.

Usage: python3 test_boto3_api.py --binary path/to/stepline
"""

import argparse
import json
import os
import sys
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

BINARY = None
ROLE = "arn:aws:iam::123456789012:role/test"
PASS_CHAIN = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}
WAIT_LONG = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
# Fails until redriven: the Pass state calls an undefined JSONata function
# while $$.Execution.RedriveCount is 0.
FAILS_UNTIL_REDRIVEN = {
    "QueryLanguage": "JSONata",
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Output": {"a": 1}, "Next": "B"},
        "B": {"Type": "Pass", "End": True, "Output":
              "{% $states.context.Execution.RedriveCount = 0 ? $nope() : "
              "{'redrives': $states.context.Execution.RedriveCount} %}"},
    },
}
# A Map whose second item fails until redriven (MaxConcurrency 1: the third never starts).
MAP_FAILS_UNTIL_REDRIVEN = {
    "QueryLanguage": "JSONata",
    "StartAt": "M",
    "States": {"M": {"Type": "Map", "MaxConcurrency": 1, "End": True, "ItemProcessor": {
        "StartAt": "I", "States": {"I": {"Type": "Pass", "End": True, "Output":
            "{% $states.input = 2 and $states.context.Execution.RedriveCount = 0 ? $nope() : "
            "$states.input * 10 %}"}}}}},
}


def client(endpoint):
    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


def wait_done(sfn, arn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.02)
    raise AssertionError("execution still RUNNING: " + arn)


class Boto3Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SteplineServer(BINARY).start()
        cls.sfn = client(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def create(self, name, definition=PASS_CHAIN, **kw):
        return self.sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE, **kw)

    def assertError(self, code, fn, *args, **kw):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kw)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        return ctx.exception.response["Error"]["Message"]

    def test_create_describe_list_update_delete(self):
        created = self.create("crud")
        arn = created["stateMachineArn"]
        self.assertEqual(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:crud")
        self.assertGreater(created["creationDate"].timestamp(), 1.6e9)
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["name"], "crud")
        self.assertEqual(d["status"], "ACTIVE")
        self.assertEqual(d["type"], "STANDARD")
        self.assertEqual(json.loads(d["definition"]), PASS_CHAIN)
        self.assertEqual(d["roleArn"], ROLE)
        names = [m["name"] for m in self.sfn.list_state_machines()["stateMachines"]]
        self.assertIn("crud", names)
        new_def = {"StartAt": "Only", "States": {"Only": {"Type": "Succeed"}}}
        upd = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(new_def))
        self.assertIn("updateDate", upd)
        self.assertEqual(json.loads(self.sfn.describe_state_machine(stateMachineArn=arn)["definition"]),
                         new_def)
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertError("StateMachineDoesNotExist", self.sfn.describe_state_machine,
                         stateMachineArn=arn)

    def test_create_is_idempotent_but_conflicts_on_change(self):
        a = self.create("idem")
        b = self.create("idem")
        self.assertEqual(a["stateMachineArn"], b["stateMachineArn"])
        msg = self.assertError("StateMachineAlreadyExists", self.create, "idem",
                               {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}})
        self.assertIn(a["stateMachineArn"], msg)

    def test_invalid_definition_and_name(self):
        msg = self.assertError("InvalidDefinition", self.create, "bad-def",
                               {"StartAt": "Missing", "States": {"A": {"Type": "Succeed"}}})
        self.assertTrue(msg.startswith("Invalid State Machine Definition: "), msg)
        self.assertError("InvalidName", self.create, "bad name")
        self.assertError("InvalidArn", self.sfn.describe_state_machine, stateMachineArn="nope")

    def test_start_describe_history_and_outputs(self):
        arn = self.create("run")["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn, name="first", input='{"k": "v"}')
        self.assertTrue(ex["executionArn"].endswith(":execution:run:first"))
        d = wait_done(self.sfn, ex["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"k": "v", "a": {"x": 1}})
        self.assertEqual(json.loads(d["input"]), {"k": "v"})
        self.assertIn("stopDate", d)
        events = self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
        self.assertEqual([e["type"] for e in events],
                         ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                          "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        self.assertEqual([e["id"] for e in events], [1, 2, 3, 4, 5, 6])
        self.assertEqual([e["previousEventId"] for e in events], [0, 0, 2, 3, 4, 5])
        self.assertEqual(events[1]["stateEnteredEventDetails"]["name"], "A")
        rev = self.sfn.get_execution_history(executionArn=ex["executionArn"], reverseOrder=True)
        self.assertEqual(rev["events"][0]["type"], "ExecutionSucceeded")
        for_exec = self.sfn.describe_state_machine_for_execution(executionArn=ex["executionArn"])
        self.assertEqual(json.loads(for_exec["definition"]), PASS_CHAIN)

    def test_history_pagination_never_repeats_a_token(self):
        arn = self.create("paged")["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn)
        wait_done(self.sfn, ex["executionArn"])
        ids, token, tokens = [], None, set()
        while True:
            kw = {"executionArn": ex["executionArn"], "maxResults": 2}
            if token:
                kw["nextToken"] = token
            page = self.sfn.get_execution_history(**kw)
            ids += [e["id"] for e in page["events"]]
            token = page.get("nextToken")
            if not token:
                break
            self.assertNotIn(token, tokens)
            tokens.add(token)
        self.assertEqual(ids, [1, 2, 3, 4, 5, 6])

    def test_start_execution_rules(self):
        arn = self.create("rules", WAIT_LONG)["stateMachineArn"]
        a = self.sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        b = self.sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        self.assertEqual(a["executionArn"], b["executionArn"])
        self.assertError("ExecutionAlreadyExists", self.sfn.start_execution,
                         stateMachineArn=arn, name="same", input='{"other": 1}')
        self.assertError("InvalidExecutionInput", self.sfn.start_execution,
                         stateMachineArn=arn, input="{not json")
        self.assertError("InvalidName", self.sfn.start_execution,
                         stateMachineArn=arn, name="has space")
        self.assertError("StateMachineDoesNotExist", self.sfn.start_execution,
                         stateMachineArn=arn + "-missing")
        unnamed = self.sfn.start_execution(stateMachineArn=arn)
        self.assertRegex(unnamed["executionArn"], r":execution:rules:[0-9a-f-]{36}$")
        self.sfn.stop_execution(executionArn=a["executionArn"])
        self.sfn.stop_execution(executionArn=unnamed["executionArn"])

    def test_payload_limit(self):
        arn = self.create("big")["stateMachineArn"]
        big = json.dumps({"s": "x" * 262144})
        self.assertError("InvalidExecutionInput", self.sfn.start_execution,
                         stateMachineArn=arn, input=big)

    def test_stop_and_list_executions(self):
        arn = self.create("stoppable", WAIT_LONG)["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn, name="s1")
        time.sleep(0.1)
        running = self.sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")
        self.assertEqual([e["name"] for e in running["executions"]], ["s1"])
        stopped = self.sfn.stop_execution(executionArn=ex["executionArn"], error="E", cause="C")
        self.assertIn("stopDate", stopped)
        d = wait_done(self.sfn, ex["executionArn"])
        self.assertEqual(d["status"], "ABORTED")
        events = self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
        self.assertEqual(events[-1]["type"], "ExecutionAborted")
        self.assertEqual(events[-1]["executionAbortedEventDetails"], {"error": "E", "cause": "C"})
        self.assertEqual(self.sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")
                         ["executions"], [])
        aborted = self.sfn.list_executions(stateMachineArn=arn, statusFilter="ABORTED")
        self.assertEqual(len(aborted["executions"]), 1)

    def test_failed_execution_has_error_and_cause(self):
        arn = self.create("fails", {"StartAt": "F", "States": {
            "F": {"Type": "Fail", "Error": "MyError", "Cause": "because"}}})["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn)
        d = wait_done(self.sfn, ex["executionArn"])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("FAILED", "MyError", "because"))

    def test_unknown_execution(self):
        self.assertError("ExecutionDoesNotExist", self.sfn.describe_execution,
                         executionArn="arn:aws:states:us-east-1:123456789012:execution:no:no")

    def test_redrive_resumes_from_the_failed_state(self):
        arn = self.create("redrive", FAILS_UNTIL_REDRIVEN)["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn, name="r1")["executionArn"]
        failed = wait_done(self.sfn, ex)
        self.assertEqual(failed["status"], "FAILED")
        self.assertEqual(failed["redriveStatus"], "REDRIVABLE")
        self.assertEqual(failed["redriveCount"], 0)
        before = self.sfn.get_execution_history(executionArn=ex)["events"]
        out = self.sfn.redrive_execution(executionArn=ex, clientToken="tok-1")
        self.assertGreater(out["redriveDate"].timestamp(), 1.6e9)
        self.assertEqual(self.sfn.redrive_execution(executionArn=ex, clientToken="tok-1")
                         ["redriveDate"], out["redriveDate"])
        d = wait_done(self.sfn, ex)
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"redrives": 1})
        self.assertEqual(d["redriveCount"], 1)
        self.assertEqual(d["redriveDate"], out["redriveDate"])
        self.assertEqual(d["redriveStatus"], "NOT_REDRIVABLE")
        self.assertEqual(d["redriveStatusReason"], "Execution is SUCCEEDED and cannot be redriven")
        events = self.sfn.get_execution_history(executionArn=ex)["events"]
        self.assertEqual(events[:len(before)], before)
        tail = events[len(before):]
        self.assertEqual([e["type"] for e in tail],
                         ["ExecutionRedriven", "PassStateEntered", "PassStateExited",
                          "ExecutionSucceeded"])
        self.assertEqual(tail[0]["executionRedrivenEventDetails"], {"redriveCount": 1})
        self.assertEqual(tail[0]["previousEventId"], before[-1]["id"])
        self.assertEqual(tail[1]["stateEnteredEventDetails"]["name"], "B")
        listed = self.sfn.list_executions(stateMachineArn=arn, redriveFilter="REDRIVEN")
        self.assertEqual([e["executionArn"] for e in listed["executions"]], [ex])
        self.assertEqual(listed["executions"][0]["redriveCount"], 1)
        self.assertEqual(self.sfn.list_executions(
            stateMachineArn=arn, redriveFilter="NOT_REDRIVEN")["executions"], [])
        msg = self.assertError("ExecutionNotRedrivable", self.sfn.redrive_execution,
                               executionArn=ex)
        self.assertEqual(msg, "Execution is SUCCEEDED and cannot be redriven")

    def test_redrive_reruns_only_failed_map_iterations(self):
        arn = self.create("redrive-map", MAP_FAILS_UNTIL_REDRIVEN)["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn, input="[1, 2, 3]")["executionArn"]
        self.assertEqual(wait_done(self.sfn, ex)["status"], "FAILED")
        self.sfn.redrive_execution(executionArn=ex)
        d = wait_done(self.sfn, ex)
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), [10, 20, 30])
        events = self.sfn.get_execution_history(executionArn=ex)["events"]
        started = [e["mapIterationStartedEventDetails"]["index"] for e in events
                   if e["type"] == "MapIterationStarted"]
        self.assertEqual(started, [0, 1, 1, 2])  # item 1 again, item 3 for the first time

    def test_redrive_errors(self):
        arn = self.create("redrive-errors", WAIT_LONG)["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        msg = self.assertError("ExecutionNotRedrivable", self.sfn.redrive_execution,
                               executionArn=ex)
        self.assertEqual(msg, "Execution is RUNNING and cannot be redriven")
        self.assertError("ExecutionDoesNotExist", self.sfn.redrive_execution,
                         executionArn="arn:aws:states:us-east-1:123456789012:execution:no:no")
        self.assertError("InvalidArn", self.sfn.redrive_execution, executionArn="nope")
        self.assertError("ValidationException", self.sfn.redrive_execution, executionArn=ex,
                         clientToken="x" * 65)
        # A stopped execution is redriven into its Wait again.
        self.sfn.stop_execution(executionArn=ex)
        self.assertEqual(wait_done(self.sfn, ex)["status"], "ABORTED")
        self.sfn.redrive_execution(executionArn=ex)
        self.assertEqual(self.sfn.describe_execution(executionArn=ex)["status"], "RUNNING")
        types = [e["type"] for e in self.sfn.get_execution_history(executionArn=ex)["events"]]
        self.assertEqual(types[-2:], ["ExecutionRedriven", "WaitStateEntered"])
        self.sfn.stop_execution(executionArn=ex)

    def test_redrive_survives_a_restart(self):
        arn = self.create("redrive-restart", {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 3600, "End": True}}})["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        time.sleep(0.2)
        self.sfn.stop_execution(executionArn=ex)
        wait_done(self.sfn, ex)
        self.sfn.redrive_execution(executionArn=ex)
        history = self.sfn.get_execution_history(executionArn=ex)["events"]
        self.server.restart()
        d = self.sfn.describe_execution(executionArn=ex)
        self.assertEqual((d["status"], d["redriveCount"]), ("RUNNING", 1))
        self.assertEqual(self.sfn.get_execution_history(executionArn=ex)["events"], history)
        self.sfn.stop_execution(executionArn=ex)
        d = wait_done(self.sfn, ex)
        self.assertEqual(d["status"], "ABORTED")
        types = [e["type"] for e in self.sfn.get_execution_history(executionArn=ex)["events"]]
        self.assertEqual(types[len(history):], ["ExecutionAborted"])

    def test_included_data_and_variable_references(self):
        definition = {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"v.$": "$x"}, "End": True}}}
        arn = self.create("included", definition)["stateMachineArn"]
        d = self.sfn.describe_state_machine(stateMachineArn=arn, includedData="ALL_DATA")
        self.assertEqual(json.loads(d["definition"]), definition)
        self.assertEqual(d["variableReferences"], {"B": ["x"]})
        meta = self.sfn.describe_state_machine(stateMachineArn=arn, includedData="METADATA_ONLY")
        self.assertNotIn("definition", meta)
        self.assertEqual(meta["name"], "included")
        ex = self.sfn.start_execution(stateMachineArn=arn, input='{"k": 1}')["executionArn"]
        wait_done(self.sfn, ex)
        e = self.sfn.describe_execution(executionArn=ex, includedData="METADATA_ONLY")
        self.assertEqual(e["status"], "SUCCEEDED")
        self.assertNotIn("input", e)
        self.assertNotIn("output", e)
        self.assertEqual(json.loads(self.sfn.describe_execution(executionArn=ex)["input"]),
                         {"k": 1})
        f = self.sfn.describe_state_machine_for_execution(executionArn=ex)
        self.assertEqual(f["variableReferences"], {"B": ["x"]})
        self.assertError("ValidationException", self.sfn.describe_state_machine,
                         stateMachineArn=arn, includedData="NOPE")

    def test_test_state(self):
        # boto3 prefixes TestState's host with "sync-"; 127.0.0.1 cannot take
        # a prefix, so this client does not inject it (the docker network
        # answers to sync-stepline instead).
        sfn = boto3.client(
            "stepfunctions", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))
        task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": "$.r", "Next": "After",
                "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handler"}]}
        ok = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, input='{"a":1}',
                            inspectionLevel="DEBUG", mock={"result": '{"x":2}'})
        self.assertEqual(ok["status"], "SUCCEEDED")
        self.assertEqual(json.loads(ok["output"]), {"a": 1, "r": {"x": 2}})
        self.assertEqual(ok["nextState"], "After")
        self.assertEqual(ok["inspectionData"]["result"], '{"x":2}')
        caught = sfn.test_state(definition=json.dumps(task), roleArn=ROLE,
                                mock={"errorOutput": {"error": "Boom", "cause": "c"}})
        self.assertEqual(caught["status"], "CAUGHT_ERROR")
        self.assertEqual(caught["nextState"], "Handler")
        self.assertEqual(json.loads(caught["output"]), {"Error": "Boom", "Cause": "c"})
        with self.assertRaises(ClientError) as ctx:
            sfn.test_state(definition='{"Type":"Pass","Next":""}', roleArn=ROLE)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidDefinition")

    def sync_client(self):
        # TestState's "sync-" host prefix cannot go on 127.0.0.1 (see test_test_state).
        return boto3.client(
            "stepfunctions", endpoint_url=self.server.endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))

    def test_test_state_jsonata_context_and_retries(self):
        sfn = self.sync_client()
        machine = {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"Payload": "{% $states.context.Execution.Name & $suffix %}"},
                  "Assign": {"got": "{% $states.result %}"},
                  "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1,
                             "IntervalSeconds": 4}],
                  "End": True}}}
        ok = sfn.test_state(definition=json.dumps(machine), stateName="T",
                            inspectionLevel="DEBUG", variables='{"suffix":"!"}',
                            context='{"Execution":{"Name":"e1"}}', revealSecrets=True,
                            mock={"result": '"r"', "fieldValidationMode": "PRESENT"})
        self.assertEqual(ok["status"], "SUCCEEDED")
        self.assertEqual(json.loads(ok["inspectionData"]["afterArguments"]), {"Payload": "e1!"})
        self.assertEqual(json.loads(ok["inspectionData"]["variables"]),
                         {"suffix": "!", "got": "r"})
        err = {"errorOutput": {"error": "Lambda.Boom", "cause": "c"}}
        retriable = sfn.test_state(definition=json.dumps(machine), stateName="T", mock=err,
                                   inspectionLevel="DEBUG",
                                   stateConfiguration={"retrierRetryCount": 0})
        self.assertEqual(retriable["status"], "RETRIABLE")
        self.assertEqual(retriable["inspectionData"]["errorDetails"],
                         {"retryIndex": 0, "retryBackoffIntervalSeconds": 4})
        failed = sfn.test_state(definition=json.dumps(machine), stateName="T", mock=err,
                                stateConfiguration={"retrierRetryCount": 1})
        self.assertEqual((failed["status"], failed["error"]), ("FAILED", "Lambda.Boom"))
        with self.assertRaises(ClientError) as ctx:
            sfn.test_state(definition=json.dumps(machine), stateName="Nope", mock=err)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")

    def test_test_state_map_and_parallel(self):
        sfn = self.sync_client()
        inner = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}
        mapped = {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": inner,
                  "ToleratedFailurePercentage": 50,
                  "ResultSelector": {"n.$": "States.ArrayLength($)"},
                  "End": True}
        ok = sfn.test_state(definition=json.dumps(mapped), input='{"xs":[1,2]}',
                            inspectionLevel="DEBUG", mock={"result": "[3,4]"},
                            stateConfiguration={"mapIterationFailureCount": 1})
        self.assertEqual(ok["status"], "SUCCEEDED")
        self.assertEqual(json.loads(ok["output"]), {"n": 2})
        self.assertEqual(json.loads(ok["inspectionData"]["afterItemsPath"]), [1, 2])
        self.assertEqual(ok["inspectionData"]["toleratedFailurePercentage"], 50.0)
        over = sfn.test_state(definition=json.dumps(mapped), input='{"xs":[1,2]}',
                              mock={"result": "[3,4]"},
                              stateConfiguration={"mapIterationFailureCount": 2})
        self.assertEqual(over["error"], "States.ExceedToleratedFailureThreshold")
        other = {"StartAt": "J", "States": {"J": {"Type": "Pass", "End": True}}}
        parallel = {"Type": "Parallel", "Branches": [inner, other], "Next": "X",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H", "ResultPath": "$.e"}]}
        caught = sfn.test_state(definition=json.dumps(parallel), input="{}",
                                mock={"errorOutput": {"error": "E"}},
                                stateConfiguration={"errorCausedByState": "I"})
        self.assertEqual(caught["status"], "CAUGHT_ERROR")
        self.assertEqual(json.loads(caught["output"]), {"e": {"Error": "E"}})
        with self.assertRaises(ClientError) as ctx:
            sfn.test_state(definition=json.dumps(parallel))
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")

    def test_test_state_trace_of_an_http_task(self):
        # A local endpoint that answers 200 with the headers it was sent.
        class Echo(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                got = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                body = json.dumps({"path": self.path, "body": got,
                                   "auth": self.headers.get("Authorization")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Echo", "yes")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        endpoint = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=endpoint.serve_forever, daemon=True).start()
        self.addCleanup(endpoint.server_close)
        self.addCleanup(endpoint.shutdown)
        url = "http://127.0.0.1:%d/orders" % endpoint.server_port
        task = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
                "Parameters": {"ApiEndpoint": url, "Method": "POST",
                               "Headers": {"Authorization": "Bearer s3cret", "X-Id": "7"},
                               "QueryParameters": {"page": "2"},
                               "RequestBody": {"item": "book"}}}
        sfn = self.sync_client()
        out = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, inspectionLevel="TRACE")
        self.assertEqual(out["status"], "SUCCEEDED", out)
        request, response = out["inspectionData"]["request"], out["inspectionData"]["response"]
        self.assertEqual((request["protocol"], request["method"], request["url"]),
                         ("http", "POST", url + "?page=2"))
        self.assertEqual(request["headers"],
                         "[X-Id: 7, Content-Type: application/json; charset=UTF-8]")
        self.assertEqual(json.loads(request["body"]), {"item": "book"})
        self.assertEqual((response["protocol"], response["statusCode"], response["statusMessage"]),
                         ("http", "200", "OK"))
        self.assertIn("x-echo: yes", response["headers"])
        echoed = json.loads(response["body"])  # the endpoint saw the credential all along
        self.assertEqual(echoed["auth"], "Bearer s3cret")
        self.assertEqual(json.loads(out["output"])["ResponseBody"], echoed)
        revealed = sfn.test_state(definition=json.dumps(task), roleArn=ROLE,
                                  inspectionLevel="TRACE", revealSecrets=True)
        self.assertIn("Authorization: Bearer s3cret",
                      revealed["inspectionData"]["request"]["headers"])
        debug = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, inspectionLevel="DEBUG")
        self.assertNotIn("request", debug["inspectionData"])

    def test_every_list_action_pages(self):
        sm = self.create("pages")["stateMachineArn"]
        for i in range(3):
            self.sfn.create_activity(name="pages-act-%d" % i)
            self.sfn.start_execution(stateMachineArn=sm, name="p%d" % i)
            self.sfn.update_state_machine(stateMachineArn=sm, publish=True, definition=json.dumps(
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": i, "End": True}}}))
        for i in range(3):
            self.sfn.create_state_machine_alias(name="al%d" % i, routingConfiguration=[
                {"stateMachineVersionArn": sm + ":1", "weight": 100}])
        calls = {
            "list_state_machines": ({}, "stateMachines", "stateMachineArn"),
            "list_activities": ({}, "activities", "activityArn"),
            "list_executions": ({"stateMachineArn": sm}, "executions", "executionArn"),
            "list_state_machine_versions": ({"stateMachineArn": sm}, "stateMachineVersions",
                                            "stateMachineVersionArn"),
            "list_state_machine_aliases": ({"stateMachineArn": sm}, "stateMachineAliases",
                                           "stateMachineAliasArn"),
            "get_execution_history": ({"executionArn": sm.replace(
                "stateMachine", "execution") + ":p0"}, "events", "id"),
        }
        for name, (args, key, ident) in calls.items():
            fn = getattr(self.sfn, name)
            everything = [x[ident] for x in fn(**args)[key]]
            self.assertGreaterEqual(len(everything), 2, name)
            paged, token, tokens = [], None, set()
            while True:
                page = fn(maxResults=1, **args, **({"nextToken": token} if token else {}))
                self.assertLessEqual(len(page[key]), 1, name)
                paged += [x[ident] for x in page[key]]
                token = page.get("nextToken")
                if not token:
                    break
                self.assertNotIn(token, tokens, name)
                tokens.add(token)
            self.assertEqual(paged, everything, name)
            self.assertError("InvalidToken", fn, nextToken="not-a-token", **args)

    def test_restart_keeps_everything(self):
        arn = self.create("durable")["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn, name="before-restart", input='{"n": 1}')
        wait_done(self.sfn, ex["executionArn"])
        history = self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
        self.server.restart()
        d = self.sfn.describe_execution(executionArn=ex["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"n": 1, "a": {"x": 1}})
        self.assertEqual(self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"],
                         history)
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=arn)["name"], "durable")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = args.binary
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
