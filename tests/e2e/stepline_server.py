"""Runs a built `stepline` binary for end-to-end tests.

SteplineServer starts the binary on a free loopback port with a database in
a fresh temporary directory, waits until GET /health answers, and stops it
by its PID (SIGTERM, then SIGKILL after a timeout). It builds nothing.
Stopping raises sanitizer_log.ServerFailure when the server printed a
sanitizer report or did not exit 0 after SIGTERM (tests/support/sanitizer_log.py).

    with SteplineServer(binary) as server:
        sfn = server.client()              # boto3 Step Functions client
        http.client.HTTPConnection("127.0.0.1", server.port)

Standard library only; boto3 is imported when client() is called.
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sanitizer_log import check_stopped  # noqa: E402


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_args(description):
    """The arguments every e2e script takes: --binary PATH."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--binary", required=True, help="path to the built stepline binary")
    return parser.parse_args()


class SteplineServer:
    """One stepline process. Use as a context manager, or start()/stop()."""

    def __init__(self, binary, args=(), env=None, log_level="info"):
        self.binary = os.path.abspath(binary)
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.log_level = log_level
        self.port = None
        self.process = None
        self.tmpdir = None
        self.startup_seconds = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self):
        return os.path.join(self.tmpdir, "stepline.db")

    def start(self, timeout=20.0, poll_interval=0.01, attempts=3):
        """Starts the server; returns seconds until /health first answered."""
        self.tmpdir = tempfile.mkdtemp(prefix="stepline-e2e-")
        for attempt in range(attempts):
            self.port = free_port()
            self._spawn()
            try:
                return self._wait_healthy(timeout, poll_interval)
            except RuntimeError:
                if self.process.poll() is None or attempt == attempts - 1:
                    self.stop()
                    raise
                # The free port was taken meanwhile: try another one.
        raise AssertionError("unreachable")

    def _spawn(self):
        self._log = open(os.path.join(self.tmpdir, "server.log"), "ab")
        self._log_offset = self._log.tell()
        command = [self.binary, "--host", "127.0.0.1", "--port", str(self.port),
                   "--db", self.db_path, "--log-level", self.log_level] + self.args
        self._started_at = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=self.env)

    def _wait_healthy(self, timeout, poll_interval):
        deadline = self._started_at + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"stepline exited with {self.process.returncode}:\n{self.log()}")
            if self.healthy(timeout=1.0):
                self.startup_seconds = time.monotonic() - self._started_at
                return self.startup_seconds
            time.sleep(poll_interval)
        raise RuntimeError(f"stepline did not answer /health within {timeout} s:\n{self.log()}")

    def healthy(self, timeout=2.0):
        """True when GET /health answers 200 right now."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", "/health")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def restart(self, timeout=20.0, poll_interval=0.01):
        """Stops the process and starts a new one on the same database."""
        self.stop()
        self.port = free_port()
        self._spawn()
        return self._wait_healthy(timeout, poll_interval)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout=10.0):
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code. Raises
        ServerFailure for a sanitizer report in the log, or (when this call sent
        SIGTERM) an exit code other than 0."""
        if self.process is None:
            return None
        if getattr(self, "_checked", None) is self.process:
            return self.process.returncode
        terminated = self.process.poll() is None
        if terminated:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        self._checked = self.process
        check_stopped(self.log(since_start=True), self.process.returncode, terminated)
        return self.process.returncode

    def log(self, since_start=False):
        """What the server printed so far (only the current process's, with since_start)."""
        try:
            with open(os.path.join(self.tmpdir, "server.log"), "rb") as f:
                if since_start:
                    f.seek(getattr(self, "_log_offset", 0))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def cleanup(self):
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def client(self, service="stepfunctions", region="us-east-1", **config):
        """A boto3 client for this server (test credentials, no retries by default)."""
        import boto3
        from botocore.config import Config
        config.setdefault("retries", {"max_attempts": 1})
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(**config))

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        if exc[0] is None:
            self.cleanup()
        else:
            print(f"--- stepline log ({self.tmpdir}) ---\n{self.log()}")
        return False
