# Shared by the bench scripts (sourced): the synthetic repositories they measure on, and a display.

# envs_repo DIR [ARGS…]: the synthetic environments repository (bench/synthetic-environments.py
# ARGS, e.g. --components) committed in DIR, made once and kept.
envs_repo() {
  local repo="$1"
  shift
  [ -d "$repo/.git" ] && return 0
  rm -rf "$repo" && mkdir -p "$repo"
  python3 bench/synthetic-environments.py "$repo" "$@"
  git -C "$repo" init -q -b main
  git -C "$repo" -c user.name=Bench -c user.email=bench@example.com add -A
  git -C "$repo" -c user.name=Bench -c user.email=bench@example.com commit -qm synthetic
}

# own_display FIRST: an Xvfb on the first free display number from FIRST (1280x800) and a scratch
# HOME; exports DISPLAY, NO_AT_BRIDGE and HOME, and sets $xvfb (its pid) and $scratch (the folder)
# for the caller's EXIT trap to kill and remove.
own_display() {
  local display="$1"
  while [ -e "/tmp/.X11-unix/X$display" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  scratch=$(mktemp -d)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
  export DISPLAY=":$display" NO_AT_BRIDGE=1 HOME="$scratch"
}
