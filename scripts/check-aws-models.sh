#!/usr/bin/env bash
# Checks the rule pack against AWS's machine-readable models: botocore's
# service models and cfn-lint's CloudFormation resource schemas, at the
# versions pinned in scripts/aws-models.txt, installed into a throwaway
# virtual environment (never into the repository). Exit 1 on any
# disagreement. `--write` regenerates rules/instance-types.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/aws-models.txt
"$tmp/venv/bin/python" scripts/aws_models.py "$@"
