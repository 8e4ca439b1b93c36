#!/usr/bin/env python3
"""Generates a large synthetic GitOps repository for benchmarks, with `git fast-import`.

    bench/synthetic-repo.py DIR [--files 10000] [--commits 50000] [--envs 30]

DIR/ becomes a repository on `main` with FILES YAML manifests spread over ENVS environment folders
(`envs/<env>/<app>.yaml`), built up by COMMITS commits by a handful of authors that each bump an
image tag or a replica count in one to three files. Deterministic: same arguments, same commit ids.
"""
import argparse
import os
import random
import subprocess
import sys

AUTHORS = [
    ("Maya Chen", "maya.chen@acme.example"),
    ("Tomás Rivera", "tomas.rivera@acme.example"),
    ("Jonas Berg", "jonas.berg@acme.example"),
    ("Priya Natarajan", "priya.natarajan@acme.example"),
    ("Aiko Tanaka", "aiko.tanaka@acme.example"),
]
START = 1_700_000_000


def manifest(app, env, tag, replicas):
    return (
        f"# {app} in {env}\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        f"metadata:\n  name: {app}\n  namespace: {env}\n"
        f"spec:\n  replicas: {replicas}\n"
        "  template:\n    spec:\n      containers:\n"
        f"        - name: {app}\n          image: registry.acme.example/{app}:{tag}\n"
        "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n"
    ).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--envs", type=int, default=30)
    args = parser.parse_args()
    if os.path.exists(args.dir) and os.listdir(args.dir):
        sys.exit(f"{args.dir} exists and is not empty")
    os.makedirs(args.dir, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True)

    rng = random.Random(42)
    envs = [f"env-{i:02d}" for i in range(args.envs)]
    per_env = max(1, args.files // args.envs)
    files = {}
    for env in envs:
        for a in range(per_env):
            files[f"envs/{env}/app-{a:04d}.yaml"] = (f"app-{a:04d}", env, 1, 1)
    paths = sorted(files)

    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=args.dir, stdin=subprocess.PIPE
    )
    out = importer.stdin

    def blob(data):
        out.write(b"data %d\n" % len(data))
        out.write(data)
        out.write(b"\n")

    def commit(n, message, changes):
        name, email = AUTHORS[n % len(AUTHORS)]
        when = START + n * 600
        out.write(b"commit refs/heads/main\n")
        out.write(f"author {name} <{email}> {when} +0000\n".encode())
        out.write(f"committer {name} <{email}> {when} +0000\n".encode())
        blob(message.encode())
        for path, (app, env, tag, replicas) in changes:
            out.write(f"M 100644 inline {path}\n".encode())
            blob(manifest(app, env, f"1.{tag}.0", replicas))

    commit(0, "Initial import of every environment", [(p, files[p]) for p in paths])
    for n in range(1, args.commits):
        touched = rng.sample(paths, rng.randint(1, 3))
        changes = []
        for path in touched:
            app, env, tag, replicas = files[path]
            if rng.random() < 0.8:
                tag += 1
            else:
                replicas = replicas % 5 + 1
            files[path] = (app, env, tag, replicas)
            changes.append((path, files[path]))
        app, env = files[touched[0]][0], files[touched[0]][1]
        commit(n, f"{app} → {env}: bump", changes)
    out.write(b"done\n")
    out.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=args.dir, check=True)
    print(f"{args.dir}: {len(paths)} files, {args.commits} commits")


if __name__ == "__main__":
    main()
