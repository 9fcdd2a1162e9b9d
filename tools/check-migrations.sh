#!/usr/bin/env bash
# Fails when the EF model has changes that no migration captures, for any provider.
# Each provider has its own migrations, so a model change needs `migrations add` three
# times (see src/Persistence/README.md); this catches the ones that were forgotten.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet tool restore >/dev/null
# Build once; each `dotnet ef` call below then skips its own build.
dotnet build src/Persistence/Persistence.csproj --nologo -v quiet

status=0
for context in SqliteWorkflowsDbContext PostgreSqlWorkflowsDbContext SqlServerWorkflowsDbContext; do
    if dotnet ef migrations has-pending-model-changes --no-build \
        --project src/Persistence --context "$context"; then
        echo "ok: $context has no pending model changes"
    else
        echo "FAIL: $context has pending model changes (or the check failed); add a migration" >&2
        status=1
    fi
done
exit $status
