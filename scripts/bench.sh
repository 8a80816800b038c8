#!/usr/bin/env bash
# Whole-process benchmarks of pipelint, the tables of docs/PERFORMANCE.md:
#
#   1. `pipelint check` on every example,
#   2. `pipelint check` on synthetic pipelines of 10 to 100,000 services,
#   3. peak memory against file size,
#   4. pipelint against cfn-lint on CloudFormation templates of the corpus
#      (`../shared/corpus`) and on their `pipelint import` result.
#
# Usage: scripts/bench.sh [OUTDIR]   (default target/bench)
#
# Installs what it needs when missing: hyperfine (Debian package), and
# cfn-lint from PyPI into a virtual environment under OUTDIR (never into the
# repository). Set SKIP_CFN_LINT=1 to leave the comparison out. Run it on a
# quiet machine: the numbers are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/bench}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export PIPELINT_TODAY=2026-11-21 NO_COLOR=1

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine
fi
cargo build --release --quiet --bin pipelint --example gen
bin="$PWD/target/release/pipelint"
gen="$PWD/target/release/examples/gen"

machine() {
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  echo "- memory: $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)"
  echo "- pipelint $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(rustc --version)"
  echo "- hyperfine $(hyperfine --version | cut -d' ' -f2)"
}
machine > "$out/machine.md"

# 1. Every example, the whole process.
args=()
for f in examples/*.arch.toml examples/findings/*.arch.toml; do
  args+=(-n "$(basename "$f" .arch.toml)" "$bin check --format concise $f")
done
hyperfine -N -i --warmup 10 --min-runs 100 --export-markdown "$out/examples.md" \
  --export-json "$out/examples.json" "${args[@]}" >/dev/null

# 2. Synthetic pipelines of N services and about 3N flows.
syn="$out/synthetic"
mkdir -p "$syn"
args=()
for n in 10 100 1000 10000 100000; do
  "$gen" "$n" >"$syn/gen-$n.arch.toml"
  args+=(-n "$n services" "$bin check --format concise $syn/gen-$n.arch.toml")
done
hyperfine -N -i --warmup 3 --min-runs 10 --export-markdown "$out/scaling.md" \
  --export-json "$out/scaling.json" "${args[@]}" >/dev/null

# 3. Peak memory (maximum resident set size) against file size.
# The constant is the peak of the smallest example (the binary and the rule
# pack); the last column is what a file adds beyond it, per byte of the file.
peak() {
  /usr/bin/time -f '%M' -o "$out/rss.txt" "$bin" check --format concise "$1" >/dev/null 2>&1 || true
  tail -1 "$out/rss.txt"
}
{
  base=$(peak examples/clickstream.arch.toml)
  echo "| file | bytes | peak RSS (KiB) | RSS / file size | (RSS − $base KiB) / file size |"
  echo "|---|---:|---:|---:|---:|"
  for f in examples/clickstream.arch.toml $(ls "$syn"/gen-*.arch.toml | sort -t- -k2 -n); do
    bytes=$(stat -c %s "$f")
    rss=$(peak "$f")
    echo "| $(basename "$f") | $bytes | $rss | $(awk -v r="$rss" -v b="$bytes" 'BEGIN { printf "%.1f", r * 1024 / b }') | $(awk -v r="$rss" -v c="$base" -v b="$bytes" 'BEGIN { printf "%.1f", (r - c) * 1024 / b }') |"
  done
} >"$out/memory.md"
rm -f "$out/rss.txt"

# 4. cfn-lint on the same pipelines.
if [[ -z "${SKIP_CFN_LINT:-}" ]] && [[ -d ../shared/corpus/cloudformation ]]; then
  venv="$out/cfn-lint-venv"
  if [[ ! -x "$venv/bin/cfn-lint" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet cfn-lint
  fi
  "$venv/bin/cfn-lint" --version >"$out/cfn-lint-version.txt"
  corpus=../shared/corpus/cloudformation
  : >"$out/cfn-lint.md"
  for t in aws-cloudformation__aws-cloudformation-templates__s3-lambda-trigger.yaml \
    awslabs__aws-serverless-data-lake-framework__sdlf-foundations.yaml; do
    imported="$out/$(basename "$t" .yaml).arch.toml"
    "$bin" import cloudformation "$corpus/$t" -o "$imported" 2>/dev/null
    echo "### $t ($(stat -c %s "$corpus/$t") bytes)" >>"$out/cfn-lint.md"
    echo >>"$out/cfn-lint.md"
    hyperfine -i --warmup 2 --min-runs 10 --export-markdown "$out/cfn-one.md" \
      -n "cfn-lint template" "$venv/bin/cfn-lint $corpus/$t" \
      -n "pipelint check template" "$bin check --format concise $corpus/$t" \
      -n "pipelint check imported" "$bin check --format concise $imported" >/dev/null
    cat "$out/cfn-one.md" >>"$out/cfn-lint.md"
    echo >>"$out/cfn-lint.md"
  done
  rm -f "$out/cfn-one.md"
fi

for f in machine examples scaling memory cfn-lint; do
  [[ -f "$out/$f.md" ]] && { echo "## $f"; cat "$out/$f.md"; echo; }
done
