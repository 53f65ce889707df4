namespace Journeys.Engine;

/// <summary>The engine's own settings, each with its default stated here once and its rule checked here once: the
/// builder (<see cref="JourneyEngineBuilder.Configure"/> and its <c>With...</c> methods) and the generic host's
/// <c>JourneysOptions</c> both check through <see cref="Problems"/>, each naming the setting as its user wrote it.</summary>
public sealed class JourneyEngineOptions
{
    /// <summary>The most partitions an engine runs.</summary>
    public const int MaxPartitions = 1024;

    /// <summary>The smallest queue a partition may have.</summary>
    public const int MinQueueCapacity = 16;

    /// <summary>The default of <see cref="QueueCapacity"/>.</summary>
    public const int DefaultQueueCapacity = 65_536;

    /// <summary>The default of <see cref="CatchUpLimit"/>.</summary>
    public const int DefaultCatchUpLimit = 1000;

    /// <summary>The default of <see cref="DrainTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The number of partitions, each with its own worker thread and its own share of the customers (by a hash of
    /// the customer id): 1 to <see cref="MaxPartitions"/>. Default: one per processor (<see cref="Environment.ProcessorCount"/>).</summary>
    public int Partitions { get; set; } = Environment.ProcessorCount;

    /// <summary>How many items (events, profile updates, timer ticks) a partition queues before publishers wait: at least
    /// <see cref="MinQueueCapacity"/>. Default: <see cref="DefaultQueueCapacity"/> (65,536).</summary>
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    /// <summary>How many due timers a partition fires per turn while catching up (after an outage or a restart), so live
    /// input is applied between turns instead of after the whole backlog: at least 1. Default:
    /// <see cref="DefaultCatchUpLimit"/> (1,000).</summary>
    public int CatchUpLimit { get; set; } = DefaultCatchUpLimit;

    /// <summary>How late a send may be and still go out: a send decided by a timer that fires later than this after its due
    /// time (in a catch-up) is suppressed as <c>stale</c>. More than zero; default: null, no limit.</summary>
    public TimeSpan? MaxSendLateness { get; set; }

    /// <summary>How long <see cref="JourneyEngine.StopAsync"/> goes on delivering the messages already decided, retries
    /// included, measured on the engine's clock: more than zero, or <see cref="Timeout.InfiniteTimeSpan"/> to wait for every
    /// delivery to end. At the deadline the channels' tokens are cancelled; what is not delivered stays in the store's
    /// outbox for the next start. Default: <see cref="DefaultDrainTimeout"/> (30 seconds).</summary>
    public TimeSpan DrainTimeout { get; set; } = DefaultDrainTimeout;

    /// <summary>How long a customer stays in memory without a change before it is evicted (dropped from its partition and
    /// loaded back from the store by its next input), so memory follows the active population. Only a customer with
    /// nothing pending is evicted: no run in any journey, no pending <c>date</c> or <c>inactive</c> entry check, no send
    /// held for a cap or quiet hours, no journey-version move to record, and every change saved to the store. A partition
    /// sweeps its customers every <see cref="IdleEviction"/> when its queue runs empty, so a customer leaves memory between
    /// one and two <see cref="IdleEviction"/> after their last change. Needs a store that implements
    /// <see cref="Persistence.ICustomerControlStore"/>. More than zero; default: null, customers are never evicted.</summary>
    public TimeSpan? IdleEviction { get; set; }

    /// <summary>The default of <see cref="ScheduleMakeUp"/>: 24 hours.</summary>
    public static readonly TimeSpan DefaultScheduleMakeUp = TimeSpan.FromHours(24);

    /// <summary>How old a <c>schedule:</c> occurrence that fell due while no engine ran may be and still be made up when the
    /// engine starts on a store that kept its committed clock: per journey and zone the latest occurrence after that clock
    /// is entered once at start, unless it is older than this (see docs/journey-language.md, Schedules). Zero or more;
    /// <see cref="TimeSpan.Zero"/> or null: nothing is made up. Default: <see cref="DefaultScheduleMakeUp"/> (24 hours:
    /// an outage of up to a day still sends today's weekly offer; a greeting or an offer made up later than that is
    /// usually worse than none, and a daily schedule's next occurrence comes within a day anyway).</summary>
    public TimeSpan? ScheduleMakeUp { get; set; } = DefaultScheduleMakeUp;

