#!/usr/bin/env bash
# The test command (README, .ci/run): sets up what the tests need, then runs unit and
# integration tests. Real parts are required, not optional: a missing one fails the run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export KRUNBOX_REQUIRE=${KRUNBOX_REQUIRE:-sandbox,libkrun,qemu,cgroups,compose-reference,buildah,podman}
"$ROOT/scripts/setup.sh" --no-build
cd "$ROOT"
# guest-init's config and frame readers under libFuzzer, a minute each (both at once, one core each)
bench/fuzz.sh "${KRUNBOX_FUZZ_MINUTES:-1}"
# unit and integration tests; install puts the artifacts where examples/ find them
mvn -B -ntp install
# a project of its own that depends on the installed krunbox-junit: PostgreSQL and Redis over JDBC and sockets
examples/junit-postgres/run.sh
