# Sourced by the benchmarks: sets $duckdb to DuckDB's CLI, from the PATH or
# installed with pip (package duckdb-cli) into a virtual environment in the
# folder $1; empty, with a line saying so, when it cannot be had.
duckdb=$(command -v duckdb || true)
if [ -z "$duckdb" ]; then
    if [ -x "$1/venv/bin/duckdb" ]; then
        duckdb=$1/venv/bin/duckdb
    else
        echo "installing DuckDB's CLI (pip package duckdb-cli) into $1/venv" >&2
        if python3 -m venv "$1/venv" >/dev/null 2>&1 &&
            "$1/venv/bin/pip" install -q duckdb-cli >/dev/null 2>&1 &&
            [ -x "$1/venv/bin/duckdb" ]; then
            duckdb=$1/venv/bin/duckdb
        else
            echo "bench: DuckDB's CLI could not be had (no duckdb, and pip install duckdb-cli failed)" >&2
        fi
    fi
fi
