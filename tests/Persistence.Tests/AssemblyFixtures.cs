using Workflows.Testing;

// One real PostgreSQL for the whole assembly: starting one takes a few seconds, and tests
// stay isolated by each creating its own database.
[assembly: AssemblyFixture(typeof(PostgresServer))]
