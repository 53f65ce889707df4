using Journeys.Diagnostics;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Tests.Support;

/// <summary>Compiles expressions as the loader does and evaluates them against a customer at a fixed time. Compile every
/// expression first: the customer's activity slots are sized by what the compiled expressions read.</summary>
internal sealed class ExpressionHarness
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ActivityRequirements _activity = new();
    private readonly ExpressionCompiler _compiler;

    public ExpressionHarness(Func<string, int?>? resolveRule = null) =>
        _compiler = new ExpressionCompiler(_activity, resolveRule ?? (_ => null), () => []);

    public ActivityRequirements Activity => _activity;

    public JourneyExpression Compile(string text, ExpressionScope scope = ExpressionScope.CustomerAndEvent)
    {
        var diagnostics = new List<Diagnostic>();
        var compiled = _compiler.Compile(text, offset => new SourceLocation("expr", 1, offset + 1), scope, expectBool: true, diagnostics);
        Assert.True(compiled is not null && diagnostics.Count == 0, $"\"{text}\" did not compile:{Environment.NewLine}{Diagnose.Dump(diagnostics)}");
        return compiled!;
    }

    /// <summary>A customer with these traits (CLR values, converted as events and identify calls are).</summary>
    public CustomerState Customer(params (string Name, object? Value)[] traits)
    {
        var customer = new CustomerState("c1", journeyCount: 0);
        foreach (var (name, value) in traits)
        {
            customer.Traits[name] = Value.From(value);
        }

        return customer;
    }

    /// <summary>Records that the customer did <paramref name="type"/> <paramref name="ago"/> before <see cref="Now"/>.</summary>
    public void Did(CustomerState customer, string type, TimeSpan ago)
    {
        Assert.True(_activity.TryGetSlot(type, out var slot), $"no compiled expression reads '{type}'");
        customer.Activity.Record(_activity.Slots.Select(s => s.LongestWindow.Ticks).ToArray(), slot, (Now - ago).UtcTicks);
    }

    /// <summary>Records that the customer did <paramref name="type"/> with <paramref name="property"/> =
    /// <paramref name="amount"/> (a CLR value, converted as event properties are) <paramref name="ago"/> before
    /// <see cref="Now"/>, as the runtime records it for a compiled <c>sum</c>.</summary>
    public void Did(CustomerState customer, string type, string property, object? amount, TimeSpan ago)
    {
        var sum = _activity.Sums.FirstOrDefault(s => s.EventType == type && s.Property == property);
        Assert.True(sum is not null, $"no compiled expression sums '{type}'.'{property}'");
        customer.Sums.Record(_activity.Sums.Select(s => s.LongestWindow.Ticks).ToArray(), sum.Index, (Now - ago).UtcTicks, Value.From(amount));
    }

    /// <summary>The registry of time zones and tiers the harness's contexts read (an engine has one of its own).</summary>
    public static CustomerRegistry Registry { get; } = new();

    public static EvaluationContext Context(CustomerState customer, CustomerEvent? @event = null, IRuleEvaluator? rules = null) =>
        new() { Customer = customer, Event = @event, NowTicks = Now.UtcTicks, Rules = rules, Registry = Registry };

    public static Value Evaluate(JourneyExpression expression, CustomerState customer, CustomerEvent? @event = null) =>
        expression.Evaluate(Context(customer, @event));

    public static bool Holds(JourneyExpression expression, CustomerState customer, CustomerEvent? @event = null) =>
        expression.IsTrue(Context(customer, @event));

    /// <summary>Compiles <paramref name="text"/> in a fresh harness and evaluates it for a customer with these traits.</summary>
    public static bool HoldsFor(string text, params (string Name, object? Value)[] traits)
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile(text);
        return Holds(expression, harness.Customer(traits));
    }
}
