#!/usr/bin/env bash
# Builds the image from the repository's Dockerfile and checks it for real,
# with Debian's podman/buildah and runc (no Docker engine needed), as
# ../shared/reference/oci-build-without-docker.md describes:
#   - installs podman, buildah, runc, debootstrap, docker-compose via apt if missing;
#   - makes the debian:bookworm-slim base image locally with debootstrap;
#   - builds the image once (nice -n 10), checks its size (< STEPLINE_IMAGE_MAX_MB,
#     default 40), user, health check, and that it holds no compiler or shell;
#   - validates docker/compose.yml against the Compose schema (`docker-compose config`:
#     Debian's docker-compose 1.29 needs no engine; podman-compose 1.0.3 has no `config`);
#   - runs it on a free loopback port with a named volume on /data and drives it
#     with Debian's aws-cli v2 (/usr/bin/aws): a Pass/Wait/Choice state machine,
#     an execution and its output; then stops it, starts a new container on the
#     same volume and checks the execution is still there; last, runs the compose
#     file's mock example (docker/mock.json as SFN_MOCK_CONFIG, docker/order-flow.asl.json).
# All container state lives in a temporary directory, removed on exit with
# every container and volume made here. Exits non-zero when anything fails,
# including when podman cannot run on this machine. Needs root (rootful podman,
# debootstrap); re-runs itself with sudo when it can.
#
#   docker/test-image.sh
# Environment:
#   STEPLINE_DOCKER_CONTEXT  build context (default: the repository)
#   STEPLINE_OCI_DIR         keep container state (base image, build cache) in this
#                            directory across runs instead of a temporary one
#   STEPLINE_IMAGE_MAX_MB    size limit of the runtime image (default 40)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
context="${STEPLINE_DOCKER_CONTEXT:-$root}"
max_mb="${STEPLINE_IMAGE_MAX_MB:-40}"
image=localhost/stepline:test
started_ms=$(date +%s%3N)

log() { echo "test-image: $*" >&2; }
fail() {
  echo "test-image: FAIL: $*" >&2
  exit 1
}
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=STEPLINE_DOCKER_CONTEXT,STEPLINE_OCI_DIR,STEPLINE_IMAGE_MAX_MB \
      bash "${BASH_SOURCE[0]}" "$@"
  fi
  fail "needs root (rootful podman, debootstrap) and sudo is not available without a password"
fi

# --- tools -----------------------------------------------------------------

install_missing() {
  local -A need=([podman]=podman [buildah]=buildah [runc]=runc [debootstrap]=debootstrap
    [docker-compose]=docker-compose [curl]=curl [python3]=python3)
  local missing=() cmd
  for cmd in "${!need[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
  done
  [ -x /usr/bin/aws ] || missing+=(awscli)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "podman is not installed and there is no apt-get: ${missing[*]}"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq "${missing[@]}" >/dev/null || fail "could not install ${missing[*]}"
}
install_missing

# --- container state under one directory ------------------------------------

if [ -n "${STEPLINE_OCI_DIR:-}" ]; then
  W="$STEPLINE_OCI_DIR"
  keep_state=1
else
  W="$(mktemp -d /tmp/stepline-oci.XXXXXX)"
  keep_state=0
fi
mkdir -p "$W/conf" "$W/tmp"
nofile="$(ulimit -Hn)"
[ "$nofile" = unlimited ] && nofile=1048576
cat >"$W/conf/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$W/storage"
runroot = "$W/run"
EOF
cat >"$W/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
tmp_dir = "$W/libpod-tmp"
[network]
network_config_dir = "$W/networks"
EOF
export CONTAINERS_STORAGE_CONF="$W/conf/storage.conf" CONTAINERS_CONF="$W/conf/containers.conf"
export TMPDIR="$W/tmp"

