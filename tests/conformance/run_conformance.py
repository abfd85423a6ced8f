"""Run the AWS-recorded conformance corpus against a freshly started stepline.

Usage: python3 run_conformance.py --binary build/server/stepline --shared ../shared \
           [--known-failures FILE] [--level history] [-j 4] [--services] [-- extra runner args]

--services runs the service cases too (the corpus README's "services harness"):
it starts moto_server on a free loopback port, lets the runner serve the Lambda
Invoke API on another, and starts stepline with every endpoint variable pointed
at them (Step Functions Local names for some services, AWS_ENDPOINT_URL_<SVC>
for the others, so both conventions are exercised).

--known-failures may be given more than once (the service run uses the
no-service list plus known_failures_services.txt).

Exit status: the runner's (1 when a failure is not in the known-failures
files), or 77 (skip) when the shared corpus is not there, or, with --services,
when moto is not installed.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stepline_server import SteplineServer, free_port  # noqa: E402
from moto_server import MotoServer  # noqa: E402


def services_env(moto_endpoint, lambda_port):
    """Stepline's environment for the services harness."""
    lam = "http://127.0.0.1:%d" % lambda_port
    return {
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
        "LAMBDA_ENDPOINT": lam,
        "SQS_ENDPOINT": moto_endpoint,
        "SNS_ENDPOINT": moto_endpoint,
        "DYNAMODB_ENDPOINT": moto_endpoint,
        "EVENTBRIDGE_ENDPOINT": moto_endpoint,
        "AWS_ENDPOINT_URL_S3": moto_endpoint,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto_endpoint,
        "AWS_ENDPOINT_URL": moto_endpoint,
    }


def run(args, extra, runner, env, services_args):
    port = free_port()
    if services_args:  # nested executions call this same server
        env = dict(env, STEP_FUNCTIONS_ENDPOINT="http://127.0.0.1:%d" % port)
    with SteplineServer(args.binary, env=env, port=port) as server:
        cmd = [sys.executable, runner, "--endpoint", server.endpoint, "--level", args.level,
               "-j", args.jobs] + services_args
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as known:
            if args.known_failures:
                for path in args.known_failures:
                    with open(path, encoding="utf-8") as fh:
                        known.write(fh.read() + "\n")
                known.flush()
                cmd += ["--known-failures", known.name]
            cmd += [a for a in extra if a != "--"]
            result = subprocess.run(cmd)
        if result.returncode not in (0, 1):
            print(server.log())
        return result.returncode


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--shared", required=True)
    p.add_argument("--known-failures", action="append",
                   help="file of case ids expected to fail (may be repeated)")
    p.add_argument("--level", default="history")
    p.add_argument("-j", "--jobs", default="4")
    # Sanitized builds run several times slower: scripts/test-sanitizers.sh
    # sets STEPLINE_TEST_WAIT_TIME_SCALE so scaled TimeoutSeconds still fit.
    p.add_argument("--wait-time-scale",
                   default=os.environ.get("STEPLINE_TEST_WAIT_TIME_SCALE", "0.01"))
    p.add_argument("--services", action="store_true",
                   help="also run the service cases against moto + the runner's Lambda")
    args, extra = p.parse_known_args()
    runner = os.path.join(args.shared, "tools", "sfn_conformance.py")
    if not os.path.exists(runner):
        print("SKIP: %s not found" % runner)
        return 77
    env = {"WAIT_TIME_SCALE": args.wait_time_scale, "STEPLINE_LOG_LEVEL": "warn"}
    if not args.services:
        return run(args, extra, runner, env, [])
    if importlib.util.find_spec("moto") is None:
        print("SKIP: moto is not installed (pip install 'moto[server]')")
        return 77
    with MotoServer() as moto:
        lambda_port = free_port()
        env.update(services_env(moto.endpoint, lambda_port))
        return run(args, extra, runner, env, ["--services-endpoint", moto.endpoint,
                                              "--lambda-port", str(lambda_port)])


if __name__ == "__main__":
    sys.exit(main())
