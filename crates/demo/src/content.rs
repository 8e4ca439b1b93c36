//! The demo repository's files, rendered from a small model of the shop's environments.
//!
//! Kustomize overlays are rendered from [`Shop`] so that a commit like "api 1.4.2 → dev" changes
//! exactly the line a person would change. Everything else is fixed text.

use std::collections::BTreeMap;

pub const ENVIRONMENTS: [&str; 3] = ["dev", "staging", "prod"];

/// One Kustomize-managed workload in `base/`.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: &'static str,
    pub description: &'static str,
    pub base_tag: &'static str,
    pub port: Option<u16>,
    pub env: &'static [(&'static str, &'static str)],
    pub cpu_request: &'static str,
    pub memory_request: &'static str,
    pub memory_limit: &'static str,
}

pub const WORKLOADS: [Workload; 6] = [
    Workload {
        name: "api",
        description: "Public REST API behind the shop and the mobile apps",
        base_tag: "1.4.0",
        port: Some(8080),
        env: &[
            ("LOG_LEVEL", "info"),
            ("DB_POOL_SIZE", "20"),
            ("FEATURE_NEW_CART", "false"),
        ],
        cpu_request: "250m",
        memory_request: "256Mi",
        memory_limit: "512Mi",
    },
    Workload {
        name: "web",
        description: "Server-rendered storefront",
        base_tag: "2.2.1",
        port: Some(3000),
        env: &[("LOG_LEVEL", "info"), ("API_URL", "http://api:8080")],
        cpu_request: "100m",
        memory_request: "192Mi",
        memory_limit: "384Mi",
    },
    Workload {
        name: "worker",
        description: "Background jobs: order fulfilment and stock sync",
        base_tag: "1.9.3",
        port: None,
        env: &[("LOG_LEVEL", "info"), ("QUEUE_CONCURRENCY", "8")],
        cpu_request: "200m",
        memory_request: "384Mi",
        memory_limit: "768Mi",
    },
    Workload {
        name: "payments",
        description: "Card and wallet payments, talks to the PSP",
        base_tag: "3.7.2",
        port: Some(8443),
        env: &[("LOG_LEVEL", "warn"), ("PSP_TIMEOUT_MS", "4000")],
        cpu_request: "250m",
        memory_request: "256Mi",
        memory_limit: "512Mi",
    },
    Workload {
        name: "search",
        description: "Product search and autocomplete",
        base_tag: "1.11.4",
        port: Some(9200),
        env: &[("LOG_LEVEL", "info"), ("INDEX_REFRESH_SECONDS", "30")],
        cpu_request: "500m",
        memory_request: "1Gi",
        memory_limit: "2Gi",
    },
    Workload {
        name: "notifications",
        description: "Order emails and SMS",
        base_tag: "0.8.5",
        port: Some(8081),
        env: &[("LOG_LEVEL", "info"), ("SMTP_HOST", "smtp.acme.example")],
        cpu_request: "50m",
        memory_request: "96Mi",
        memory_limit: "192Mi",
    },
];

/// The evolving state of the repository: which workloads exist, and per environment their image
/// tags and replica counts; plus any fixed files added so far.
#[derive(Debug, Clone, Default)]
pub struct Shop {
    pub workloads: Vec<&'static str>,
    /// (environment, workload) → image tag.
    pub tags: BTreeMap<(&'static str, &'static str), String>,
    /// (environment, workload) → replicas, only where the overlay sets them.
    pub replicas: BTreeMap<(&'static str, &'static str), u32>,
    /// Fixed files by path.
    pub files: BTreeMap<String, String>,
}

impl Shop {
    pub fn add_workload(&mut self, name: &'static str) {
        let w = workload(name);
        self.workloads.push(name);
        for env in ENVIRONMENTS {
            self.tags.insert((env, name), w.base_tag.to_owned());
        }
        self.replicas.insert(("staging", name), 2);
        self.replicas.insert(("prod", name), 3);
    }

    pub fn set_tag(&mut self, env: &'static str, name: &'static str, tag: &str) {
        self.tags.insert((env, name), tag.to_owned());
    }

    pub fn set_replicas(&mut self, env: &'static str, name: &'static str, count: u32) {
        self.replicas.insert((env, name), count);
    }

    pub fn put(&mut self, path: &str, content: impl Into<String>) {
        self.files.insert(path.to_owned(), content.into());
    }

