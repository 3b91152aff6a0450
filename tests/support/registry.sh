# Bash helpers (sourced) that run a real registry (distribution 2.8, the
# Debian package docker-registry) on 127.0.0.1 with a port the kernel picks
# and a throw-away data directory. Nothing listens beyond loopback.
#
#   registry_start [--no-delete]   sets REG_DIR, REG_PID, REG_PORT
#   registry_stop                  kills it and removes REG_DIR

registry_start() {
  local delete=true
  [ "${1:-}" = --no-delete ] && delete=false
  REG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/alien-ar-reg-XXXXXX")
  cat >"$REG_DIR/config.yml" <<YML
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  delete:
    enabled: $delete
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:0
  secret: alien-ar-test-only
YML
  : >"$REG_DIR/registry.log"   # exists before the server writes to it
  docker-registry serve "$REG_DIR/config.yml" >"$REG_DIR/registry.log" 2>&1 &
  REG_PID=$!
  REG_PORT=
  for _ in $(seq 1 500); do
    REG_PORT=$(sed -n 's/.*msg="listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
               "$REG_DIR/registry.log")
    if [ -n "$REG_PORT" ] && (exec 3<>"/dev/tcp/127.0.0.1/$REG_PORT") 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$REG_PID" 2>/dev/null; then
      echo "registry failed to start:" >&2
      cat "$REG_DIR/registry.log" >&2
      return 1
    fi
    sleep 0.01
  done
  echo "registry did not come up within 5 s" >&2
  return 1
}

registry_stop() {
  if [ -n "${REG_PID:-}" ]; then
    kill "$REG_PID" 2>/dev/null || true
    wait "$REG_PID" 2>/dev/null || true
    REG_PID=
  fi
  if [ -n "${REG_DIR:-}" ]; then
    rm -rf "$REG_DIR"
    REG_DIR=
  fi
}
