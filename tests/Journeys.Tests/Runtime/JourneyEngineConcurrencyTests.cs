using Journeys.Decisions;
using Journeys.State;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>Publishing from many threads loses and duplicates nothing: each customer's decisions equal those of the
/// single-threaded simulator over the same per-customer event order.</summary>
public sealed class JourneyEngineConcurrencyTests
{
    private const int Customers = 2_000;
    private const int Threads = 8;
    private const int Phases = 5;
    private const int EventsPerCustomerPerPhase = 2; // 2,000 x 5 x 2 = 20,000 events
    private static readonly TimeSpan PhaseGap = TimeSpan.FromDays(2) + TimeSpan.FromHours(7);

    private const string CheckoutRescue = """
        journey: checkout-rescue
        version: 3
        entry: { on: cart_abandoned }
        reentry: always
        exit:
          - on: unsubscribed
        goal: { on: order_completed, within: 5d }
        start: wait
        steps:
          wait:
            then:
              - on: cart_viewed
                goto: nudge
              - after: 1d
                goto: pick
          pick:
            then:
              - split: [ { weight: 1, goto: nudge }, { weight: 1, goto: end } ]
          nudge:
            send: { channel: push, template: rescue/nudge }
            then:
              - if: "count('cart_viewed', 2) >= 2"
                goto: offer
              - after: 2d
                goto: end
          offer:
            send: { channel: email, template: rescue/offer }
        """;

    private static readonly string[] Alphabet =
        ["signed_up", "app_open", "consult_completed", "order_completed", "unsubscribed", "cart_abandoned", "cart_viewed", "cart_viewed", "page_view"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // each thread publishes its events in batches of random sizes, as a log consumer would
    public async Task Publish_From8ThreadsOver4Partitions_GivesEachCustomerExactlyTheSimulatorsDecisions(bool batches)
    {
        var catalog = Load(SpecJourneys.Nurture, CheckoutRescue);
        var random = new Random(20260105);
        var plan = Enumerable.Range(0, Phases)
            .Select(_ => Enumerable.Range(0, Customers)
                .Select(_ => Enumerable.Range(0, EventsPerCustomerPerPhase).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray())
                .ToArray())
            .ToArray();
        var end = T + (PhaseGap * Phases) + TimeSpan.FromDays(90);

        var script = new Script();
        for (var phase = 0; phase < Phases; phase++)
        {
            for (var c = 0; c < Customers; c++)
            {
                foreach (var type in plan[phase][c])
                {
                    script.Track(Id(c), type, T + (PhaseGap * phase));
                }
            }
        }

        var expected = PerCustomer(Run(catalog, script, end));

        var harness = new EngineHarness(catalog, partitions: 4);
        await using (harness)
        {
            for (var phase = 0; phase < Phases; phase++)
            {
                var at = T + (PhaseGap * phase);
                var p = phase;
                var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
                {
                    var batch = new List<CustomerEvent>();
                    var sizes = new Random(t + (100 * p));
                    for (var c = t; c < Customers; c += Threads) // a customer's events all come from one thread, in order
                    {
                        foreach (var type in plan[p][c])
                        {
                            var e = new CustomerEvent(Id(c), type, at);
                            if (!batches)
                            {
                                harness.Engine.Publish(e);
                                continue;
                            }

                            batch.Add(e);
                            if (batch.Count >= sizes.Next(1, 300))
                            {
                                harness.Engine.Publish(batch);
                                batch = [];
                            }
                        }
                    }

                    harness.Engine.Publish(batch);
                })).ToList();
                threads.ForEach(th => th.Start());
                threads.ForEach(th => Assert.True(th.Join(EngineHarness.SafetyTimeout)));
                await harness.DrainAsync();
                await harness.AdvanceAsync(phase < Phases - 1 ? PhaseGap : end - at);
            }
        }

        var actual = PerCustomer(harness.Decisions);
        Assert.Empty(harness.Errors);
        Assert.True(expected.Values.Sum(l => l.Count) > 10_000, $"the run should be busy enough to prove something: {expected.Values.Sum(l => l.Count)} decisions");
        Assert.All(new[] { " entered ", " moved ", " sent ", " goal ", " exited ", " completed " },
            kind => Assert.Contains(expected.Values.SelectMany(l => l), l => l.Contains(kind, StringComparison.Ordinal)));
        Assert.Equal(expected.Values.Sum(l => l.Count), actual.Values.Sum(l => l.Count));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (customer, lines) in expected)
        {
            Assert.Equal(lines, actual[customer]);
        }
    }

    private static string Id(int c) => $"customer-{c:D4}";

    /// <summary>Each customer's decisions in the order they were made (a stable grouping keeps that order).</summary>
    private static Dictionary<string, List<string>> PerCustomer(IEnumerable<JourneyDecision> decisions) =>
        decisions.GroupBy(d => d.CustomerId).ToDictionary(g => g.Key, g => g.Select(d => $"{d.JourneyId} v{d.Version} {Line(d)}").ToList());
}
