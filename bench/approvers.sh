# Sourced by the approvals benchmarks: five people (a…e) in one team `leads`, each with an SSH
# key listed in allowed_signers, and 50 signed approval records (10 rounds × 5 people).
#
#   people_and_signers REPO KEYS_DIR
#   approve_fifty CLI REPO KEYS_DIR BRANCH

people_and_signers() {
  local repo=$1 keys=$2 p
  mkdir -p "$repo/.wheelhouse" "$keys"
  {
    echo "people:"
    for p in a b c d e; do echo "  $p: {name: Person $p, email: $p@example.com}"; done
    echo "teams:"
    echo "  leads: [a, b, c, d, e]"
  } > "$repo/.wheelhouse/people.yaml"
  : > "$repo/.wheelhouse/allowed_signers"
  for p in a b c d e; do
    ssh-keygen -q -t ed25519 -N '' -C "$p@example.com" -f "$keys/$p"
    echo "$p@example.com namespaces=\"wheelhouse\" $(cut -d' ' -f1,2 "$keys/$p.pub")" >> "$repo/.wheelhouse/allowed_signers"
  done
}

approve_fifty() {
  local cli=$1 repo=$2 keys=$3 branch=$4 n p
  for n in $(seq 1 10); do
    for p in a b c d e; do
      git -C "$repo" config user.email "$p@example.com"
      "$cli" --repo "$repo" approve "$branch" --key "$keys/$p" --comment "round $n" >/dev/null
    done
  done
}
