"""Checks on `helm template` output that a schema or kubeconform cannot express.

usage: check_rendered.py <rendered.yaml> <repo-root>
Prints PASS/FAIL lines; exit 1 if any failed.
"""
import json
import re
import subprocess
import sys

import yaml

SERVICES = ["oauth", "webhook-ingest", "sync-core", "renewer", "notifier"]
PUBLIC = {"oauth", "webhook-ingest"}
SECRETISH = re.compile(r"(SECRET|PASSWORD|CREDENTIAL|PRIVATE|_TOKENS?$|_KEYS?$|^DATABASE_URL$|WEBHOOK_URL$)")

rendered_path, root = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(rendered_path)) if d]
results = []


def check(name, ok, detail=""):
    ok = bool(ok)
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not detail else f": {detail}"))


def of_kind(kind):
    return [d for d in docs if d["kind"] == kind]


def component(d):
    return d["metadata"].get("labels", {}).get("app.kubernetes.io/component")


deployments = {component(d): d for d in of_kind("Deployment")}
configmaps = {component(d): d for d in of_kind("ConfigMap") if component(d) in SERVICES}

check("no Secret object is rendered (secrets are referenced by name only)", not of_kind("Secret"))
check("one Deployment per service", sorted(deployments) == sorted(SERVICES), sorted(deployments))

# --- secrets never in ConfigMaps -------------------------------------------------------------
leaks = [f"{component(c)}:{k}" for c in of_kind("ConfigMap") for k in (c.get("data") or {}) if SECRETISH.search(k)]
check("no secret-looking key in any ConfigMap", not leaks, leaks)
plain = []
for name, d in deployments.items():
    for c in d["spec"]["template"]["spec"]["containers"]:
        for e in c.get("env", []):
            if SECRETISH.search(e["name"]) and "secretKeyRef" not in (e.get("valueFrom") or {}):
                plain.append(f"{name}:{e['name']}")
check("every secret-looking env var comes from a secretKeyRef", not plain, plain)
jobs_db = [j for j in of_kind("Job") if "migrate" in j["metadata"]["name"]]
ok = all(
    any(e["name"] == "DATABASE_URL" and "secretKeyRef" in e.get("valueFrom", {}) for e in j["spec"]["template"]["spec"]["containers"][0]["env"])
    for j in jobs_db
)
check("migration Jobs read DATABASE_URL from a Secret", ok and len(jobs_db) == len(SERVICES), len(jobs_db))

# --- pods: security, probes, ports -----------------------------------------------------------
problems = []
for name, d in deployments.items():
    spec = d["spec"]["template"]["spec"]
    c = spec["containers"][0]
    sc = c.get("securityContext", {})
    if not spec.get("securityContext", {}).get("runAsNonRoot"):
        problems.append(f"{name}: runAsNonRoot")
    if not sc.get("readOnlyRootFilesystem") or sc.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{name}: container securityContext")
    if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
        problems.append(f"{name}: liveness not /healthz")
    if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
        problems.append(f"{name}: readiness not /readyz")
    if not any(p.get("name") == "http" for p in c.get("ports", [])):
        problems.append(f"{name}: no http port")
    if not c["image"].split("@")[0].rsplit(":", 1)[0].endswith("/" + name):
        problems.append(f"{name}: image {c['image']}")
    if spec.get("serviceAccountName", "").split("-")[-1] not in name.split("-"):
        problems.append(f"{name}: serviceAccountName {spec.get('serviceAccountName')}")
    if d["spec"]["template"]["metadata"]["annotations"].get("prometheus.io/path") != "/metrics":
        problems.append(f"{name}: no /metrics scrape annotation")
    if not any(v.get("mountPath") == "/tmp" for v in c.get("volumeMounts", [])):
        problems.append(f"{name}: no writable /tmp")
check("Deployments: non-root, read-only rootfs, /healthz + /readyz probes, http port, own image and SA", not problems, problems)

