"""Start and stop `python3 -m moto.server` (AWS-compatible S3, DynamoDB, SQS,
SNS, ...) on a free loopback port for tests; stopped by its PID.

    with MotoServer() as moto:
        moto.endpoint          # "http://127.0.0.1:PORT"
        moto.client("s3")      # a boto3 client pointed at it
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from stepline_server import free_port

REGION = "us-east-1"


class MotoServer:
    def __init__(self, env=None):
        self.port = None
        self.process = None
        self.env = dict(os.environ)
        self.env.update(env or {})
        self._log = tempfile.TemporaryFile()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30.0):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer within {timeout} s:\n{self.log()}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log(self):
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id="test", aws_secret_access_key="test")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
