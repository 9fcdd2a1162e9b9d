using Workflows.Testing;

// One real PostgreSQL for the assembly; each test creates its own database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
