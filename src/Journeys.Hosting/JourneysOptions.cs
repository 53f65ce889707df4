using Journeys.Engine;


namespace Journeys.Hosting;

/// <summary>What <c>services.AddJourneys(...)</c> builds the engine from. Checked when the host starts
/// (<c>ValidateOnStart</c>): every wrong setting is reported at once, each named as <c>JourneysOptions.Property</c>.
/// Bindable from configuration (<c>builder.Services.Configure&lt;JourneysOptions&gt;(config.GetSection("Journeys"))</c>).</summary>
public sealed class JourneysOptions
{
    /// <summary>The folder of journey files (YAML, <c>policy.yaml</c>, <c>rules/</c>, <c>templates/</c>). Required; a
    /// relative path is taken from the host's content root (the current directory when there is no host
    /// environment). Loaded when the engine is first resolved; definitions with errors fail the start with every
    /// <c>file:line:column</c> problem listed.</summary>
    public string? Folder { get; set; }

    /// <summary><see cref="JourneyEngineOptions.Partitions"/>; null (the default) keeps that option's default.</summary>
    public int? Partitions { get; set; }

    /// <summary><see cref="JourneyEngineOptions.QueueCapacity"/>; null (the default) keeps that option's default.</summary>
    public int? QueueCapacity { get; set; }

    /// <summary><see cref="JourneyEngineOptions.CatchUpLimit"/>; null (the default) keeps that option's default.</summary>
    public int? CatchUpLimit { get; set; }

    /// <summary><see cref="JourneyEngineOptions.MaxSendLateness"/>; null (the default): no limit.</summary>
    public TimeSpan? MaxSendLateness { get; set; }

    /// <summary><see cref="JourneyEngineOptions.DrainTimeout"/>; null (the default) keeps that option's default. The
    /// host's own shutdown timeout cuts it short too.</summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary><see cref="JourneyEngineOptions.IdleEviction"/>; null (the default): customers are never evicted. Needs a
    /// store that implements <c>ICustomerControlStore</c>.</summary>
    public TimeSpan? IdleEviction { get; set; }

    /// <summary><see cref="JourneyEngineOptions.ScheduleMakeUp"/>; null (the default) keeps that option's default (24 hours);
    /// <see cref="TimeSpan.Zero"/>: nothing is made up.</summary>
    public TimeSpan? ScheduleMakeUp { get; set; }

    /// <summary><see cref="JourneyEngineOptions.TemplateMaxSteps"/>; null (the default) keeps that option's default.</summary>
    public int? TemplateMaxSteps { get; set; }

    /// <summary><see cref="JourneyEngineOptions.TemplateMaxOutputLength"/>; null (the default) keeps that option's default.</summary>
    public int? TemplateMaxOutputLength { get; set; }

    /// <summary><see cref="JourneyEngineOptions.ExpressionMaxStringLength"/>; null (the default) keeps that option's default.</summary>
    public int? ExpressionMaxStringLength { get; set; }

    /// <summary>Sets the engine's options from these: a null keeps the engine's default. The one mapping both the
    /// validation at start and the engine's build use.</summary>
    internal void ApplyTo(JourneyEngineOptions engine)
    {
        engine.Partitions = Partitions ?? engine.Partitions;
        engine.QueueCapacity = QueueCapacity ?? engine.QueueCapacity;
        engine.CatchUpLimit = CatchUpLimit ?? engine.CatchUpLimit;
        engine.MaxSendLateness = MaxSendLateness ?? engine.MaxSendLateness;
        engine.DrainTimeout = DrainTimeout ?? engine.DrainTimeout;
        engine.IdleEviction = IdleEviction ?? engine.IdleEviction;
        engine.ScheduleMakeUp = ScheduleMakeUp ?? engine.ScheduleMakeUp;
        engine.TemplateMaxSteps = TemplateMaxSteps ?? engine.TemplateMaxSteps;
        engine.TemplateMaxOutputLength = TemplateMaxOutputLength ?? engine.TemplateMaxOutputLength;
        engine.ExpressionMaxStringLength = ExpressionMaxStringLength ?? engine.ExpressionMaxStringLength;
    }

    /// <summary>The folder as a full path: <see cref="Folder"/> taken from <paramref name="contentRoot"/> when relative.</summary>
    internal string FullFolder(string? contentRoot) => Path.GetFullPath(Path.Combine(contentRoot ?? Directory.GetCurrentDirectory(), Folder!));
}
