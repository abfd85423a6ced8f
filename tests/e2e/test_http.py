"""End-to-end checks of stepline's HTTP layer over raw sockets.

Health endpoint, keep-alive, the `sync-` Host prefix, header-name case, the
exact response headers, 100-continue, 413 for oversized bodies, 400 for
malformed requests, and that the server survives all of it and stops
cleanly on SIGTERM.

    python3 tests/e2e/test_http.py --binary build/server/stepline
"""

import email.utils
import json
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stepline_server import SteplineServer, parse_args  # noqa: E402

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MAX_BODY = 4 * 1048576  # common/limits.h kMaxHttpBodyBytes
BINARY = None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # [(name, value)] as sent
        self.body = body

    def header(self, name):
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return values[0] if values else None

    def json(self):
        return json.loads(self.body)


class RawConnection:
    """One TCP connection; requests are raw bytes, responses are parsed."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.reader = self.sock.makefile("rb")

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def read(self):
        """The next response, or None when the server closed the connection."""
        try:
            line = self.reader.readline()
        except ConnectionResetError:
            return None
        if not line:
            return None
        status = int(line.split()[1])
        headers = []
        while True:
            line = self.reader.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            headers.append((name, value.strip()))
        length = int(next((v for n, v in headers if n.lower() == "content-length"), "0"))
        return Response(status, headers, self.reader.read(length))

    def request(self, data):
        self.send(data)
        return self.read()

    def close(self):
        self.reader.close()
        self.sock.close()


def post(target, body="{}", host="localhost", headers=None, names=None):
    """A POST / with the usual SDK headers; `names` renames them (for case tests)."""
    body = body.encode() if isinstance(body, str) else body
    names = names or {}
    fields = [("Host", host), ("X-Amz-Target", target),
              ("Content-Type", "application/x-amz-json-1.0"),
              ("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/states/"
                                "aws4_request, SignedHeaders=host, Signature=00"),
              ("Content-Length", str(len(body)))] + list(headers or [])
    head = "".join(f"{names.get(n, n)}: {v}\r\n" for n, v in fields)
    return f"POST / HTTP/1.1\r\n{head}\r\n".encode() + body


class HttpLayerTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = SteplineServer(BINARY)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            print(cls.server.log())
        cls.server.cleanup()

    def setUp(self):
        self.conn = RawConnection(self.server.port)

    def tearDown(self):
        self.conn.close()
        self.assertTrue(self.server.alive(), self.server.log())
        self.assertTrue(self.server.healthy(), "the server stopped answering /health")

    def assert_aws_headers(self, response):
        self.assertEqual(response.header("Content-Type"), "application/x-amz-json-1.0")
        self.assertEqual(int(response.header("Content-Length")), len(response.body))
        self.assertRegex(response.header("x-amzn-RequestId") or "", UUID)
        date = email.utils.parsedate_to_datetime(response.header("Date"))
        self.assertLess(abs(date.timestamp() - time.time()), 60)

    def assert_error(self, response, status, error_type=None):
        self.assertEqual(response.status, status, response.body)
        self.assert_aws_headers(response)
        body = response.json()
        self.assertIn("message", body)
        if error_type:
            self.assertEqual(body["__type"], error_type)
        self.assertEqual(response.header("x-amzn-ErrorType"), body["__type"])

    def test_health_answers_ok(self):
        for path in ("/health", "/"):
            response = self.conn.request(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(response.status, 200)
            self.assertEqual(response.json(), {"status": "ok"})

    def test_unknown_target_is_a_json_error_with_the_aws_headers(self):
        response = self.conn.request(post("AWSStepFunctions.NoSuchAction"))
        body = response.json()
        if response.status == 500:  # the API is not built in yet
            self.assert_error(response, 500, "InternalFailure")
            self.assertIn("not ready", body["message"])
        else:
            self.assert_error(response, 400)
            self.assertIn("UnknownOperation", body["__type"])

    def test_two_requests_share_one_kept_alive_connection(self):
        first = self.conn.request(post("AWSStepFunctions.ListStateMachines"))
        second = self.conn.request(post("AWSStepFunctions.ListStateMachines"))
        self.assertEqual(first.status, second.status)
        self.assertNotEqual(first.header("x-amzn-RequestId"), second.header("x-amzn-RequestId"))
        self.assertNotEqual((first.header("Connection") or "").lower(), "close")
        self.assertEqual(self.conn.request("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status, 200)

    def test_sync_prefixed_host_is_served_like_any_other(self):
        plain = self.conn.request(post("AWSStepFunctions.ListStateMachines"))
        for host in (f"sync-localhost:{self.server.port}", f"sync-127.0.0.1:{self.server.port}"):
            synced = self.conn.request(post("AWSStepFunctions.ListStateMachines", host=host))
            self.assertEqual(synced.status, plain.status)
            self.assert_aws_headers(synced)

    def test_header_names_are_case_insensitive(self):
        target = "AWSStepFunctions.ListStateMachines"
        canonical = self.conn.request(post(target))
        for case in (str.lower, str.upper):
            renamed = {n: case(n) for n in ("Host", "X-Amz-Target", "Content-Type",
                                             "Authorization", "Content-Length")}
            # A misread Content-Length would leave the body unread and break the next request.
            response = self.conn.request(post(target, body='{"maxResults": 1}', names=renamed))
            self.assertEqual(response.status, canonical.status, response.body)
        self.assertEqual(self.conn.request(post(target)).status, canonical.status)

    def test_expect_100_continue_gets_an_interim_response(self):
        self.conn.send(post("AWSStepFunctions.ListStateMachines", body=b"",
                            headers=[("Expect", "100-continue")]).replace(
            b"Content-Length: 0", b"Content-Length: 2"))
        interim = self.conn.read()
        self.assertEqual(interim.status, 100)
        self.conn.send(b"{}")
        final = self.conn.read()
        self.assertIn(final.status, (200, 500))
        self.assert_aws_headers(final)

    def test_an_oversized_body_is_a_413_json_error(self):
        body = b"x" * (MAX_BODY + 1)
        try:
            self.conn.send(post("AWSStepFunctions.StartExecution", body=body))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer before the whole body is sent
        response = self.conn.read()
        self.assertIsNotNone(response, "connection closed without a 413")
        self.assert_error(response, 413)
        self.assertIsNone(self.conn.read(), "the connection should close after a 413")

    def test_a_declared_oversized_body_is_refused_before_it_is_sent(self):
        self.conn.send(post("AWSStepFunctions.StartExecution", body=b"",
                            headers=[("Expect", "100-continue")]).replace(
            b"Content-Length: 0", f"Content-Length: {MAX_BODY * 4}".encode()))
        self.assert_error(self.conn.read(), 413)

    def test_a_malformed_request_line_is_a_400_and_closes(self):
        response = self.conn.request(b"THIS IS NOT HTTP\r\n\r\n")
        self.assertIsNotNone(response)
        self.assert_error(response, 400)
        self.assertIsNone(self.conn.read())

    def test_garbage_header_fields_are_a_400(self):
        response = self.conn.request(b"POST / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
        self.assert_error(response, 400)

    def test_a_client_that_hangs_up_mid_request_does_no_harm(self):
        self.conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":")
        self.conn.close()
        self.conn = RawConnection(self.server.port)
        self.assertEqual(self.conn.request("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status, 200)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_with_an_idle_kept_alive_connection_exits_cleanly(self):
        server = SteplineServer(BINARY)
        server.start()
        conn = RawConnection(server.port)
        try:
            self.assertEqual(conn.request("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status, 200)
            started = time.monotonic()
            self.assertEqual(server.stop(timeout=10), 0, server.log())
            self.assertLess(time.monotonic() - started, 5)
            self.assertIsNone(conn.read())
        finally:
            conn.close()
            server.stop()
            server.cleanup()


if __name__ == "__main__":
    BINARY = parse_args(__doc__.splitlines()[0]).binary
    unittest.main(argv=[sys.argv[0], "-v"])
