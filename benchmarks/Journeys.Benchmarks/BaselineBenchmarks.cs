using System.Dynamic;
using BenchmarkDotNet.Attributes;
using Journeys.Engine;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Graph;
using Journeys.Language.Loading;
using Journeys.State;
using RulesEngine.Models;

namespace Journeys.Benchmarks;

/// <summary>The same event mix, two ways, in one run: the engine's compiled path (baseline = 1) against what a team
/// would hand-roll — RulesEngine's <c>ExecuteAllRulesAsync</c> for the entry and tier rules on every event, and a
/// Stateless machine per customer and journey fired with the event. The ratio is what the docs report.</summary>
[MemoryDiagnoser]
public class BaselineBenchmarks
{
    private const int EventsPerInvoke = 20_000;
    private const int Customers = 20_000;

    private PartitionProcessor _processor = null!;
    private CustomerEvent[] _events = null!;
    private long _now;

    private RulesEngine.RulesEngine _rules = null!;
    private Dictionary<string, HandRolledCustomer> _customers = null!;
    private JourneyCatalog _catalog = null!;

    private sealed class HandRolledCustomer
    {
        public required IDictionary<string, object?> Input { get; init; }
        public required RuleParameter[] Parameters { get; init; }
        public required List<(JourneyStateMachine Machine, Func<string> State)> Machines { get; init; }
    }

    private sealed class AlwaysGuards : IReferenceGuards
    {
        public static readonly AlwaysGuards Instance = new();

        public bool Holds(JourneyExpression expression) => true;

        public int Branch(StepDefinition step, SplitTransition split) => 0;

        public bool GoalInTime(GoalDefinition goal) => true;
    }

    [GlobalSetup]
    public void Setup()
    {
        _catalog = SampleWorkload.Catalog();
        _events = SampleWorkload.Events(EventsPerInvoke, Customers);
        _now = SampleWorkload.Start.UtcTicks;

        _processor = SampleWorkload.Population(_catalog, Customers);

        // The hand-rolled way: tier and entry rules as one RulesEngine workflow, run for the customer on every event.
        var workflow = new Workflow
        {
            WorkflowName = "Lifecycle",
            Rules =
            [
                new Rule { RuleName = "HighValue", Expression = "customer.spend12m >= 5000 || customer.orders180 >= 6" },
                new Rule { RuleName = "Potential", Expression = "customer.spend12m >= 1000 || customer.interactions30 >= 4" },
                new Rule { RuleName = "ValueBoost", Expression = "customer.interactions30 >= 2 && customer.daysSinceOrder <= 180" },
                new Rule { RuleName = "NewCustomer", Expression = "customer.country != \"test\"" },
            ],
        };
        _rules = new RulesEngine.RulesEngine([workflow], new ReSettings());
        _customers = new Dictionary<string, HandRolledCustomer>(StringComparer.Ordinal);
        for (var i = 0; i < Customers; i++)
        {
            IDictionary<string, object?> input = new ExpandoObject();
            input["spend12m"] = (double)(i % 97 * 100);
            input["orders180"] = 0;
            input["interactions30"] = 0;
            input["daysSinceOrder"] = 999.0;
            input["country"] = "cn";
            var machines = _catalog.Definitions.Select(j =>
            {
                var state = "";
                var machine = JourneyStateMachine.ForReference(j, () => state, s => state = s, AlwaysGuards.Instance);
                return (machine, (Func<string>)(() => state));
            }).ToList();
            _customers[SampleWorkload.CustomerId(i)] = new HandRolledCustomer
            {
                Input = input,
                Parameters = [new RuleParameter("customer", input)],
                Machines = machines,
            };
        }
    }

    private readonly long[] _times = new long[Partition.MaxEventBatch];

    /// <summary>The engine's per-event path as a partition worker runs it (batches, prefetching ahead).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public void Engine() => _now = SampleWorkload.ProcessInBatches(_processor, _events, _now, _times);

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task HandRolled()
    {
        foreach (var e in _events)
        {
            var customer = _customers[e.CustomerId];
            if (e.Type == "interaction")
            {
                customer.Input["interactions30"] = (int)customer.Input["interactions30"]! + 1;
            }
            else if (e.Type == "order_completed")
            {
                customer.Input["daysSinceOrder"] = 0.0;
            }

            var results = await _rules.ExecuteAllRulesAsync("Lifecycle", customer.Parameters);
            var enterBoost = results[2].IsSuccess;
            foreach (var (machine, _) in customer.Machines)
            {
                var trigger = machine.Machine.IsInState(machine.NotEntered)
                    ? (e.Type == "signed_up" || (enterBoost && machine.Journey.Id == "value-boost") ? JourneyStateMachine.EntryTrigger(machine.Journey) : null)
                    : JourneyStateMachine.OnTrigger(e.Type);
                if (trigger is not null && machine.Machine.CanFire(trigger))
                {
                    machine.Machine.Fire(trigger);
                }
            }
        }
    }
}
