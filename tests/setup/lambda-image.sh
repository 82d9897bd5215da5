#!/usr/bin/env bash
# A Docker engine and a Lambda-compatible python3.12 base image, built here: no registry can be
# pulled from on these machines, so `sam local invoke --skip-pull-image` must find
# public.ecr.aws/lambda/python:3.12 locally. Idempotent; run as root (make test / make sam-local).
#
#   bash tests/setup/lambda-image.sh /path/to/python3.12
#
# - installs Debian's docker.io and debootstrap when missing;
# - starts dockerd when none answers, with NO bridge and no iptables rules: containers get no
#   network of their own, nothing is routed to private ranges (the SAM tests run the Lambda
#   containers in the host's network namespace and talk to 127.0.0.1 only);
# - builds the image from a `debootstrap --variant=minbase bookworm` rootfs, a copy of the
#   project's Python 3.12, awslambdaric in /var/runtime and a /var/runtime/bootstrap, and
#   `docker import`s it under the tags SAM uses for python3.12. SAM adds its own bundled
#   aws-lambda-rie on top. Skipped when the tag exists with the same content label.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PY312=${1:-${PY312:-}}
[ -n "$PY312" ] || PY312=$(command -v python3.12 || true)
[ -x "$PY312" ] || { echo "lambda-image: no python3.12 given or found" >&2; exit 2; }
PYROOT=$(cd "$(dirname "$(readlink -f "$PY312")")/.." && pwd)  # the Python build's prefix
RIC_VERSION=4.2.2
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGE=public.ecr.aws/lambda/python
LOG_DIR=${SPCONNECTOR_DOCKERD_LOG_DIR:-/var/log/spconnector}
# Shared libraries the Python build's extension modules link against (ldd lib-dynload/*.so).
LIBS=libssl3,libffi8,zlib1g,libbz2-1.0,liblzma5,libsqlite3-0,libreadline8,libncursesw6,libuuid1,libexpat1,libnsl2,libtirpc3,ca-certificates

if [ "$(id -u)" != 0 ]; then
  echo "lambda-image: not root: install docker.io yourself and build the image as root" >&2
  exit 3
fi

# 1. Packages.
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends docker.io debootstrap \
    || { apt-get update && apt-get install -y --no-install-recommends docker.io debootstrap; }
fi

# 2. The engine.
if ! docker info >/dev/null 2>&1; then
  mkdir -p "$LOG_DIR"
  setsid nohup dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --userland-proxy=false --host unix:///var/run/docker.sock \
    >"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "lambda-image: dockerd did not start, see $LOG_DIR/dockerd.log" >&2; exit 1; }
fi

# 3. The image, unless the same one is already there.
PY_VERSION=$("$PY312" -c 'import sys; print(sys.version.split()[0])')
LABEL=$( { sha256sum "$0" | cut -d' ' -f1; echo "$PY_VERSION $PYROOT $RIC_VERSION"; } | sha256sum | cut -c1-16)
have=$(docker image inspect --format '{{ index .Config.Labels "org.spconnector.content" }}' "$IMAGE:3.12" 2>/dev/null || true)
if [ "$have" = "$LABEL" ] && docker image inspect "$IMAGE:3.12-x86_64" >/dev/null 2>&1; then
  echo "lambda-image: $IMAGE:3.12 is current ($LABEL)"
  exit 0
fi

WORK=$(mktemp -d /var/tmp/spconnector-lambda-image.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs
echo "lambda-image: debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase --include="$LIBS" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*

# The Python build at the same prefix (ld.so.conf finds its libpython), without its tests,
# Tk and site-packages (only pip and this machine's own additions live there).
mkdir -p "$ROOT$PYROOT"
tar -C "$PYROOT" --exclude='./lib/python3.12/test' --exclude='./lib/python3.12/idlelib' \
  --exclude='./lib/python3.12/tkinter' --exclude='./lib/python3.12/site-packages/*' \
  --exclude='__pycache__' -cf - . | tar -C "$ROOT$PYROOT" -xf -
echo "$PYROOT/lib" > "$ROOT/etc/ld.so.conf.d/python3.12.conf"
chroot "$ROOT" /sbin/ldconfig
mkdir -p "$ROOT/var/lang/bin" "$ROOT/var/runtime" "$ROOT/var/task" "$ROOT/opt"
for name in python3.12 python3 python; do
  ln -sf "$PYROOT/bin/python3.12" "$ROOT/var/lang/bin/$name"
  ln -sf "$PYROOT/bin/python3.12" "$ROOT/usr/local/bin/$name"
done

"$PY312" -m pip install -q --disable-pip-version-check --no-compile --target "$ROOT/var/runtime" \
  "awslambdaric==$RIC_VERSION"

# aws-lambda-rie runs this as the runtime: the handler is its argument (SAM passes it as the
# container command) or, without one, $_HANDLER.
cat >"$ROOT/var/runtime/bootstrap" <<'EOF'
#!/bin/sh
export PYTHONPATH="/var/runtime:/var/task:/opt/python${PYTHONPATH:+:$PYTHONPATH}"
exec /var/lang/bin/python3.12 -m awslambdaric "${1:-$_HANDLER}"
EOF
chmod 755 "$ROOT/var/runtime/bootstrap"

echo "lambda-image: docker import as $IMAGE:3.12 and $IMAGE:3.12-x86_64"
tar -C "$ROOT" -cf - . | docker import \
  --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin' \
  --change 'ENV LANG=en_US.UTF-8 TZ=:/etc/localtime LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime' \
  --change 'WORKDIR /var/task' \
  --change "LABEL org.spconnector.content=$LABEL" \
  --change 'ENTRYPOINT ["/var/runtime/bootstrap"]' \
  - "$IMAGE:3.12" >/dev/null
docker tag "$IMAGE:3.12" "$IMAGE:3.12-x86_64"
echo "lambda-image: built $IMAGE:3.12 ($LABEL)"
