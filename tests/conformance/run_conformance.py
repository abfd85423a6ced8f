"""Run the AWS-recorded conformance corpus against a freshly started stepline.

Usage: python3 run_conformance.py --binary build/server/stepline --shared ../shared \
           [--known-failures FILE] [--level history] [-j 4] [-- extra runner args]

Exit status: the runner's (1 when a failure is not in the known-failures
file), or 77 (skip) when the shared corpus is not there.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--shared", required=True)
    p.add_argument("--known-failures")
    p.add_argument("--level", default="history")
    p.add_argument("-j", "--jobs", default="4")
    p.add_argument("--wait-time-scale", default="0.01")
    args, extra = p.parse_known_args()
    runner = os.path.join(args.shared, "tools", "sfn_conformance.py")
    if not os.path.exists(runner):
        print("SKIP: %s not found" % runner)
        return 77
    env = {"WAIT_TIME_SCALE": args.wait_time_scale, "STEPLINE_LOG_LEVEL": "warn"}
    with SteplineServer(args.binary, env=env) as server:
        cmd = [sys.executable, runner, "--endpoint", server.endpoint, "--level", args.level,
               "-j", args.jobs]
        if args.known_failures:
            cmd += ["--known-failures", args.known_failures]
        cmd += [a for a in extra if a != "--"]
        result = subprocess.run(cmd)
        if result.returncode not in (0, 1):
            print(server.log())
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
