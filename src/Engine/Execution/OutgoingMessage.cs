using System.Text.Json.Nodes;

namespace Workflows.Engine.Execution;

/// <summary>
/// Something an activity wants sent once the run is committed (an email, an in-app notification).
/// The engine never sends; the host writes these to its outbox in the same transaction as the state.
/// </summary>
public sealed record OutgoingMessage(string Kind, string ActivityId, JsonObject Data);
