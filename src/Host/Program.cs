using Workflows.Host;
using Workflows.Host.Cli;

if (args.Length > 0 && Commands.IsCommand(args[0]))
    return await Commands.RunAsync(args);

try
{
    var app = WorkflowsApp.Map(WorkflowsApp.CreateBuilder(args).Build());
    await app.RunAsync();
    return 0;
}
catch (InvalidSettingsException ex)
{
    Console.Error.WriteLine($"appsettings.json: {ex.Message}");
    return 2;
}

public partial class Program;
