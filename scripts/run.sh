#!/usr/bin/env bash
# Set everything up from a fresh clone and start Deskpilot on the embedded defaults with demo data.
source "$(dirname "$0")/common.sh"
setup_python
build_frontend_if_needed
exec "$UV" run deskpilot serve "$@"
