"""Makes a stepline server's sanitizer reports and bad exits fail the test.

A server built with ASan/UBSan/TSan (scripts/test-sanitizers.sh) prints its
reports to stderr, which the test helpers send to the server's log; a leak is
reported only at exit, and then the exit status is the sanitizer's exitcode
instead of 0. The helpers call check_stopped() whenever they stop a server:

    check_stopped(log_text, returncode, terminated=True)

raises ServerFailure when the log holds a sanitizer report (whatever the exit),
or when a server stopped with SIGTERM did not exit 0 (a crash, a leak report
or a shutdown that needed SIGKILL). A server killed on purpose (SIGKILL) or
that exited by itself is judged by its log alone.
"""

import re

# The first line of each sanitizer's report (ASan, LSan, UBSan, TSan).
_REPORT = re.compile(
    r"^(==\d+==ERROR: \w+Sanitizer|WARNING: ThreadSanitizer|.*:\d+:\d+: runtime error: |"
    r"SUMMARY: \w+Sanitizer)", re.MULTILINE)


class ServerFailure(AssertionError):
    """The server under test reported a sanitizer error or exited badly."""


def find_report(log_text):
    """The sanitizer report in `log_text` (from its first line on), or None."""
    match = _REPORT.search(log_text)
    return log_text[match.start():][:8000] if match else None


def check_stopped(log_text, returncode, terminated):
    """Raises ServerFailure for a sanitizer report, or a non-zero exit after SIGTERM."""
    report = find_report(log_text)
    if report:
        raise ServerFailure("stepline reported a sanitizer error (exit %s):\n%s"
                            % (returncode, report))
    if terminated and returncode != 0:
        raise ServerFailure("stepline exited with %s after SIGTERM (-9: it did not stop "
                            "in time and was killed):\n%s" % (returncode, log_text[-4000:]))