    /// <summary>The default of <see cref="TemplateMaxSteps"/>: 100,000.</summary>
    public const int DefaultTemplateMaxSteps = Language.Templates.TemplateLimits.DefaultMaxSteps;

    /// <summary>The default of <see cref="TemplateMaxOutputLength"/> and <see cref="ExpressionMaxStringLength"/>:
    /// 1,048,576 characters.</summary>
    public const int DefaultMaxStringLength = 1 << 20;

    /// <summary>The most Liquid statements and loop iterations one render of a template executes (a range such as
    /// <c>(1..customer.stars)</c> counts its length): at least 1. A render over it fails the send, with the reason, instead
    /// of running on. Default: <see cref="DefaultTemplateMaxSteps"/> (100,000).</summary>
    public int TemplateMaxSteps { get; set; } = DefaultTemplateMaxSteps;

    /// <summary>The longest string, in characters, one render of a template builds — its output, a value it assigns or
    /// captures, a filter's result: at least 1. A render over it fails the send, with the reason. Default:
    /// <see cref="DefaultMaxStringLength"/> (1,048,576).</summary>
    public int TemplateMaxOutputLength { get; set; } = DefaultMaxStringLength;

    /// <summary>The longest string an expression builds by joining strings with <c>+</c>: at least 1. A join that would be
    /// longer is <c>null</c> (the language's missing value). Default: <see cref="DefaultMaxStringLength"/> (1,048,576).</summary>
    public int ExpressionMaxStringLength { get; set; } = DefaultMaxStringLength;

    /// <summary>Every setting that breaks its rule, one message each, naming the setting with
    /// <paramref name="name"/> (e.g. <c>WithPartitions</c> for the builder, <c>JourneysOptions.Partitions</c> for hosting).</summary>
    /// <param name="name">How the caller's users spell a setting, given its property name here.</param>
    /// <param name="nullMeansDefault">True when the caller's settings are nullable and null means this class's default:
    /// the messages say so.</param>
    public IReadOnlyList<string> Problems(Func<string, string> name, bool nullMeansDefault = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        string OrNull(string meaning) => nullMeansDefault ? $", or null for {meaning}" : "";
        var problems = new List<string>();
        if (Partitions is < 1 or > MaxPartitions)
        {
            problems.Add($"{name(nameof(Partitions))}: {Partitions} is out of range; use 1 to {MaxPartitions}{OrNull("one per processor")}.");
        }

        if (QueueCapacity < MinQueueCapacity)
        {
            problems.Add($"{name(nameof(QueueCapacity))}: {QueueCapacity} is too small; use at least {MinQueueCapacity}{OrNull("65,536")}.");
        }

        if (CatchUpLimit < 1)
        {
            problems.Add($"{name(nameof(CatchUpLimit))}: {CatchUpLimit} is too small; use at least 1 timer per turn{OrNull("1,000")}.");
        }

        if (MaxSendLateness <= TimeSpan.Zero)
        {
            problems.Add($"{name(nameof(MaxSendLateness))}: {MaxSendLateness} is not a lateness; use more than zero, or null for no limit.");
        }

        foreach (var (setting, value, meaning) in new[]
                 {
                     (nameof(TemplateMaxSteps), TemplateMaxSteps, "100,000"),
                     (nameof(TemplateMaxOutputLength), TemplateMaxOutputLength, "1,048,576"),
                     (nameof(ExpressionMaxStringLength), ExpressionMaxStringLength, "1,048,576"),
                 })
        {
            if (value < 1)
            {
                problems.Add($"{name(setting)}: {value} is too small; use at least 1{OrNull(meaning)}.");
            }
        }

        if (ScheduleMakeUp < TimeSpan.Zero)
        {
            problems.Add($"{name(nameof(ScheduleMakeUp))}: {ScheduleMakeUp} is not an age; use zero or more (zero or null: nothing is made up).");
        }

        if (IdleEviction is { } idle && idle <= TimeSpan.Zero)
        {
            problems.Add($"{name(nameof(IdleEviction))}: {idle} is not a time; use more than zero, or null to keep every customer in memory.");
        }

        if (DrainTimeout <= TimeSpan.Zero && DrainTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{name(nameof(DrainTimeout))}: {DrainTimeout} is not a deadline; use more than zero, or Timeout.InfiniteTimeSpan to wait for every " +
                         $"delivery{OrNull("30 seconds")}.");
        }

        return problems;
    }
}
