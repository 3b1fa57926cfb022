#!/bin/sh
# Install GovPub into ./.venv and start it with demo data at http://127.0.0.1:8000/
. "$(dirname "$0")/bootstrap.sh"
exec .venv/bin/govpub serve --demo "$@"
