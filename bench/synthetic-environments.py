#!/usr/bin/env python3
"""Generates a synthetic GitOps repository of ENVS environments x WORKLOADS workloads, Kustomize
style, for the desired-state benchmarks:

    bench/synthetic-environments.py DIR [--envs 30] [--workloads 300] [--components]

base/<w>.yaml (Deployment + Service) for every workload, base/kustomization.yaml, and per
environment overlays/env-NN/kustomization.yaml (namespace, images with a tag per workload,
replicas) plus one strategic-merge patch per workload (resources and an env var):
30 x 300 gives 9,331 files. With --components every overlay also pulls in a Kustomize component
(an env var added to every Deployment by a JSON patch, an annotation) and applies a patch whose
target is a label selector (tier=backend). Deterministic.
"""
import argparse
import os
import random


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--envs", type=int, default=30)
    p.add_argument("--workloads", type=int, default=300)
    p.add_argument("--components", action="store_true")
    a = p.parse_args()
    rng = random.Random(7)
    names = [f"svc-{i:03d}" for i in range(a.workloads)]
    os.makedirs(f"{a.dir}/base", exist_ok=True)
    with open(f"{a.dir}/base/kustomization.yaml", "w") as f:
        f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
        f.writelines(f"  - {n}.yaml\n" for n in names)
    for n in names:
        with open(f"{a.dir}/base/{n}.yaml", "w") as f:
            f.write(
                f"# {n}: a synthetic service\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}\n"
                f"  labels:\n    tier: {'backend' if int(n[4:]) % 2 == 0 else 'frontend'}\n"
                f"spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: {n}\n"
                f"          image: registry.example/{n}:1.0.0\n          env:\n            - name: LOG_LEVEL\n"
                f"              value: info\n          resources:\n            requests:\n              cpu: 100m\n"
                f"              memory: 128Mi\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {n}\n"
                f"spec:\n  ports:\n    - port: 80\n"
            )
    for e in range(a.envs):
        env = f"env-{e:02d}"
        d = f"{a.dir}/overlays/{env}"
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/kustomization.yaml", "w") as f:
            f.write(f"# {env}\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {env}\nresources:\n  - ../../base\nimages:\n")
            for n in names:
                f.write(f"  - name: registry.example/{n}\n    newTag: \"1.{rng.randint(0, 9)}.{rng.randint(0, 20)}\"\n")
            f.write("replicas:\n")
            for n in names:
                f.write(f"  - name: {n}\n    count: {rng.randint(1, 5)}\n")
            f.write("patches:\n")
            f.writelines(f"  - path: {n}-patch.yaml\n" for n in names)
            if a.components:
                f.write(
                    "  - target:\n      kind: Deployment\n      labelSelector: tier=backend\n    patch: |-\n"
                    "      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: any\n"
                    f"        annotations:\n          backend.example/pool: {env}\n"
                    "components:\n  - ../../components/observability\n"
                )
        for n in names:
            with open(f"{d}/{n}-patch.yaml", "w") as f:
                f.write(
                    f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}\nspec:\n  template:\n    spec:\n"
                    f"      containers:\n        - name: {n}\n          env:\n            - name: LOG_LEVEL\n"
                    f"              value: {rng.choice(['debug', 'info', 'warn'])}\n          resources:\n"
                    f"            limits:\n              memory: {rng.choice([256, 512, 1024])}Mi\n"
                )
    if a.components:
        os.makedirs(f"{a.dir}/components/observability", exist_ok=True)
        with open(f"{a.dir}/components/observability/kustomization.yaml", "w") as f:
            f.write(
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n"
                "  observability.example/scrape: \"true\"\npatches:\n  - target:\n      kind: Deployment\n"
                "    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/env/-\n"
                "        value:\n          name: OTEL_EXPORTER\n          value: otlp\n"
            )
    count = sum(len(files) for _, _, files in os.walk(a.dir))
    print(f"{a.dir}: {a.envs} environments x {a.workloads} workloads, {count} files")


if __name__ == "__main__":
    main()
