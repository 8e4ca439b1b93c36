# Shared by the bench scripts (sourced): the synthetic repositories they measure on.

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
