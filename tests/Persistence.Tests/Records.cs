using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Tests;

/// <summary>Valid rows with every required column filled, for tests to tweak.</summary>
internal static class Records
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public static InstanceRecord Instance(string id) => new()
    {
        Id = id,
        DefinitionId = "order-approval",
        DefinitionVersion = 1,
        Status = "Running",
        SubStatus = "Executing",
        StateJson = "{}",
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static DefinitionRecord Definition(string definitionId, int version) => new()
    {
        DefinitionId = definitionId,
        Version = version,
        Name = "Order approval",
        Json = "{}",
        ContentHash = new string('a', 64),
        IsPublished = true,
        IsLatest = true,
        CreatedAt = T0,
        Source = DefinitionRecord.SourceFile,
    };

    public static BookmarkRecord Bookmark(string id, string instanceId, DateTimeOffset? dueAt = null) => new()
    {
        Id = id,
        InstanceId = instanceId,
        ActivityId = "wait",
        ActivityInstanceId = id + "-ai",
        Kind = "timer",
        Stimulus = "wait",
        DueAt = dueAt,
        CreatedAt = T0,
    };

    public static TimerRecord Timer(string id, string instanceId, DateTimeOffset dueAt) => new()
    {
        Id = id,
        InstanceId = instanceId,
        BookmarkId = id + "-bm",
        DueAt = dueAt,
    };

    public static OutboxMessage Email(string messageId, DateTimeOffset? nextAttemptAt = null) => new()
    {
        Id = Guid.NewGuid(),
        MessageId = messageId,
        To = "someone@example.test",
        Subject = "Hello",
        BodyText = "Hi",
        NextAttemptAt = nextAttemptAt,
        CreatedAt = T0,
    };

    public static JournalEntry Journal(string instanceId, string @event) => new()
    {
        InstanceId = instanceId,
        Event = @event,
        At = T0,
    };
}
