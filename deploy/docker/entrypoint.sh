#!/bin/sh
# Chooses what the container runs, so one image serves every role.
#   taskstream                 → the role in SERVICES; SERVICES unset: every service in one process
#   taskstream <role>          → that role: api | notifications | recurrence | audit | realtime | embedded
#   taskstream migrate         → apply the database migrations and exit (the Helm hook Job)
#   taskstream <command> ...   → anything else is run as given (e.g. `node -e ...`, `sh`)
# SERVICES with several roles (SERVICES=api,audit), or none, runs the embedded process, which
# composes the services SERVICES names (all of them when unset) in one process. SERVICES is
# also read by the apps' config (a comma list of api, notifications, recurrence, audit, realtime).
set -eu

run_role() {
  case "$1" in
    migrate) exec node apps/api/dist/migrate-main.js ;;
    api | notifications | recurrence | audit | realtime | embedded)
      if [ ! -f "apps/$1/dist/main.js" ]; then
        echo "taskstream: role '$1' is not built into this image (no apps/$1/dist/main.js)" >&2
        exit 64
      fi
      exec node "apps/$1/dist/main.js" ;;
    *) return 1 ;;
  esac
}

if [ "$#" -gt 0 ]; then
  run_role "$1" || exec "$@"
fi

roles=$(printf '%s' "${SERVICES:-}" | tr -d ' ')
case "$roles" in
  '' | *,*) exec node apps/embedded/dist/main.js ;;
  *) run_role "$roles" || { echo "taskstream: unknown SERVICES='$roles' (api, notifications, recurrence, audit, realtime, embedded, or a comma list)" >&2; exit 64; } ;;
esac
