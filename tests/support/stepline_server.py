"""Start and stop a built `stepline` server for tests.

The server runs on a free loopback port with its own SQLite file in a
temporary directory; it is stopped by PID (SIGTERM, then SIGKILL).

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
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def kill(self):
        self.stop(sig=signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start()

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)
