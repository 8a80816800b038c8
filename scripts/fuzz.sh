#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo-fuzz) of every input
# language and every output of pipelint: architecture files, pipelint.toml,
# baselines, CloudFormation templates, Terraform configurations, rule packs;
# every report format; DOT, Mermaid and SVG.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60, all)
#
# Needs a nightly toolchain (`rustup toolchain install nightly`) and
# cargo-fuzz (`cargo install cargo-fuzz`); CI does not run it. The corpus is
# seeded from examples/ and tests/ on every run (in fuzz/corpus/, kept
# between runs and ignored by git). Crashes land in fuzz/artifacts/TARGET/;
# the summary gives each target's executions and what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
all=(arch_toml config baseline cloudformation terraform rule_pack reports drawings)
targets=("${@:-${all[@]}}")
if [[ $# -eq 0 ]]; then targets=("${all[@]}"); fi

cargo +nightly --version >/dev/null 2>&1 || { echo "fuzz.sh: a nightly toolchain is needed (rustup toolchain install nightly)" >&2; exit 2; }
cargo +nightly fuzz --version >/dev/null 2>&1 || { echo "fuzz.sh: cargo-fuzz is needed (cargo install cargo-fuzz)" >&2; exit 2; }

seed() { # seed TARGET FILE... : copy files into the target's corpus
  local t="$1"; shift
  mkdir -p "fuzz/corpus/$t"
  for f in "$@"; do [[ -f "$f" ]] && cp "$f" "fuzz/corpus/$t/seed-$(echo "$f" | tr '/' '_')"; done
}
mapfile -t arch < <(find examples tests/fixtures -name '*.toml' ! -name 'pipelint.toml' | sort)
mapfile -t yaml < <(find examples tests/fixtures -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' | sort)
mapfile -t tf < <(find examples tests/fixtures -name '*.tf' | sort)
mapfile -t configs < <(find tests/fixtures examples -name 'pipelint.toml' | sort)
for t in arch_toml reports drawings; do seed "$t" "${arch[@]}"; done
seed cloudformation "${yaml[@]}"
seed terraform "${tf[@]}"
seed config "${configs[@]}"
mkdir -p fuzz/corpus/baseline
printf '{"version":1,"findings":[{"path":"a.arch.toml","subject":"service clicks","rule":"orphan-service","count":1}]}\n' \
  > fuzz/corpus/baseline/seed-baseline.json
# Rule-pack files: the first byte chooses the file (see the target).
mkdir -p fuzz/corpus/rule_pack
i=0
for f in rules/services.toml rules/integrations.toml rules/attributes.toml rules/limits.toml \
         rules/instances.toml rules/latency.toml rules/lake.toml rules/prices/us-east-1.toml; do
  { printf "\\x$(printf %02x "$i")"; head -c 65536 "$f"; } > "fuzz/corpus/rule_pack/seed-$i"
  i=$((i + 1))
done

cargo +nightly fuzz build -O
printf '%-16s %12s %8s %s\n' target executions seconds found
status=0
for t in "${targets[@]}"; do
  log="fuzz/artifacts/$t.log"
  mkdir -p "fuzz/artifacts/$t"
  set +e
  cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1)
  if [[ $rc -eq 0 ]]; then
    found="nothing"
  else
    found="$(grep -Eo 'ERROR: libFuzzer: [a-z-]+|panicked at [^ ]+' "$log" | head -1) (see $log)"
    status=1
  fi
  printf '%-16s %12s %8s %s\n' "$t" "${runs:-?}" "$secs" "$found"
done
exit $status
