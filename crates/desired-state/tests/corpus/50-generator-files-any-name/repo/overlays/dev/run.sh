#!/bin/sh
# start the api in dev
exec /api --port 8080 "$@"
