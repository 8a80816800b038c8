#!/usr/bin/env python3
"""Checks the rule pack against AWS's machine-readable models.

Run it through scripts/check-aws-models.sh, which installs the pinned
versions of botocore and cfn-lint (scripts/aws-models.txt) into a throwaway
virtual environment:

  scripts/check-aws-models.sh            # check; exit 1 on any disagreement
  scripts/check-aws-models.sh --write    # regenerate rules/instance-types.toml

Checks:
  instance types  rules/instance-types.toml holds every instance type the
                  services' APIs accept, as botocore's service models and
                  cfn-lint's CloudFormation schemas list them (EC2, SageMaker
                  AI, OpenSearch and Elasticsearch from botocore; RDS,
                  DocumentDB, ElastiCache, Redshift, Amazon MQ and EMR from
                  the instance type lists cfn-lint takes from AWS's price
                  list), and nothing else.
  families        every family of those types has a class and a generation
                  in rules/instances.toml; every type with a shape there is
                  one EC2 accepts; no type EMR is priced for is of a class
                  the pack says EMR does not run.
  cloudformation  every property path rules/import/cloudformation.toml reads
                  exists in the resource schema of its type.
"""

import argparse
import difflib
import json
import os
import re
import sys
import tomllib
from importlib import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")
CATALOG_FILE = os.path.join(RULES, "instance-types.toml")
PINS = os.path.join(ROOT, "scripts", "aws-models.txt")


def pinned():
    pins = {}
    with open(PINS, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                name, version = line.split("==")
                pins[name.strip()] = version.strip()
    return pins


def check_versions(problems):
    for name, version in pinned().items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed (pinned {version})")
            continue
        if have != version:
            problems.append(f"{name} {have} is installed; scripts/aws-models.txt pins {version}")


# ---------------------------------------------------------------------------
# Instance type catalogs
# ---------------------------------------------------------------------------


def botocore_enums(service, shapes=None, prefix=None):
    from botocore.loaders import Loader

    model = Loader().load_service_model(service, "service-2")
    out = set()
    for name, shape in model["shapes"].items():
        values = shape.get("enum")
        if not values:
            continue
        if shapes is not None and name not in shapes:
            continue
        if prefix is not None and not all(v.startswith(prefix) for v in values):
            continue
        out.update(values)
    version = model["metadata"]["apiVersion"]
    return out, version


def cfn_lint_has(path):
    import cfnlint

    return os.path.exists(os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "extensions", path))


