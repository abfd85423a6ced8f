"""The approver: takes one approval request from the SQS queue and answers
Step Functions with SendTaskSuccess (or SendTaskFailure).

    python3 approver.py --decision approve|reject [--approver NAME]
        [--sqs-endpoint http://127.0.0.1:5000] [--sfn-endpoint http://127.0.0.1:8083]

Uses boto3 and test credentials. Prints the request it decided on.
"""
import argparse
import json
import sys

import boto3

QUEUE = "approval-requests"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--decision", choices=["approve", "reject", "fail"], required=True)
    p.add_argument("--approver", default="alice")
    p.add_argument("--sqs-endpoint", default="http://127.0.0.1:5000")
    p.add_argument("--sfn-endpoint", default="http://127.0.0.1:8083")
    p.add_argument("--wait", type=int, default=10, help="seconds to wait for a request")
    a = p.parse_args()
    creds = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    sqs = boto3.client("sqs", endpoint_url=a.sqs_endpoint, **creds)
    sfn = boto3.client("stepfunctions", endpoint_url=a.sfn_endpoint, **creds)
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=a.wait)
    if not got.get("Messages"):
        sys.exit("no approval request in the queue")
    message = got["Messages"][0]
    body = json.loads(message["Body"])
    print(json.dumps(body["Request"]))
    if a.decision == "fail":
        sfn.send_task_failure(taskToken=body["TaskToken"], error="ApproverUnavailable",
                              cause=f"{a.approver} could not decide")
    else:
        status = "Approved!" if a.decision == "approve" else "Rejected!"
        sfn.send_task_success(taskToken=body["TaskToken"],
                              output=json.dumps({"Status": status, "Approver": a.approver}))
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    main()
