using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.Language.Templates;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Templates;

/// <summary>A partition renders every send with one reused Fluid context and objects that read the send's values in
/// place (<see cref="TemplateRenderer"/>), and a message's traits are a snapshot of the customer's copy-on-write trait
/// array: none of one customer's values may reach another's message, and what is rendered must be what a fresh context
/// over copied dictionaries renders (<see cref="TemplateSet.Render(string, string, IReadOnlyDictionary{string, object}, IReadOnlyDictionary{string, object}, IReadOnlyDictionary{string, object}, TemplateLimits, DateTimeOffset, IReadOnlyDictionary{string, object})"/>).</summary>
public sealed class TemplateReuseTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public TemplateReuseTests() => _folder.Write("welcome.yaml", """
        journey: welcome
        entry: { on: signed_up }
        reentry: always
        start: hello
        steps:
          hello:
            send: { channel: push, template: hello }
        """);

    public void Dispose() => _folder.Dispose();

    /// <summary>Each customer is identified with its traits, then signs up (with its event's properties), in turn.</summary>
    private (List<JourneyDecision> Decisions, RecordingChannel Channel) Run(params (string Id, Dictionary<string, object?> Traits, Dictionary<string, object?> Properties)[] customers)
    {
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var channel = new RecordingChannel();
        var inputs = new List<SegmentInput>();
        var at = T;
        foreach (var (id, traits, properties) in customers)
        {
            inputs.Add(new SegmentInput(inputs.Count + 1, at, null, new CustomerProfile(id, traits)));
            inputs.Add(new SegmentInput(inputs.Count + 1, at = at.AddMinutes(1), new CustomerEvent(id, "signed_up", at, properties), null));
            at = at.AddMinutes(1);
        }

        return (new Simulator(catalog, channel).Run(inputs, at), channel);
    }

    private static string BodyOf(RecordingChannel channel, string customer) => channel.Messages.Single(m => m.CustomerId == customer).Body!;

    [Fact]
    public void Render_AssignedCountedCycledAndIfchangedValues_StartAfreshForEachCustomer()
    {
        // Each of these is state Fluid keeps in its context: assign and increment in the scope, cycle's position in the
        // scope, ifchanged's last value in the ambient values. A reused context that kept any would change the second
        // and third customers' text ("VIP", 1 and 2, 'b', no plan).
        _folder.Write("templates/hello.liquid",
            "{% if customer.vip %}{% assign greet = 'VIP ' %}{% endif %}{{ greet }}{{ customer.firstName }} {% increment n %} {% cycle 'a', 'b' %} {% ifchanged %}{{ customer.plan }}{% endifchanged %}");

        var (_, channel) = Run(
            ("c1", new() { ["firstName"] = "Ann", ["vip"] = true, ["plan"] = "gold" }, []),
            ("c2", new() { ["firstName"] = "Bo", ["plan"] = "gold" }, []),
            ("c3", new() { ["firstName"] = "Cy", ["vip"] = false, ["plan"] = "gold" }, []));

        Assert.Equal("VIP Ann 0 a gold", BodyOf(channel, "c1"));
        Assert.Equal("Bo 0 a gold", BodyOf(channel, "c2"));
        Assert.Equal("Cy 0 a gold", BodyOf(channel, "c3"));
    }

    [Fact]
    public void Render_ATraitOrPropertyTheNextCustomerLacks_IsNotSeenInItsMessage()
    {
        _folder.Write("templates/hello.liquid",
            "{{ customer.id }} {{ customer.coupon | default: 'none' }} {{ event.ref | default: '-' }} {{ customer.size }} {{ event.size }}");

        var (_, channel) = Run(
            ("c1", new() { ["coupon"] = "SAVE10", ["firstName"] = "Ann" }, new() { ["ref"] = "mail" }),
            ("c2", new() { ["firstName"] = "Bo" }, []));

        Assert.Equal("c1 SAVE10 mail 5 2", BodyOf(channel, "c1")); // two traits, id, tier, timeZone; ref and type
        Assert.Equal("c2 none - 4 1", BodyOf(channel, "c2"));
    }

    [Fact]
    public void Render_AfterARenderThatFailedHalfWay_StartsFromACleanContext()
    {
        // The first customer's render assigns, then fails (its range is over the step budget) inside the template; the
        // next render must neither fail nor see what the failed one assigned.
        _folder.Write("templates/hello.liquid",
            "{% if customer.stars > 100 %}{% assign leaked = 'L' %}{% endif %}{% for i in (1..customer.stars) %}*{% endfor %}{{ leaked }}{{ customer.firstName }}");

        var (decisions, channel) = Run(
            ("c1", new() { ["firstName"] = "Ann", ["stars"] = 200_000 }, []),
            ("c2", new() { ["firstName"] = "Bo", ["stars"] = 2 }, []));

        var failed = decisions.Single(d => d.Kind == DecisionKind.Failed);
        Assert.Equal("c1", failed.CustomerId);
        Assert.Contains("step limit", failed.Reason, StringComparison.Ordinal);
        Assert.Equal("**Bo", BodyOf(channel, "c2"));
    }

    [Fact]
    public void Message_Traits_AreThoseOfTheMomentOfTheSend_WhenTheCustomerChangesLater()
    {
        _folder.Write("templates/hello.liquid", "{{ customer.plan }}");
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var channel = new RecordingChannel();

        new Simulator(catalog, channel).Run(
        [
            new SegmentInput(1, T, null, new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "gold", ["points"] = 3, ["coupon"] = "X" })),
            new SegmentInput(2, T.AddMinutes(1), new CustomerEvent("c1", "signed_up", T.AddMinutes(1)), null),
            new SegmentInput(3, T.AddMinutes(2), null, new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "silver", ["points"] = 4, ["coupon"] = null })),
        ], T.AddMinutes(3));

        var message = Assert.Single(channel.Messages);
        Assert.Equal("gold", message.Body);
        Assert.Equal(["plan", "points", "coupon"], message.Traits.Keys);
        Assert.Equal("gold", message.Traits["plan"]);
        Assert.Equal(3.0, message.Traits["points"]);
        Assert.Equal("X", message.Traits["coupon"]);
    }

    // The differential: one renderer, reused over random customers and events, against a fresh context over the
    // dictionaries the engine built per send before (traits copied, then id, tier and timeZone; the event's properties
    // then type; the journey; entry's properties then timestamp). Names collide on purpose (a trait called id, a property
    // called type), and the template shows every name, its order, its value and the object's size.
    private const string Dump = """
        {{ customer | json }}|{% for p in customer %}{{ p[0] }}={{ p[1] }};{% endfor %}|{{ customer.size }}|{{ customer.id }}|{{ customer.tier }}
        {{ event | json }}|{{ event.type }}|{{ event.size }}|{{ journey | json }}|{{ entry | json }}|{{ entry.timestamp }}|{{ entry == nil }}
        {% assign x = customer.a | append: event.b %}{{ x }}{% increment k %}
        """;

    private static readonly string[] Names = ["a", "b", "id", "tier", "type", "timeZone", "timestamp"];

    private static readonly Gen<object?> Values = Gen.OneOf(
        Gen.Constant<object?>(null), Gen.Elements<object?>("x", "Li", "<b>"), Gen.Choose(-3, 3).Select(i => (object?)(i * 1.5)),
        Gen.Elements<object?>(true, false), Gen.Constant<object?>(T.AddDays(1)));

    private static readonly Gen<Dictionary<string, object?>> Maps =
        Gen.Shuffle(Names).SelectMany(names => Gen.Choose(0, names.Length).SelectMany(n => Values.ArrayOf(n).Select(values =>
            names.Take(n).Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))));

    private sealed record SendCase(Dictionary<string, object?> Traits, Dictionary<string, object?> Properties, string? EventType,
        bool HasEntry, Dictionary<string, object?>? Entry, int Version);

    private static readonly Gen<SendCase> Cases =
        from traits in Maps
        from properties in Maps
        from type in Gen.Elements<string?>("signed_up", null)
        from hasEntry in Gen.Elements(true, false)
        from entry in Gen.OneOf(Maps.Select(m => (Dictionary<string, object?>?)m), Gen.Constant<Dictionary<string, object?>?>(null))
        from version in Gen.Choose(1, 3)
        select new SendCase(traits, properties, type, hasEntry, entry, version);

    [Property(MaxTest = 60)]
    public Property Render_Reused_IsWhatAFreshContextOverCopiedDictionariesRenders() =>
        Prop.ForAll(Arb.From(Cases.ListOf().Select(l => l.Take(6).ToArray())), cases =>
        {
            var templates = TemplatesOf(Dump);
            var renderer = new TemplateRenderer(templates);
            var (subject, entered) = ("c-1", T.AddHours(-1));
            foreach (var c in cases)
            {
                var bag = new TraitBag();
                foreach (var (name, value) in c.Traits)
                {
                    if (value is not null)
                    {
                        bag[name] = Value.From(value);
                    }
                }

                var traits = bag.Snapshot();
                var send = new TemplateSend(traits, subject, "gold", "UTC", c.Properties, c.EventType, "welcome", c.Version, "hello",
                    c.HasEntry, c.Entry, entered);
                var reused = renderer.Render("hello", "push", send, TemplateLimits.Default, T)!;

                var customer = new Dictionary<string, object?>(traits, StringComparer.Ordinal) { ["id"] = subject, ["tier"] = "gold", ["timeZone"] = "UTC" };
                var eventValues = new Dictionary<string, object?>(c.Properties, StringComparer.Ordinal) { ["type"] = c.EventType };
                var journey = new Dictionary<string, object?> { ["id"] = "welcome", ["version"] = c.Version, ["step"] = "hello" };
                var entry = c.HasEntry ? new Dictionary<string, object?>(c.Entry ?? [], StringComparer.Ordinal) { ["timestamp"] = entered } : null;
                var fresh = templates.Render("hello", "push", customer, eventValues, journey, TemplateLimits.Default, T, entry)!;
                if (reused.Body != fresh.Body)
                {
                    return false.Label($"reused:\n{reused.Body}\nfresh:\n{fresh.Body}");
                }
            }

            return true.ToProperty();
        });

    private TemplateSet TemplatesOf(string body)
    {
        _folder.Write("templates/hello.liquid", body);
        return JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid().Templates;
    }
}