for kind in ["Service", "ServiceAccount", "NetworkPolicy"]:
    have = sorted(component(d) for d in of_kind(kind) if component(d) in SERVICES)
    check(f"one {kind} per service", have == sorted(SERVICES), have)
pdbs = {component(d) for d in of_kind("PodDisruptionBudget")}
want = {n for n, d in deployments.items() if d["spec"]["replicas"] > 1}
check("a PodDisruptionBudget for every service with more than one replica", pdbs == want, f"{sorted(pdbs)} vs {sorted(want)}")

# --- ingress: only the public paths -----------------------------------------------------------
ingresses = of_kind("Ingress")
routes = [
    (p["path"], p["backend"]["service"]["name"])
    for i in ingresses
    for r in i["spec"]["rules"]
    for p in r["http"]["paths"]
]
backends = {b for _, b in routes}
svc_names = {component(s): s["metadata"]["name"] for s in of_kind("Service")}
check("Ingress routes only to oauth and webhook-ingest", backends == {svc_names[s] for s in PUBLIC}, routes)
check("no internal or operational path is public", not [p for p, _ in routes if re.match(r"^/(internal|metrics|healthz|readyz)?(/|$)", p)], routes)
check("Ingress terminates TLS (Google pushes only to https)", all(i["spec"].get("tls") for i in ingresses) and ingresses)
wi_env = configmaps["webhook-ingest"]["data"]
renewer_env = configmaps["renewer"]["data"]
push_path = wi_env.get("WEBHOOK_PATH", "/google/notifications")
check(
    "renewer's WEBHOOK_ADDRESS is https and its path is routed to webhook-ingest",
    renewer_env["WEBHOOK_ADDRESS"].startswith("https://")
    and renewer_env["WEBHOOK_ADDRESS"].endswith(push_path)
    and (push_path, svc_names["webhook-ingest"]) in routes,
    renewer_env.get("WEBHOOK_ADDRESS"),
)

oauth_env = configmaps["oauth"]["data"]
redirect = oauth_env.get("GOOGLE_REDIRECT_URI", "")
redirect_path = "/" + redirect.split("://", 1)[-1].split("/", 1)[-1] if "://" in redirect else ""
check(
    "oauth's GOOGLE_REDIRECT_URI is https on the Ingress host and routed to oauth",
    redirect.startswith("https://") and (redirect_path, svc_names["oauth"]) in routes,
    redirect,
)

# --- network policies: internal API callers ------------------------------------------------------
def allowed_components(policy):
    out = set()
    for rule in policy["spec"].get("ingress", []):
        for peer in rule.get("from", []):
            c = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
            if c and "namespaceSelector" not in peer:
                out.add(c)
    return out


policies = {component(p): allowed_components(p) for p in of_kind("NetworkPolicy")}
expected = {
    "oauth": {"sync-core", "renewer", "readyz-test"},
    "sync-core": {"readyz-test"},
    "notifier": {"oauth", "readyz-test"},
    "renewer": {"readyz-test"},
    "webhook-ingest": {"readyz-test"},
}
check("NetworkPolicies let only the right services call internal APIs", policies == expected, policies)

# --- hooks --------------------------------------------------------------------------------------
def hook(d):
    return d["metadata"].get("annotations", {}).get("helm.sh/hook", "")


