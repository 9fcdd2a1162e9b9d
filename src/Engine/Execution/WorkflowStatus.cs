namespace Workflows.Engine.Execution;

/// <summary>Elsa's main status: an instance is either still running or finished (whatever the reason).</summary>
public enum WorkflowStatus { Running, Finished }

/// <summary>Why the instance is in its status: Executing or Suspended while Running; Finished, Cancelled or Faulted once Finished.</summary>
public enum WorkflowSubStatus { Executing, Suspended, Finished, Cancelled, Faulted }

public enum ActivityStatus { Pending, Running, Suspended, Faulted }
