#!/bin/sh
# start the api in prod
exec /api --port 8080 "$@"
