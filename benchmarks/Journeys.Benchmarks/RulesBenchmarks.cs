using System.Dynamic;
using BenchmarkDotNet.Attributes;
using Journeys.Language.Expressions;
using Journeys.Language.Loading;
using Journeys.State;
using RulesEngine.Models;

namespace Journeys.Benchmarks;

/// <summary>One guard, three ways: compiled by Journeys (NCalc parse, own expression tree), run through RulesEngine
/// (what a hand-rolled engine would call per event), and interpreted by NCalc. Same customer, same answer.</summary>
[MemoryDiagnoser]
public class RulesBenchmarks
{
    private const string Guard = "customer.spend12m >= 5000 && customer.country != 'test'";
    private readonly EvaluationContext _context = new();
    private JourneyExpression _compiled = null!;
    private RulesEngine.RulesEngine _rulesEngine = null!;
    private RuleParameter _input = null!;
    private NCalc.Expression _interpreted = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = JourneyLoader.LoadYaml(("policy.yaml", $"policy:\n  tiers:\n    high: \"{Guard}\"\n")).ThrowIfInvalid();
        _compiled = catalog.PolicyDefinition.Tiers[0].Condition;
        var customer = new CustomerState("c1", 0);
        customer.Traits["spend12m"] = Value.Number(6000);
        customer.Traits["country"] = Value.String("cn");
        _context.Customer = customer;

        var workflow = new Workflow
        {
            WorkflowName = "Guards",
            Rules = [new Rule { RuleName = "High", Expression = "customer.spend12m >= 5000 && customer.country != \"test\"" }],
        };
        _rulesEngine = new RulesEngine.RulesEngine([workflow], new ReSettings());
        IDictionary<string, object?> input = new ExpandoObject();
        input["spend12m"] = 6000.0;
        input["country"] = "cn";
        _input = new RuleParameter("customer", input);

        _interpreted = new NCalc.Expression("[customer.spend12m] >= 5000 && [customer.country] != 'test'");
        _interpreted.Parameters["customer.spend12m"] = 6000.0;
        _interpreted.Parameters["customer.country"] = "cn";
    }

    [Benchmark(Baseline = true)]
    public bool Compiled() => _compiled.IsTrue(_context);

    [Benchmark]
    public async Task<bool> RulesEngine() => (await _rulesEngine.ExecuteAllRulesAsync("Guards", _input))[0].IsSuccess;

    [Benchmark]
    public bool NCalcInterpreted() => (bool)_interpreted.Evaluate();
}
