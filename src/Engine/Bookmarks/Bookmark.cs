using System.Text.Json.Nodes;

namespace Workflows.Engine.Bookmarks;

/// <summary>
/// A place where an instance waits: a kind (the activity type, e.g. "Elsa.Event"), a stimulus to find it
/// by (an event name), an optional due time (timers) and a payload the host may use (e.g. task details).
/// </summary>
public sealed record Bookmark(
    string Id,
    string InstanceId,
    string ActivityId,
    string ActivityRecordId,
    string Kind,
    string? Stimulus,
    DateTimeOffset? DueAt,
    JsonObject? Payload = null);

public sealed class BookmarkNotFoundException(string bookmarkId)
    : Exception($"Bookmark '{bookmarkId}' does not exist on this instance (already resumed or never created).")
{
    public string BookmarkId { get; } = bookmarkId;
}
