"""Start and stop a built `stepline` server for tests.

The server runs on a free loopback port with its own SQLite file in a
temporary directory; it is stopped by PID (SIGTERM, then SIGKILL). Stopping
raises sanitizer_log.ServerFailure when the server printed a sanitizer report
or did not exit 0 after SIGTERM (see sanitizer_log.py).

    with SteplineServer(binary) as server:
        server.endpoint  # "http://127.0.0.1:PORT"
        server.restart() # same database, same port
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

from sanitizer_log import check_stopped


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SteplineServer:
    def __init__(self, binary, env=None, args=(), db=None, port=None):
        self.binary = os.path.abspath(binary)
        self.port = port or free_port()
        self._tmp = tempfile.mkdtemp(prefix="stepline-test-")
        self.db = db or os.path.join(self._tmp, "stepline.db")
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.args = list(args)
        self.log_path = os.path.join(self._tmp, "server.log")
        self.proc = None

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=20):
        log = open(self.log_path, "ab")
        self._log_offset = log.tell()
        cmd = [self.binary, "--host", "127.0.0.1", "--port", str(self.port), "--db", self.db]
        self.proc = subprocess.Popen(cmd + self.args, env=self.env, stdout=log, stderr=log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("stepline exited with %s:\n%s" % (self.proc.returncode, self.log()))
            try:
                with urllib.request.urlopen(self.endpoint + "/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("stepline did not answer /health within %ss:\n%s" % (timeout, self.log()))

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stops the server with `sig` (SIGKILL after `timeout` s); raises
        ServerFailure for a sanitizer report or a bad exit after SIGTERM."""
        if self.proc is None or getattr(self, "_checked", None) is self.proc:
            return
        terminated = self.proc.poll() is None and sig == signal.SIGTERM
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._checked = self.proc
        check_stopped(self.log(since_start=True), self.proc.returncode, terminated)

    def kill(self):
        self.stop(sig=signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start()

    def log(self, since_start=False):
        """The log's last 4000 characters, or all the current process printed."""
        try:
            with open(self.log_path, "rb") as f:
                if since_start:
                    f.seek(getattr(self, "_log_offset", 0))
                text = f.read().decode("utf-8", "replace")
                return text if since_start else text[-4000:]
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)
