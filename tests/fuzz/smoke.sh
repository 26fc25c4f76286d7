#!/bin/bash
# make check's short fuzzing run: every libFuzzer target for
# FUZZ_SMOKE_SECONDS (default 10) with a fixed seed, from the seed corpora.
# make fuzz runs them longer (FUZZ_SECONDS, default 60) with random seeds.
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_SEED=${FUZZ_SEED:-1} exec "$src/tests/fuzz/run.sh" "${FUZZ_SMOKE_SECONDS:-10}"
