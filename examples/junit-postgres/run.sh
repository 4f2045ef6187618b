#!/usr/bin/env bash
# Runs this example's tests as scripts/test.sh does: the service images built (cached), Maven on
# the host's network (it fetches the PostgreSQL driver), the test JVM in a network namespace of its own.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export SERVICE_IMAGES=${SERVICE_IMAGES:-$("$root/scripts/build-service-images.sh" | tail -1)}
export KRUNBOX_HOME=${KRUNBOX_HOME:-$here/target/krunbox-home}
cd "$here"
start=$(date +%s%N)
mvn -B -ntp test -Dtest.jvm="$root/scripts/netns-java/bin/java" "$@"
echo "examples/junit-postgres: mvn test took $(( ($(date +%s%N) - start) / 1000000 )) ms"