jobs = of_kind("Job")
topics = [j for j in jobs if component(j) == "topics"]
check("topics Job is a pre-install/pre-upgrade hook", len(topics) == 1 and hook(topics[0]) == "pre-install,pre-upgrade")
if topics:
    c = topics[0]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in c["env"]}
    cli = c["command"][1].replace("node_modules/@gcal-sync/shared/", f"{root}/packages/shared/")
    import os

    check(
        "topics Job runs the create-topics CLI with partitions/replication/retention",
        os.path.exists(cli) and {"TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "TOPIC_RETENTION_MS", "KAFKA_BROKERS"} <= set(env),
        f"{cli} exists={os.path.exists(cli)} env={sorted(env)}",
    )
ensure = {name: (c.get("data") or {}).get("KAFKA_ENSURE_TOPICS") for name, c in configmaps.items()}
check(
    "no service creates topics at start (KAFKA_ENSURE_TOPICS=false: the hook Job does)",
    sorted(ensure) == sorted(SERVICES) and set(ensure.values()) == {"false"},
    ensure,
)
weights = {j["metadata"]["name"]: int(j["metadata"]["annotations"]["helm.sh/hook-weight"]) for j in jobs}
mig_weights = [w for n, w in weights.items() if n.endswith("-migrate")]
check(
    "migration Jobs (one per service) are pre-install/pre-upgrade hooks after the topics Job",
    len(mig_weights) == len(SERVICES)
    and all(hook(j) == "pre-install,pre-upgrade" for j in jobs)
    and (not topics or min(mig_weights) > weights[topics[0]["metadata"]["name"]]),
    weights,
)
check(
    "migration Jobs run migrate.cjs, which the image bundle contains",
    all(j["spec"]["template"]["spec"]["containers"][0]["command"] == ["node", "migrate.cjs"] for j in jobs_db)
    and "migrate.cjs" in open(f"{root}/deploy/docker/bundle.sh").read(),
)
tests = [p for p in of_kind("Pod") if hook(p) == "test"]
targets = (tests[0]["spec"]["containers"][0]["env"][0]["value"].split() if tests else [])
check(
    "helm test hook checks /readyz of every service",
    len(tests) == 1 and sorted(t.split("//")[1].split(".")[0] for t in targets) == sorted(svc_names.values()) and all(t.endswith("/readyz") for t in targets),
    targets,
)

# --- monitoring -----------------------------------------------------------------------------
dash = [c for c in of_kind("ConfigMap") if c["metadata"]["labels"].get("grafana_dashboard") == "1"]
titles = []
for c in dash:
    for v in c["data"].values():
        titles.append(json.loads(v)["title"])
check(
    "Grafana dashboards shipped as ConfigMaps labelled grafana_dashboard=1",
    sorted(titles) == ["gcal-sync / Channels and health", "gcal-sync / Google quota", "gcal-sync / Sync latency"],
    titles,
)
rules = of_kind("PrometheusRule")
alerts = [r["alert"] for p in rules for g in p["spec"]["groups"] for r in g["rules"] if "alert" in r]
check("PrometheusRule carries the alerts", len(rules) == 1 and len(alerts) >= 5, alerts)
sm = of_kind("ServiceMonitor")
check("ServiceMonitor scrapes the http port at /metrics", len(sm) == 1 and sm[0]["spec"]["endpoints"][0] == {**sm[0]["spec"]["endpoints"][0], "port": "http", "path": "/metrics"})

# --- every variable a service requires is provided ------------------------------------------------
env_script = r"""
const [svc, root, json] = process.argv.slice(1);
const provided = JSON.parse(json);
const { configSchema } = require(`${root}/services/${svc}/dist/config.js`);
const shape = configSchema.shape ?? configSchema.def?.in?.shape ?? configSchema._def?.schema?.shape;
if (!shape) { console.log(JSON.stringify({ unknown: true })); process.exit(0); }
const missing = Object.entries(shape).filter(([k, s]) => !s.safeParse(undefined).success && !(k in provided)).map(([k]) => k);
console.log(JSON.stringify({ missing }));
"""
gaps = {}
for name, d in deployments.items():
    c = d["spec"]["template"]["spec"]["containers"][0]
    provided = dict(configmaps[name]["data"])
    provided.update({e["name"]: "x" for e in c.get("env", [])})
    try:
        out = subprocess.run(["node", "-e", env_script, name, root, json.dumps(provided)], capture_output=True, text=True, timeout=60)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        if res.get("unknown"):
            gaps[name] = "config schema shape not found"
        elif res["missing"]:
            gaps[name] = res["missing"]
    except Exception as e:  # noqa: BLE001 - reported as a failure
        gaps[name] = f"could not load services/{name}/dist/config.js: {e} {out.stderr[-300:] if 'out' in dir() else ''}"
check("the chart provides every variable each service's config requires", not gaps, gaps)

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