    /// Every file of the repository at this state.
    pub fn render(&self) -> BTreeMap<String, String> {
        let mut out = self.files.clone();
        if self.workloads.is_empty() {
            return out;
        }
        out.insert("base/kustomization.yaml".into(), self.render_base());
        for name in &self.workloads {
            out.insert(
                format!("base/{name}.yaml"),
                render_workload(&workload(name)),
            );
        }
        for env in ENVIRONMENTS {
            out.insert(
                format!("overlays/{env}/kustomization.yaml"),
                self.render_overlay(env),
            );
        }
        out
    }

    fn render_base(&self) -> String {
        let mut s = String::from(
            "# Shared definition of every shop workload. Environments never edit these files:\n\
             # they override images, replicas and resources in overlays/<env>/.\n\
             apiVersion: kustomize.config.k8s.io/v1beta1\n\
             kind: Kustomization\n\
             labels:\n  - pairs:\n      app.kubernetes.io/part-of: shop\n\
             resources:\n",
        );
        for name in &self.workloads {
            s.push_str(&format!("  - {name}.yaml\n"));
        }
        s
    }

    fn render_overlay(&self, env: &'static str) -> String {
        let header = match env {
            "dev" => "# dev: every merge to main lands here first. Argo CD app \"shop-dev\" syncs this folder.\n",
            "staging" => "# staging: release candidates, promoted from dev after QA sign-off.\n",
            _ => "# prod: customer traffic. Changes need two approvals from @ops-leads (.wheelhouse/policy.yaml).\n",
        };
        let mut s = String::from(header);
        s.push_str("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
        s.push_str(&format!("namespace: shop-{env}\n"));
        s.push_str("resources:\n  - ../../base\n");
        s.push_str(&format!("labels:\n  - pairs:\n      environment: {env}\n"));
        s.push_str("images:\n");
        for name in &self.workloads {
            let tag = &self.tags[&(env, *name)];
            s.push_str(&format!(
                "  - name: registry.acme.example/shop/{name}\n    newTag: \"{tag}\"\n"
            ));
        }
        let counted: Vec<_> = self
            .workloads
            .iter()
            .filter_map(|n| self.replicas.get(&(env, *n)).map(|c| (*n, *c)))
            .collect();
        if !counted.is_empty() {
            s.push_str("replicas:\n");
            for (name, count) in counted {
                s.push_str(&format!("  - name: {name}\n    count: {count}\n"));
            }
        }
        let patches: Vec<_> = self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(&format!("overlays/{env}/")))
            .filter(|p| *p != "kustomization.yaml")
            .map(str::to_owned)
            .collect();
        if !patches.is_empty() {
            s.push_str("patches:\n");
            for p in patches {
                s.push_str(&format!("  - path: {p}\n"));
            }
        }
        s
    }
}

pub fn workload(name: &str) -> Workload {
    WORKLOADS
        .iter()
        .find(|w| w.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("unknown demo workload {name}"))
}

fn render_workload(w: &Workload) -> String {
    let mut s = format!(
        "# {name}: {desc}\n\
         apiVersion: apps/v1\n\
         kind: Deployment\n\
         metadata:\n  name: {name}\n  labels:\n    app.kubernetes.io/name: {name}\n\
         spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n\
         \x20 template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {name}\n\
         \x20   spec:\n      containers:\n        - name: {name}\n\
         \x20         image: registry.acme.example/shop/{name}:{tag}\n",
        name = w.name,
        desc = w.description,
        tag = w.base_tag,
    );
    if let Some(port) = w.port {
        s.push_str(&format!(
            "          ports:\n            - name: http\n              containerPort: {port}\n"
        ));
    }
    s.push_str("          env:\n");
    for (k, v) in w.env {
        let quoted = if v.parse::<f64>().is_ok() || *v == "true" || *v == "false" {
            format!("\"{v}\"")
        } else {
            (*v).to_owned()
        };
        s.push_str(&format!(
            "            - name: {k}\n              value: {quoted}\n"
        ));
    }
    s.push_str(&format!(
        "          resources:\n            requests:\n              cpu: {}\n              memory: {}\n            limits:\n              memory: {}\n",
        w.cpu_request, w.memory_request, w.memory_limit
    ));
    if let Some(port) = w.port {
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app.kubernetes.io/name: {name}\n  ports:\n    - name: http\n      port: {port}\n      targetPort: http\n",
            name = w.name
        ));
    }
    s
}

pub const README: &str = "\
# acme-gitops

Desired state of the Acme shop, reconciled by Argo CD (workloads) and Flux (cluster add-ons).

