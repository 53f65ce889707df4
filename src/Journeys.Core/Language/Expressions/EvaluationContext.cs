using Journeys.State;

namespace Journeys.Language.Expressions;

/// <summary>What a compiled expression reads: the customer, the event at hand, the current time, the rules. One instance
/// per worker, reused for every evaluation (hot path: nothing here allocates).</summary>
internal sealed class EvaluationContext
{
    public CustomerState Customer { get; set; } = null!;

    /// <summary>The engine's registry of time zones and tiers (a fresh one for a context outside an engine).</summary>
    public CustomerRegistry Registry { get; set; } = new();

    public CustomerEvent? Event { get; set; }

    public long NowTicks { get; set; }

    /// <summary>The run whose step, exit or goal is being evaluated (what <c>entry.*</c> reads), or null.</summary>
    public JourneyInstance? Run { get; set; }

    /// <summary><c>entry.&lt;property&gt;</c>: a property of the event that entered the run; null for a run not entered by an event.</summary>
    public Value EntryProperty(string name) =>
        Run?.EntryProperties is { } properties && properties.TryGetValue(name, out var v) ? Value.From(v) : Value.Null;

    /// <summary><c>entry.timestamp</c>: when the run began.</summary>
    public Value EntryTimestamp() => Run is { } run ? Value.TimestampTicks(run.EnteredTicks) : Value.Null;

    /// <summary>The answer of the call being applied (what <c>result.*</c> reads), or null.</summary>
    public IReadOnlyDictionary<string, Value>? Result { get; set; }

    /// <summary><c>result.&lt;field&gt;</c>: a field of the call's answer; null when it has none.</summary>
    public Value ResultField(string name) => Result is { } result && result.TryGetValue(name, out var v) ? v : Value.Null;

    public IRuleEvaluator? Rules { get; set; }

    /// <summary>The default of <see cref="MaxStringLength"/>: 1,048,576 characters.</summary>
    public const int DefaultMaxStringLength = 1 << 20;

    /// <summary>The longest string an expression builds with <c>+</c>: a join that would be longer is <c>null</c> (the
    /// spec's missing value: compares false, <c>== null</c> true), so customer data cannot make an expression copy
    /// unbounded text.</summary>
    public int MaxStringLength { get; set; } = DefaultMaxStringLength;

    /// <summary><c>a + b</c>: numbers add; strings join, up to <see cref="MaxStringLength"/> (null past it); anything else
    /// is null.</summary>
    public Value Add(Value a, Value b) =>
        a.Kind == ValueKind.String && b.Kind == ValueKind.String && (long)a.AsString.Length + b.AsString.Length > MaxStringLength ? Value.Null : Value.Add(a, b);

    public Value Trait(string name) => Customer.GetTrait(name);

    public Value CustomerId() => Value.String(Customer.Id);

    /// <summary>Derives the customer's tier on demand (set by the runtime; null where tiers are not in play).</summary>
    public Func<CustomerState, string>? DeriveTier { get; set; }

    public Value Tier() => Value.String(DeriveTier is null ? Customer.TierIn(Registry) : DeriveTier(Customer));

    public Value TimeZone() => Value.String(Customer.TimeZoneIn(Registry).Id);

    public Value EventType() => Event is null ? Value.Null : Value.String(Event.Type);

    public Value EventProperty(string name) => Event is null ? Value.Null : Event.GetProperty(name);

    public Value Count(int slot, double days) => Value.Number(Customer.Activity.Count(slot, NowTicks, TimeSpan.FromDays(days).Ticks));

    public Value Sum(int slot, double days) => Value.Number(Customer.Sums.Sum(slot, NowTicks, TimeSpan.FromDays(days).Ticks));

    public Value LastSeen(int slot) => Customer.Activity.LastSeen(slot) is { } t ? Value.TimestampTicks(t) : Value.Null;

    public Value DaysSince(Value v) => v.TryGetTicks() is { } t ? Value.Number((NowTicks - t) / (double)TimeSpan.TicksPerDay) : Value.PositiveInfinity;

    public Value HoursSince(Value v) => v.TryGetTicks() is { } t ? Value.Number((NowTicks - t) / (double)TimeSpan.TicksPerHour) : Value.PositiveInfinity;

    /// <summary>The rules that failed to evaluate since the caller last looked (and cleared the list): each counted as not
    /// holding. Null until the first failure, so evaluations that fail nothing allocate nothing.</summary>
    public List<RuleFailure>? RuleFailures { get; private set; }

    public Value Rule(int index)
    {
        if (Rules is null)
        {
            return Value.False;
        }

        var holds = Rules.Evaluate(index, Customer, out var failure);
        if (failure is { } f)
        {
            (RuleFailures ??= []).Add(f);
        }

        return Value.Bool(holds);
    }
}