containers=()
volumes=()
cleanup() {
  local rc=$?
  set +e
  for c in "${containers[@]}"; do podman rm -f -t 2 "$c" >/dev/null 2>&1; done
  for v in "${volumes[@]}"; do podman volume rm -f "$v" >/dev/null 2>&1; done
  if [ "$keep_state" -eq 0 ]; then
    buildah rm --all >/dev/null 2>&1
    # Only ever reset the store under $W, never the machine's default one.
    if [ "$(podman info --format '{{.Store.GraphRoot}}' 2>/dev/null)" = "$W/storage" ]; then
      podman system reset -f >/dev/null 2>&1
    fi
    grep -o " $W/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$W"
  fi
  log "total $(seconds_since "$started_ms") s; exit $rc"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fails (never skips) when podman cannot work here.
podman info >"$W/podman-info.txt" 2>&1 ||
  fail "podman cannot run on this machine: $(tail -3 "$W/podman-info.txt")"
podman run --help >/dev/null 2>&1 || fail "podman cannot run containers"

# --- docker/compose.yml ------------------------------------------------------------

(cd "$root/docker" && docker-compose -f compose.yml config) >"$W/compose.txt" 2>&1 ||
  fail "docker-compose config rejects docker/compose.yml: $(tail -5 "$W/compose.txt")"
python3 - "$root/docker/compose.yml" "$root/docker/mock.json" <<'EOF' || fail "docker/compose.yml: wrong content (above)"
import json, sys, yaml
compose = yaml.safe_load(open(sys.argv[1]))
json.load(open(sys.argv[2]))
s = compose["services"]
main, mock = s["stepline"], s["stepline-mock"]
assert "localstack" in s, "no localstack service"
assert main["environment"]["AWS_ENDPOINT_URL"] == "http://localstack:4566", "AWS_ENDPOINT_URL"
assert "sync-stepline" in main["networks"]["default"]["aliases"], "no sync-stepline alias"
assert main["build"]["context"] == "..", "build context"
assert "stepline-data:/data" in main["volumes"], "no volume on /data"
assert mock["environment"]["SFN_MOCK_CONFIG"] == "/config/mock.json", "SFN_MOCK_CONFIG"
assert "./mock.json:/config/mock.json:ro" in mock["volumes"], "mock file not mounted"
assert "mock" in mock["profiles"], "mock profile"
EOF
log "docker/compose.yml: docker-compose config accepts it"

# --- base image: debian:bookworm-slim from debootstrap ------------------------

if ! podman image exists docker.io/library/debian:bookworm-slim; then
  t0=$(now_ms)
  mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  log "debootstrap bookworm from $mirror"
  nice -n 10 debootstrap --variant=minbase bookworm "$W/rootfs" "$mirror" >"$W/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: $(tail -5 "$W/debootstrap.log")"
  chroot "$W/rootfs" apt-get clean
  rm -rf "$W"/rootfs/var/lib/apt/lists/*
  tar -C "$W/rootfs" -c . | podman import --change 'CMD ["bash"]' - docker.io/library/debian:bookworm-slim >"$W/import.log" 2>&1 ||
    fail "podman import of the base image failed"
  rm -rf "$W/rootfs"
  log "base image debian:bookworm-slim made in $(seconds_since "$t0") s"
fi

# --- build ---------------------------------------------------------------------

t0=$(now_ms)
log "building $image from $root/Dockerfile (context $context)"
# --format docker keeps HEALTHCHECK (the OCI format has no such field).
if ! nice -n 10 podman build --pull=never --network host --format docker \
  -f "$root/Dockerfile" -t "$image" "$context" >"$W/build.log" 2>&1; then
  tail -60 "$W/build.log" >&2
  fail "image build failed"
fi
build_s=$(seconds_since "$t0")
log "image built in $build_s s"

# --- static checks of the image ---------------------------------------------------

inspect() { podman image inspect --format "$1" "$image"; }
size_bytes=$(inspect '{{.Size}}')
size_mb=$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1000000 }')
log "image size: $size_mb MB ($size_bytes bytes, uncompressed)"
awk -v b="$size_bytes" -v m="$max_mb" 'BEGIN { exit !(b < m * 1000000) }' ||
  fail "image is $size_mb MB, over the $max_mb MB limit"

user=$(inspect '{{.Config.User}}')
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || fail "image runs as root (User='$user')"
[[ "$(inspect '{{json .Config.ExposedPorts}}')" == *'"8083/tcp"'* ]] || fail "8083/tcp is not exposed"
[[ "$(inspect '{{json .Config.Volumes}}')" == *'"/data"'* ]] || fail "/data is not a volume"
[[ "$(inspect '{{json .Config.Env}}')" == *'STEPLINE_DB=/data/stepline.db'* ]] || fail "STEPLINE_DB is not /data/stepline.db"
[[ "$(inspect '{{json .Config.Env}}')" == *'STEPLINE_HOST=0.0.0.0'* ]] || fail "STEPLINE_HOST is not 0.0.0.0"
health=$(inspect '{{json .Config.Healthcheck}}')
[[ "$health" == *'"stepline","--health-check"'* ]] || fail "no HEALTHCHECK stepline --health-check (got $health)"

probe=stepline-test-files-$$
containers+=("$probe")
podman create --name "$probe" "$image" >/dev/null 2>>"$W/podman.log"
podman export "$probe" | tar -t >"$W/files.txt"
podman rm "$probe" >/dev/null 2>>"$W/podman.log"
if grep -E '(^|/)(gcc|g\+\+|cc1plus|c\+\+|cc|ld|as|apt-get|dpkg|sh|bash)$' "$W/files.txt" >&2; then
  fail "the runtime image holds a compiler, a shell or a package manager (above)"
fi
log "runtime image: $(grep -vc '/$' "$W/files.txt") files, no compiler, shell or package manager"

# --- run it ---------------------------------------------------------------------------

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
volume=stepline-test-data-$$
volumes+=("$volume")
podman volume create "$volume" >/dev/null

# Starts a container on the volume (extra podman run arguments after the name); sets answer_ms, the ms from `podman run` to the first answer.
start_container() {
  local name=$1 t0 deadline
  shift
  containers+=("$name")
  t0=$(now_ms)
  # podman's stderr goes to a log: without systemd it complains about health-check timers.
  podman run -d --name "$name" --network host \
    -e STEPLINE_HOST=127.0.0.1 -e STEPLINE_PORT="$port" \
    -v "$volume:/data" "$@" "$image" >/dev/null 2>>"$W/podman.log" ||
    fail "podman run failed: $(tail -5 "$W/podman.log")"
  deadline=$((t0 + 30000))
  until curl -fsS -o /dev/null "$endpoint/health" 2>/dev/null; do
    if [ "$(now_ms)" -gt "$deadline" ] || [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then
      podman logs "$name" >&2 || true
      fail "container $name did not answer on $endpoint/health"
    fi
    sleep 0.01
  done
  answer_ms=$(($(now_ms) - t0))
}

start_container stepline-test-1-$$
first_answer_ms=$answer_ms
log "container answered $endpoint/health $first_answer_ms ms after podman run"

# The image's own HEALTHCHECK, run inside the container.
podman healthcheck run stepline-test-1-$$ >"$W/health.txt" 2>&1 ||
  fail "HEALTHCHECK failed inside the container: $(cat "$W/health.txt")"
log "HEALTHCHECK (stepline --health-check in the container): ok"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE="$W/aws-config" AWS_SHARED_CREDENTIALS_FILE="$W/aws-credentials"
aws() { /usr/bin/aws --endpoint-url "$endpoint" --output json stepfunctions "$@"; }
field() { python3 -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print(v if isinstance(v, str) else json.dumps(v))' "$1"; }

definition='{
  "Comment": "Pass, Wait and Choice (test-image.sh)",
  "StartAt": "Init",
  "States": {
    "Init": {"Type": "Pass", "Parameters": {"n.$": "$.n", "greeting": "hello"}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Big?"},
    "Big?": {"Type": "Choice",
             "Choices": [{"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Big"}],
             "Default": "Small"},
    "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": true},
    "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": true}
  }
}'
expected='{"greeting": "hello", "n": 5, "size": "big"}'

sm_arn=$(aws create-state-machine --name image-test --definition "$definition" \
  --role-arn arn:aws:iam::123456789012:role/stepline | field stateMachineArn) ||
  fail "create-state-machine failed"
exec_arn=$(aws start-execution --state-machine-arn "$sm_arn" --name run-1 --input '{"n": 5}' |
  field executionArn) || fail "start-execution failed"

# Waits for the execution to finish; sets status and described (describe-execution's answer).
wait_execution() {
  local arn=$1 deadline
  deadline=$(($(now_ms) + 30000))
  while :; do
    described=$(aws describe-execution --execution-arn "$arn") || fail "describe-execution $arn failed"
    status=$(field status <<<"$described")
    [ "$status" != RUNNING ] && break
    [ "$(now_ms)" -gt "$deadline" ] && fail "execution $arn still RUNNING after 30 s"
    sleep 0.2
  done
}

# Waits for the execution to finish; checks it SUCCEEDED with the expected output.
check_execution() {
  local arn=$1 want=$2 out
  wait_execution "$arn"
  out=$described
  [ "$status" = SUCCEEDED ] || fail "execution $arn is $status: $out"
  python3 -c 'import json, sys; got = json.loads(json.loads(sys.argv[1])["output"]); want = json.loads(sys.argv[2]); sys.exit(got != want)' \
    "$out" "$want" || fail "execution $arn output: $(field output <<<"$out"), expected $want"
}
check_execution "$exec_arn" "$expected"
events=$(aws get-execution-history --execution-arn "$exec_arn" |
  python3 -c 'import json, sys; e = json.load(sys.stdin)["events"]; print(len(e), e[-1]["type"])')
[[ "$events" == *" ExecutionSucceeded" ]] || fail "history does not end with ExecutionSucceeded: $events"
log "aws-cli: $sm_arn ran $exec_arn -> SUCCEEDED $expected ($events)"

# --- stop, restart on the same volume -------------------------------------------------

t0=$(now_ms)
podman stop -t 10 stepline-test-1-$$ >/dev/null 2>>"$W/podman.log"
rc=$(podman inspect --format '{{.State.ExitCode}}' stepline-test-1-$$)
[ "$rc" = 0 ] || fail "the server exited with status $rc on SIGTERM"
log "stopped gracefully (SIGTERM, exit 0) in $(seconds_since "$t0") s"
podman rm stepline-test-1-$$ >/dev/null 2>>"$W/podman.log"

db_owner=$(stat -c %u "$(podman volume inspect --format '{{.Mountpoint}}' "$volume")/stepline.db") ||
  fail "no stepline.db in the volume"
[ "$db_owner" != 0 ] || fail "stepline.db in the volume is owned by root"

start_container stepline-test-2-$$
second_answer_ms=$answer_ms
log "new container on the same volume answered after $second_answer_ms ms"
check_execution "$exec_arn" "$expected"
aws list-executions --state-machine-arn "$sm_arn" | grep -q '"run-1"' ||
  fail "list-executions after the restart does not list run-1"
exec2_arn=$(aws start-execution --state-machine-arn "$sm_arn" --name run-2 --input '{"n": 1}' |
  field executionArn) || fail "start-execution after the restart failed"
check_execution "$exec2_arn" '{"greeting": "hello", "n": 1, "size": "small"}'
log "after the restart: run-1 still SUCCEEDED with its output; run-2 ran on the same store"

# --- the compose file's mock example: docker/mock.json as SFN_MOCK_CONFIG ---------------

podman stop -t 10 stepline-test-2-$$ >/dev/null 2>>"$W/podman.log"
start_container stepline-test-mock-$$ -v "$root/docker/mock.json:/config/mock.json:ro" \
  -e SFN_MOCK_CONFIG=/config/mock.json -e STEPLINE_DB=:memory: -e WAIT_TIME_SCALE=0
flow_arn=$(aws create-state-machine --name OrderFlow --definition "file://$root/docker/order-flow.asl.json" \
  --role-arn arn:aws:iam::123456789012:role/stepline | field stateMachineArn) ||
  fail "create-state-machine OrderFlow failed"
happy_arn=$(aws start-execution --state-machine-arn "$flow_arn#HappyPath" --name happy \
  --input '{"order": "o-1"}' | field executionArn) || fail "start-execution OrderFlow#HappyPath failed"
check_execution "$happy_arn" '{"order": "o-1", "charge": {"charged": true, "amount": 42},
  "notify": {"messageId": "11111111-2222-3333-4444-555555555555"}}'
retries=$(aws get-execution-history --execution-arn "$happy_arn" |
  python3 -c 'import json, sys; print(sum(e["type"] == "TaskFailed" for e in json.load(sys.stdin)["events"]))')
[ "$retries" = 1 ] || fail "OrderFlow#HappyPath: expected one TaskFailed (the mocked throttle), got $retries"
declined_arn=$(aws start-execution --state-machine-arn "$flow_arn#CardDeclined" --name declined \
  --input '{"order": "o-2"}' | field executionArn) || fail "start-execution OrderFlow#CardDeclined failed"
wait_execution "$declined_arn"
[ "$status" = FAILED ] && [ "$(field error <<<"$described")" = CardDeclined ] ||
  fail "OrderFlow#CardDeclined: expected FAILED with CardDeclined, got $described"
log "mock config: OrderFlow#HappyPath SUCCEEDED (Charge retried once), #CardDeclined FAILED CardDeclined"

echo "test-image: PASS: image $size_mb MB; first answer $first_answer_ms ms after podman run" \
  "(restart: $second_answer_ms ms); image build $build_s s; total $(seconds_since "$started_ms") s"
