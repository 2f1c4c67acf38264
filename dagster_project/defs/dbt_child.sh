#!/bin/sh
# dbt as the pipeline's child: killed when the pipeline process dies, kill -9 included,
# so that it never goes on holding the warehouse's lock against the next run.
# setpriv (util-linux) sets the parent-death signal, then runs dbt in its place.
# The dbt run is the project environment's (.venv), else DOORSTROOM_DBT, else dbt on PATH.
root=$(cd "$(dirname "$0")/../.." && pwd)
dbt=${DOORSTROOM_DBT:-$root/.venv/bin/dbt}
[ -x "$dbt" ] || dbt=dbt
exec setpriv --pdeathsig KILL -- "$dbt" "$@"
