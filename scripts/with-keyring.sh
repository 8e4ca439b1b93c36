#!/bin/sh
# Runs CMD inside a D-Bus session with an unlocked GNOME Keyring, so the keyring tests of
# wheelhouse-secrets talk to a real Secret Service:
#
#   scripts/with-keyring.sh cargo test -p wheelhouse-secrets
#
# The keyring lives in a scratch HOME/XDG_DATA_HOME (mktemp -d), removed when CMD is done; set
# WHEELHOUSE_KEEP_HOME=1 to keep your HOME. Without a session bus (DBUS_SESSION_BUS_ADDRESS unset)
# it re-runs itself under dbus-run-session, so the bus and the keyring daemon end with CMD. Inside
# an existing desktop session the tests use that session's keyring and remove what they add.
# Needs: dbus (dbus-run-session), gnome-keyring.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]  (for example: $0 cargo test -p wheelhouse-secrets)" >&2
    exit 2
fi

# The scratch HOME is made first, so the session bus and every daemon it starts use it too.
if [ -z "${WHEELHOUSE_KEEP_HOME:-}" ] && [ -z "${WHEELHOUSE_SCRATCH_HOME:-}" ]; then
    # Cargo and rustup find their homes through HOME; pin them before HOME moves.
    export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
    export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
    WHEELHOUSE_SCRATCH_HOME=$(mktemp -d "${TMPDIR:-/tmp}/wheelhouse-keyring.XXXXXX")
    export WHEELHOUSE_SCRATCH_HOME
    export HOME="$WHEELHOUSE_SCRATCH_HOME" XDG_DATA_HOME="$WHEELHOUSE_SCRATCH_HOME/.local/share"
    trap 'rm -rf "$WHEELHOUSE_SCRATCH_HOME"' EXIT
    trap 'exit 130' INT TERM
    status=0
    "$0" "$@" || status=$?
    exit "$status"
fi

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    if ! command -v dbus-run-session >/dev/null 2>&1; then
        echo "$0: dbus-run-session not found; install the dbus package (apt-get install dbus)" >&2
        exit 1
    fi
    exec dbus-run-session -- "$0" "$@"
fi

if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "$0: gnome-keyring-daemon not found; install the gnome-keyring package" >&2
    exit 1
fi

# The daemon prints the variables its clients need (GNOME_KEYRING_CONTROL=...); export each one.
assignments=$(printf %s test | gnome-keyring-daemon --unlock --components=secrets)
while IFS= read -r assignment; do
    case "$assignment" in
        [A-Z_]*=*) export "$assignment" ;;
    esac
done <<EOF
$assignments
EOF

exec "$@"