def cfn_lint_enum(path):
    import cfnlint

    full = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "extensions", path)
    out = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "enum" and isinstance(value, list):
                    out.update(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    with open(full, encoding="utf-8") as f:
        walk(json.load(f))
    return out


def catalogs():
    """(service, types, source, note) for each catalog, sorted by service."""
    pins = pinned()
    bc, cl = pins["botocore"], pins["cfn-lint"]

    def bc_url(service, api):
        return f"https://github.com/boto/botocore/blob/{bc}/botocore/data/{service}/{api}/service-2.json"

    def cl_url(path):
        return (
            f"https://github.com/aws-cloudformation/cfn-lint/blob/v{cl}/"
            f"src/cfnlint/data/schemas/extensions/{path}"
        )

    out = []
    ec2, api = botocore_enums("ec2", shapes={"InstanceType"})
    out.append(("ec2", ec2, bc_url("ec2", api), "the InstanceType enum of the EC2 API: every type RunInstances accepts"))
    sm, api = botocore_enums("sagemaker", prefix="ml.")
    sm_paths = [
        "aws_sagemaker_hosting/instancetype_enum.json",
        "aws_sagemaker_processing/instancetype_enum.json",
        "aws_sagemaker_transform/instancetype_enum.json",
        "aws_sagemaker_cluster/instancetype_enum.json",
    ]
    sm_paths = [p for p in sm_paths if cfn_lint_has(p)]
    for path in sm_paths:
        sm |= cfn_lint_enum(path)
    sm = {t for t in sm if t.startswith("ml.") and not t.startswith("ml.eia")}
    out.append(("sagemaker", sm, [bc_url("sagemaker", api)] + [cl_url(p) for p in sm_paths], "every ml. instance type enum of the SageMaker API (training, processing, transform, hosting, notebooks, apps, clusters) and the types AWS's price list has for hosting, processing, transform and clusters; Elastic Inference accelerators left out"))
    os_types, api = botocore_enums(
        "opensearch", shapes={"OpenSearchPartitionInstanceType", "OpenSearchWarmPartitionInstanceType"}
    )
    es_types, es_api = botocore_enums(
        "es", shapes={"ESPartitionInstanceType", "ESWarmPartitionInstanceType"}
    )
    os_paths = [
        "aws_opensearchservice_domain/clusterconfig_instancetype_enum.json",
        "aws_elasticsearch_domain/elasticsearchclusterconfig_instancetype_enum.json",
    ]
    priced = set()
    for path in os_paths:
        priced |= cfn_lint_enum(path)
    out.append(("opensearch", os_types | es_types | priced, [bc_url("opensearch", api), bc_url("es", es_api)] + [cl_url(p) for p in os_paths], "the data node and UltraWarm instance type enums of the OpenSearch Service API (`.search`) and of the Elasticsearch Service API (`.elasticsearch`), which stop at older families, and the types AWS's price list has for both"))
    for service, path, note in [
        ("rds", "aws_rds_dbinstance/dbinstanceclass_enum.json", "the DB instance classes of every engine in every Region"),
        ("documentdb", "aws_docdb_dbinstance/dbinstanceclass_enum.json", "the DocumentDB instance classes in every Region"),
        ("elasticache", "aws_elasticache_cachecluster/cachenodetype_enum.json", "the cache node types in every Region"),
        ("redshift", "aws_redshift_cluster/nodetype_enum.json", "the node types in every Region"),
        ("amazon-mq", "aws_amazonmq_broker/instancetype_enum.json", "the broker instance types in every Region"),
        ("emr", "aws_emr_cluster/instancetypeconfig_instancetype_enum.json", "the EC2 instance types EMR is priced for in every Region"),
    ]:
        out.append((service, cfn_lint_enum(path), cl_url(path), note + ", from AWS's price list as cfn-lint publishes it"))
    return sorted(out, key=lambda c: c[0])


def size_key(name):
    """Sorts types by family, then by size as AWS orders them."""
    order = ["nano", "micro", "small", "medium", "large", "xlarge"]
    parts = name.split(".")
    key = []
    for p in parts:
        m = re.fullmatch(r"(\d+)(xlarge|xl)", p)
        if p in order:
            key.append((1, order.index(p), p))
        elif m:
            key.append((1, len(order) + int(m.group(1)), p))
        else:
            key.append((0, 0, p))
    return key


def render_catalogs(as_of):
    pins = pinned()
    lines = [
        "# Every instance type the services' APIs accept, generated by",
        "# scripts/aws_models.py from botocore "
        + pins["botocore"]
        + " and cfn-lint "
        + pins["cfn-lint"]
        + "; do not edit.",
        "# Refresh: scripts/check-aws-models.sh --write (after raising the versions",
        "# in scripts/aws-models.txt). The families' class and generation are in",
        "# instances.toml.",
        "",
    ]
    for service, types, source, note in catalogs():
        lines.append("[[instance_catalog]]")
        lines.append(f'service = "{service}"')
        lines.append(f"note = {json.dumps(note)}")
        lines.append(f"as_of = {as_of}")
        if isinstance(source, list):
            lines.append("source = [" + ", ".join(json.dumps(s) for s in source) + "]")
        else:
            lines.append(f"source = {json.dumps(source)}")
        lines.append("types = [")
        ordered = sorted(types, key=size_key)
        row = []
        for t in ordered:
            item = json.dumps(t) + ","
            if sum(len(x) + 1 for x in row) + len(item) > 96:
                lines.append("  " + " ".join(row))
                row = []
            row.append(item)
        if row:
            lines.append("  " + " ".join(row))
        lines.append("]")
        lines.append("")
    return "\n".join(lines)


def check_catalogs(write, problems):
    current = None
    as_of = None
    if os.path.exists(CATALOG_FILE):
        with open(CATALOG_FILE, encoding="utf-8") as f:
            current = f.read()
        m = re.search(r"^as_of = (\S+)$", current, re.M)
        as_of = m.group(1) if m else None
    if write:
        import datetime

        text = render_catalogs(datetime.date.today().isoformat())
        if current is not None and as_of is not None and render_catalogs(as_of) == current:
            print("rules/instance-types.toml is up to date")
            return
        with open(CATALOG_FILE, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote rules/instance-types.toml")
        return
    if current is None or as_of is None:
        problems.append("rules/instance-types.toml is missing; run scripts/check-aws-models.sh --write")
        return
    want = render_catalogs(as_of)
    if want != current:
        diff = difflib.unified_diff(
            current.splitlines(), want.splitlines(), "rules/instance-types.toml", "from the models", lineterm="", n=1
        )
        shown = list(diff)[:60]
        problems.append(
            "rules/instance-types.toml differs from the pinned models "
            "(scripts/check-aws-models.sh --write regenerates it):\n" + "\n".join(shown)
        )


def load_toml(name):
    with open(os.path.join(RULES, name), "rb") as f:
        return tomllib.load(f)


def items(v):
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def check_families(problems):
    inst = load_toml("instances.toml")
    families = {}
    for f in inst.get("instance_family", []):
        families[f["id"]] = f.get("class")
    for group in inst.get("family_list", []):
        for fam in group["families"]:
            families[fam] = group.get("class")
    services = {s["service"]: s for s in inst.get("instance_service", [])}
    cats = {service: types for service, types, _, _ in catalogs()}

    def family_of(service, name):
        how = services.get(service)
        prefixes = items(how.get("prefix")) if how else []
        suffixes = items(how.get("suffix")) if how else []
        for p in prefixes or [""]:
            if name.startswith(p):
                name = name[len(p):]
                break
        for s in suffixes:
            if name.endswith(s):
                name = name[: -len(s)]
                break
        return name.split(".")[0]

    missing = {}
    for service, types in cats.items():
        for t in types:
            fam = family_of(service, t)
            if fam not in families:
                missing.setdefault(fam, set()).add(f"{service}: {t}")
    for fam in sorted(missing):
        examples = ", ".join(sorted(missing[fam])[:3])
        problems.append(f"family `{fam}` has no class and generation in rules/instances.toml ({examples})")
    ec2 = cats["ec2"]
    for f in inst.get("instance_family", []):
        for t in f.get("types", []):
            if t["name"] not in ec2:
                problems.append(f"rules/instances.toml: `{t['name']}` is not an EC2 instance type")
    emr = services.get("emr", {})
    for t in sorted(cats.get("emr", [])):
        fam = t.split(".")[0]
        if fam in emr.get("unsupported_families", []):
            problems.append(f"EMR is priced for `{t}`, of family `{fam}`, which the pack says EMR does not run")


# ---------------------------------------------------------------------------
# CloudFormation import mappings against the resource schemas
# ---------------------------------------------------------------------------


class Schemas:
    def __init__(self):
        import cfnlint

        base = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
        with open(os.path.join(base, "providers", "us-east-1.json"), encoding="utf-8") as f:
            self.index = json.load(f)
        self.base = base
        self.cache = {}

    def get(self, ty):
        if ty not in self.index:
            return None
        if ty not in self.cache:
            path = os.path.join(self.base, "resources", self.index[ty] + ".json")
            with open(path, encoding="utf-8") as f:
                self.cache[ty] = json.load(f)
        return self.cache[ty]


def resolve(schema, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        node = target
        seen += 1
    return node if isinstance(node, dict) else {}


def alternatives(schema, node):
    """The node and the branches of its oneOf/anyOf/allOf."""
    node = resolve(schema, node)
    out = [node]
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, []):
            out.extend(alternatives(schema, branch))
    return out


def path_exists(schema, path):
    """Whether a mapping path (`A.B.*.C`, numbers pick list items) names
    something the schema allows."""
    nodes = [{"type": "object", "properties": schema.get("properties", {})}]
    for step in path.split("."):
        nxt = []
        for node in nodes:
            for alt in alternatives(schema, node):
                if step.isdigit():
                    if alt.get("type") == "array" or "items" in alt:
                        nxt.append(alt.get("items", {}))
                    continue
                # A list met on the way is walked item by item.
                if alt.get("type") == "array" or "items" in alt:
                    alt_items = [alt.get("items", {})]
                else:
                    alt_items = [alt]
                for a in alt_items:
                    for b in alternatives(schema, a):
                        props = b.get("properties", {})
                        if step == "*":
                            nxt.extend(props.values())
                            pattern = b.get("patternProperties", {})
                            nxt.extend(pattern.values())
                            if b.get("additionalProperties") not in (None, False):
                                nxt.append(b.get("additionalProperties") if isinstance(b.get("additionalProperties"), dict) else {})
                            continue
                        if step in props:
                            nxt.append(props[step])
                        elif b.get("patternProperties") or isinstance(b.get("additionalProperties"), dict):
                            nxt.append({})
        if not nxt:
            return False
        nodes = nxt
    return True


def cfn_paths(mapping):
    """(resource type, path, what) for every property path the mapping reads."""
    out = []

    def add(types, paths, what):
        for ty in items(types):
            for p in paths:
                if p:
                    out.append((ty, p, what))

    for r in mapping.get("resource", []):
        t = r["type"]
        add(t, [a["path"] for a in r.get("attributes", [])], "attribute")
        add(t, r.get("inputs", []), "input")
        add(t, r.get("outputs", []), "output")
        add(t, [p["when"] for p in r.get("parts", [])], "part")
        add(t, r.get("roles", []), "role")
        add(t, r.get("policies", []), "policies")
        add(t, items(r.get("definition")), "definition")
        add(t, [a["path"] for a in r.get("attached", [])], "attached")
        if "kind_from" in r:
            add(t, [r["kind_from"]["path"]], "kind_from")
        if isinstance(r.get("events"), str):
            add(t, [r["events"]], "events")
    for c in mapping.get("connector", []):
        for link in c.get("links", []):
            add(c["type"], [link.get("from"), link.get("to")], "link")
        if "to_kind_from" in c:
            add(c["type"], [c["to_kind_from"]["path"]], "to_kind_from")
    for p in mapping.get("proxy", []):
        add(p["type"], p.get("targets", []), "target")
        add(p["type"], p.get("inputs", []), "input")
        add(p["type"], p.get("outputs", []), "output")
        add(p["type"], [a["path"] for a in p.get("attributes", [])], "attribute")
        if "fallback" in p:
            add(p["type"], [p["fallback"]["path"]], "fallback")
    for a in mapping.get("attacher", []):
        add(a["type"], a.get("paths", []), "attacher")
    return out


def check_cloudformation(problems):
    with open(os.path.join(RULES, "import", "cloudformation.toml"), "rb") as f:
        mapping = tomllib.load(f)
    schemas = Schemas()
    checked = 0
    for ty, path, what in cfn_paths(mapping):
        if ty.startswith("AWS::Serverless::"):
            # SAM types are expanded by the SAM transform; cfn-lint ships no
            # provider schema for them.
            continue
        schema = schemas.get(ty)
        if schema is None:
            problems.append(f"rules/import/cloudformation.toml: `{ty}` is not a CloudFormation resource type")
            continue
        checked += 1
        if not path_exists(schema, path):
            problems.append(
                f"rules/import/cloudformation.toml: `{ty}` has no property `{path}` (read as {what})"
            )
    return checked


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="regenerate rules/instance-types.toml")
    args = parser.parse_args()
    problems = []
    check_versions(problems)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    check_catalogs(args.write, problems)
    check_families(problems)
    checked = check_cloudformation(problems)
    if problems:
        print(f"aws_models: {len(problems)} disagreement(s) with the pinned models:", file=sys.stderr)
        for p in problems:
            print("  " + p.replace("\n", "\n    "), file=sys.stderr)
        return 1
    count = sum(len(t) for _, t, _, _ in catalogs())
    print(
        f"aws_models: the pack agrees with botocore {pinned()['botocore']} and cfn-lint "
        f"{pinned()['cfn-lint']} ({count} instance types, {checked} CloudFormation property paths)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
