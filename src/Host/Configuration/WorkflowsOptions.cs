namespace Workflows.Host.Configuration;

/// <summary>The "Workflows" section of appsettings.json.</summary>
public sealed class WorkflowsOptions
{
    public const string Section = "Workflows";

    /// <summary>Folder of definition JSON files loaded at start (relative to the content root).</summary>
    public string DefinitionsPath { get; set; } = "definitions";

    /// <summary>How often each Host looks for due timers (the database is the truth for every due time).</summary>
    public TimeSpan TimerPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a timer claimed by a Host's timer pump is left to that Host's job. A claim of a Host that died before its job
    /// ran (or a job that gave up) runs out after this, and any Host's pump claims the timer again. Firing is guarded by the
    /// instance, not the claim, so a second job for the same timer never fires it twice.
    /// </summary>
    public TimeSpan TimerClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many due timers a timer pump claims with one conditional update and hands to Hangfire as one job
    /// (<see cref="Scheduling.TimerJob.FireBatchAsync"/>, each timer still fired in its own transaction).
    /// </summary>
    public int TimerBatchSize { get; set; } = 100;

    /// <summary>
    /// A committed timer due within this gets its own delayed Hangfire job (short delays fire on time); one due later is
    /// left to the timer pumps, which fire it in a batch at most about two poll intervals after it is due.
    /// </summary>
    public TimeSpan TimerScheduleAhead { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a resume that lost an optimistic-concurrency race is retried before answering 409.</summary>
    public int MaxConcurrencyRetries { get; set; } = 5;

    /// <summary>Load definitions/ and apply migrations on start (off in some tests).</summary>
    public bool LoadDefinitionsOnStart { get; set; } = true;

    /// <summary>Absolute address people reach the Host at; links in emails start with it.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long an emailed task link (approve / reject / open) works.</summary>
    public TimeSpan TaskLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an emailed sign-in link works.</summary>
    public TimeSpan SignInLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>The "Hangfire" section.</summary>
public sealed class HangfireOptions
{
    public const string Section = "Hangfire";

    /// <summary>Auto (in-memory with SQLite, the same database otherwise), InMemory, PostgreSql or SqlServer.</summary>
    public string Storage { get; set; } = "Auto";
    public int WorkerCount { get; set; } = 4;
    public bool Dashboard { get; set; } = true;
    public bool Server { get; set; } = true;
}

/// <summary>The "Smtp" section; without a host, mail is written as .eml files to the pickup directory.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool UseTls { get; set; }
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public string From { get; set; } = "workflows@localhost";
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>How often each Host looks for due outbox rows.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows one send job takes (one SMTP connection per job).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Failed sends of one row before it is given up (Status Failed, shown to admins).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// How long a claim on outbox rows keeps the other Hosts off them (renewed while a batch is sent). Rows claimed by a
    /// Host that died are sent by another Host once it runs out; at least one minute (longer than one SMTP exchange may take).
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);
}
