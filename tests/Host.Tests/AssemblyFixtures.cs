using Workflows.Testing;

// One real PostgreSQL for the whole assembly; every PostgreSQL test creates its own database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
