namespace Workflows.Engine.Execution;

/// <summary>Thrown by an activity (or an expression) to fault its execution with a message for the incident.</summary>
public class ActivityFaultException(string message, Exception? inner = null) : Exception(message, inner);
