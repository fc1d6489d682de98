#!/usr/bin/env bash
# Lays the seed corpus of every fuzz target, fuzz/corpus/<target>/, from the shipped files
# (models, examples, test fixtures), the formulas written in them, the hand-written seeds
# of fuzz/seeds/ and the JSON outputs of the worked example (for verify_json). The corpus
# itself is not committed: cargo fuzz grows it in place. Run from anywhere:
#   bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p "$c"/{model,project,formula,events,positions,verify_json}

# One file per seed, named after its path so that seeds from two folders do not collide.
seed() { cp "$2" "$c/$1/$(echo "$2" | tr / _)"; }
for f in models/*.toml models/history/*.toml models/template/model.toml tests/fixtures/bad/*.toml; do
    seed model "$f"
done
for f in models/examples/*.toml models/template/project.toml tests/fixtures/bad-project/*.toml; do
    seed project "$f"
done
for f in models/examples/data/events-*.csv tests/fixtures/events/events-*.csv; do
    seed events "$f"
done
for f in models/examples/data/deployments-*.csv tests/fixtures/events/deployments-*.csv \
    tests/fixtures/events/positions-*.csv; do
    seed positions "$f"
done

# Every group formula and rule condition of the shipped models and bad fixtures, one per
# file (the TOML string's content, escapes left as written), and the hand-written ones.
grep -hoE '^(formula|when) = "([^"\\]|\\.)*"' models/*.toml models/template/model.toml \
    tests/fixtures/bad/*.toml |
    sed -E 's/^(formula|when) = "(.*)"$/\2/' |
    awk -v dir="$c/formula" '{ f = sprintf("%s/shipped-%03d", dir, NR); printf "%s", $0 > f; close(f) }'
cp fuzz/seeds/formula/* "$c/formula/"

# What `vigie verify` reads: the JSON outputs of the worked example.
m=models/sahel-infrastructure.toml
p=models/examples/covec-kayes.toml
cargo run -q -- score "$m" "$p" --format json > "$c/verify_json/score.json"
cargo run -q -- simulate "$m" "$p" --draws 200 --seed 7 --format json > "$c/verify_json/simulate.json"
cargo run -q -- sensitivity "$m" "$p" --n 64 --seed 7 --format json > "$c/verify_json/sensitivity.json"
for t in model project formula events positions verify_json; do
    echo "$t: $(ls "$c/$t" | wc -l) seeds"
done