| folder | what it holds |
| --- | --- |
| `base/` | one file per workload: Deployment + Service, shared by every environment |
| `overlays/<env>/` | what differs per environment: image tags, replicas, resource patches |
| `helm/ledger/` | the ledger service, deployed from its Helm chart with values per environment |
| `infrastructure/` | cluster add-ons managed by Flux (`HelmRelease`) |
| `status/` | the public status page, kept as code |
| `.wheelhouse/` | environments, approval policy and people for Wheelhouse |

Promotion path: dev → staging → prod. Production changes need two approvals from @ops-leads.
";

pub const CONFIG: &str = "\
# Wheelhouse workspace: environments in promotion order.
environments:
  - {name: dev,     paths: [overlays/dev, helm/ledger/values-dev.yaml]}
  - {name: staging, paths: [overlays/staging, helm/ledger/values-staging.yaml]}
  - {name: prod,    paths: [overlays/prod, helm/ledger/values-prod.yaml], protected: true}
status_page: status/
";

pub const POLICY: &str = "\
# Who must approve what. The copy on main is the one that judges every change.
# `environments:` rules judge what a change does: a base file that changes prod is a prod change.
rules:
  - name: production
    environments: [prod]
    paths: [\"infrastructure/**\"]
    required_approvals: 2
    approvers: [\"@ops-leads\"]
    allow_author: false
  - name: staging
    environments: [staging]
    required_approvals: 1
    approvers: [\"@ops-leads\", \"@sre\"]
    allow_author: false
  - name: dev image bumps
    environments: [dev]
    auto_approve:
      only_fields: [image_tag, replicas]
      checks: [validate]
  - name: status page
    paths: [\"status/**\"]
    required_approvals: 1
    approvers: [\"@sre\", \"@ops-leads\"]
    allow_author: true
settings:
  dismiss_stale_approvals: true
  require_signatures: true
";

pub const POLICY_FREEZE: &str = "\
freeze:
  - environments: [prod]
    from: \"2026-12-20T00:00:00Z\"
    until: \"2027-01-04T00:00:00Z\"
    reason: holidays
";

pub const PEOPLE: &str = "\
# Teams named in policy.yaml and CODEOWNERS, and how to reach their members.
people:
  maya:   {name: Maya Chen,        email: maya.chen@acme.example}
  tomas:  {name: Tomás Rivera,     email: tomas.rivera@acme.example}
  jonas:  {name: Jonas Berg,       email: jonas.berg@acme.example}
  priya:  {name: Priya Natarajan,  email: priya.natarajan@acme.example}
  aiko:   {name: Aiko Tanaka,      email: aiko.tanaka@acme.example}
teams:
  ops-leads: [maya, tomas]
  sre: [jonas, maya]
  payments: [priya]
  storefront: [aiko]
";

pub const ALLOWED_SIGNERS: &str = "\
# SSH keys allowed to sign approvals (OpenSSH allowed_signers format, as git's
# gpg.ssh.allowedSignersFile). Wheelhouse > Settings > Signing shows the line to add for you.
";

pub const CODEOWNERS: &str = "\
# Default owners: the SRE team.
*                         @sre
/overlays/prod/           @ops-leads
/helm/ledger/             @payments @sre
/base/payments.yaml       @payments
/base/web.yaml            @storefront
/status/                  @sre
/.wheelhouse/             @ops-leads
";

pub const LEDGER_VALUES: &str = "\
# ledger: double-entry accounting for orders and refunds, from the acme/ledger chart.
# Environment files (values-<env>.yaml) override these defaults.
image:
  repository: registry.acme.example/shop/ledger
  tag: \"2.1.0\"
replicaCount: 1
database:
  host: ledger-db
  port: 5432
  pool: 10
readReplica:
  enabled: false
resources:
  requests:
    cpu: 100m
    memory: 256Mi
  limits:
    memory: 512Mi
";

pub fn ledger_env_values(env: &str, tag: &str, read_replica: bool) -> String {
    let (replicas, host, pool) = match env {
        "dev" => (1, "ledger-db.shop-dev", 5),
        "staging" => (2, "ledger-db.shop-staging", 10),
        _ => (3, "ledger-db.shop-prod", 30),
    };
    let mut s = format!(
        "# ledger in {env}\nimage:\n  tag: \"{tag}\"\nreplicaCount: {replicas}\ndatabase:\n  host: {host}\n  pool: {pool}\n"
    );
    if read_replica {
        s.push_str("readReplica:\n  enabled: true   # reporting queries go to the replica\n");
    }
    s
}

pub fn ingress_release(version: &str) -> String {
    format!(
        "# Cluster ingress, managed by Flux in every cluster.\n\
         apiVersion: source.toolkit.fluxcd.io/v1\n\
         kind: HelmRepository\n\
         metadata:\n  name: ingress-nginx\n  namespace: flux-system\n\
         spec:\n  interval: 24h\n  url: https://kubernetes.github.io/ingress-nginx\n\
         ---\n\
         apiVersion: helm.toolkit.fluxcd.io/v2\n\
         kind: HelmRelease\n\
         metadata:\n  name: ingress-nginx\n  namespace: ingress-nginx\n\
         spec:\n  interval: 30m\n  chart:\n    spec:\n      chart: ingress-nginx\n      version: \"{version}\"\n\
         \x20     sourceRef:\n        kind: HelmRepository\n        name: ingress-nginx\n        namespace: flux-system\n\
         \x20 values:\n    controller:\n      replicaCount: 2\n      metrics:\n        enabled: true\n\
         \x20     resources:\n        requests:\n          cpu: 100m\n          memory: 90Mi\n"
    )
}

pub const PROD_RESOURCES_PATCH: &str = "\
# prod: more headroom for the busiest workloads.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          resources:
            requests:
              cpu: 500m
              memory: 512Mi
            limits:
              memory: 1Gi
";

pub const PROD_WORKER_PATCH: &str = "\
# prod: the nightly stock sync needs more memory (see incident 2026-10-27).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          resources:
            limits:
              memory: 1536Mi
";

pub const DEV_DEBUG_PATCH: &str = "\
# dev: verbose logs and the new cart behind its flag.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: LOG_LEVEL
              value: debug
            - name: FEATURE_NEW_CART
              value: \"true\"
";

pub const STATUS_PAGE: &str = "\
name: Acme Shop
url: https://status.acme.example
time_zone: Europe/Berlin
description: Live status of the Acme online shop, checkout and public API.
locale: en
theme:
  brand: \"#17415c\"
";

pub fn status_components(search_status: &str) -> String {
    format!(
        "# Components shown on the public status page, in groups.\n\
         groups:\n\
         \x20 - name: Storefront\n    components:\n\
         \x20     - id: web\n        name: Website\n        description: Browsing, product pages and the cart\n        status: operational\n        links: {{env: prod, workload: web}}\n\
         \x20     - id: search\n        name: Search\n        description: Product search and autocomplete\n        status: {search_status}\n        links: {{env: prod, workload: search}}\n\
         \x20 - name: Checkout\n    components:\n\
         \x20     - id: payments\n        name: Payments\n        description: Card and wallet payments\n        status: operational\n        links: {{env: prod, workload: payments}}\n\
         \x20     - id: api\n        name: Public API\n        description: REST API used by the apps and partners\n        status: operational\n        links: {{env: prod, workload: api}}\n\
         \x20 - name: After your order\n    components:\n\
         \x20     - id: notifications\n        name: Emails and SMS\n        description: Order confirmations and delivery updates\n        status: operational\n        links: {{env: prod, workload: notifications}}\n\
         \x20     - id: invoicing\n        name: Invoicing\n        description: Invoices and refunds\n        status: operational\n        links: {{env: prod, workload: ledger}}\n"
    )
}

pub const INCIDENT_API_OPEN: &str = "\
---
title: Elevated error rates on the public API
status: investigating
impact: major
started_at: 2026-10-16T09:12:00+02:00
components:
  api: partial_outage
updates:
  - at: 2026-10-16T09:12:00+02:00
    status: investigating
    body: We are seeing elevated 5xx responses from the public API and are investigating.
    components: {api: partial_outage}
---
";

pub const INCIDENT_API_RESOLVED: &str = "\
---
title: Elevated error rates on the public API
status: resolved
impact: major
started_at: 2026-10-16T09:12:00+02:00
resolved_at: 2026-10-16T10:41:00+02:00
components:
  api: partial_outage
updates:
  - at: 2026-10-16T09:12:00+02:00
    status: investigating
    body: We are seeing elevated 5xx responses from the public API and are investigating.
    components: {api: partial_outage}
  - at: 2026-10-16T09:47:00+02:00
    status: identified
    body: A database connection pool limit was reached after a traffic spike. We are raising the limit and adding capacity.
    components: {api: partial_outage}
  - at: 2026-10-16T10:41:00+02:00
    status: resolved
    body: Error rates are back to normal. API replicas in production were raised from 3 to 4.
    components: {api: operational}
---
## What happened

Between 09:05 and 10:35 CEST about 7% of API requests failed with HTTP 503.

## Why

The connection pool (`DB_POOL_SIZE=20`) was exhausted during a marketing push.

## What we changed

- prod runs 4 API replicas instead of 3;
- an alert fires at 80% pool usage.
";

pub const INCIDENT_PAYMENTS_OPEN: &str = "\
---
title: Card payments failing for some customers
status: identified
impact: critical
started_at: 2026-10-27T18:02:00+01:00
components:
  payments: major_outage
updates:
  - at: 2026-10-27T18:02:00+01:00
    status: investigating
    body: Some card payments are declined at checkout. Wallet payments are not affected.
    components: {payments: major_outage}
  - at: 2026-10-27T18:25:00+01:00
    status: identified
    body: A timeout towards our payment provider was set too low in release 3.8.0. A fix (3.8.1) is being rolled out.
    components: {payments: major_outage}
---
";

pub const INCIDENT_PAYMENTS_RESOLVED: &str = "\
---
title: Card payments failing for some customers
status: postmortem
impact: critical
started_at: 2026-10-27T18:02:00+01:00
resolved_at: 2026-10-27T19:10:00+01:00
components:
  payments: major_outage
updates:
  - at: 2026-10-27T18:02:00+01:00
    status: investigating
    body: Some card payments are declined at checkout. Wallet payments are not affected.
    components: {payments: major_outage}
  - at: 2026-10-27T18:25:00+01:00
    status: identified
    body: A timeout towards our payment provider was set too low in release 3.8.0. A fix (3.8.1) is being rolled out.
    components: {payments: major_outage}
  - at: 2026-10-27T18:50:00+01:00
    status: monitoring
    body: 3.8.1 is live in production. Payments are succeeding again; we are watching closely.
    components: {payments: degraded_performance}
  - at: 2026-10-27T19:10:00+01:00
    status: resolved
    body: All card payments have been processing normally for 20 minutes.
    components: {payments: operational}
---
## Summary

For 68 minutes, about one in five card payments was declined.

## Root cause

Release 3.8.0 lowered the provider timeout from 4000 ms to 1500 ms by mistake. Slow 3-D Secure
challenges timed out and were reported as declines.

## Follow-up

- [x] 3.8.1 restores `PSP_TIMEOUT_MS=4000`
- [ ] a contract test pins the timeout in the payments chart
";

pub const INCIDENT_SEARCH: &str = "\
---
title: Search results updating slowly
status: monitoring
impact: minor
started_at: 2026-11-05T14:20:00+01:00
components:
  search: degraded_performance
updates:
  - at: 2026-11-05T14:20:00+01:00
    status: investigating
    body: New and changed products take up to 30 minutes to appear in search.
    components: {search: degraded_performance}
  - at: 2026-11-05T15:05:00+01:00
    status: identified
    body: The indexer falls behind after the catalogue import. We are adding indexing capacity.
    components: {search: degraded_performance}
  - at: 2026-11-05T16:30:00+01:00
    status: monitoring
    body: Indexing delay is down to 4 minutes and falling. We keep watching until it is back under one minute.
    components: {search: degraded_performance}
---
";

pub const MAINTENANCE_DB: &str = "\
---
title: Database upgrade for orders and invoices
status: scheduled
impact: minor
scheduled_for: 2026-12-03T02:00:00+01:00
scheduled_until: 2026-12-03T03:00:00+01:00
components:
  invoicing: under_maintenance
  api: under_maintenance
updates:
  - at: 2026-11-02T10:00:00+01:00
    status: scheduled
    body: We will upgrade the orders and invoicing database to PostgreSQL 17. Orders placed during the window are queued and processed afterwards.
---
Expect up to five minutes of read-only API responses around 02:30 CET.
";

/// Incident templates for the status editor's "New incident" (`status/templates/`).
pub const STATUS_TEMPLATE_DEGRADED: &str = "\
---
title: Slower than usual
status: investigating
impact: minor
---
Some requests are slower than usual. We are investigating and will post an update within 30 minutes.
";

pub const STATUS_TEMPLATE_PAYMENTS: &str = "\
---
title: Card payments failing
status: identified
impact: major
components: {payments: partial_outage}
---
Our card payment provider is having problems; some card payments fail. **Wallet payments still
work.** We will update this page every 30 minutes.
";
