using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.State;

namespace Journeys.Interpretation;

// A step's `set:`: traits stored on arrival, as an identify would store them.
internal sealed partial class JourneyInterpreter
{
    /// <summary>Evaluates every expression of the step's <c>set:</c> with the traits as they were on arrival, then stores
    /// the values (null removes the trait) and records <c>updated</c>. When a value changed, what expressions over the
    /// customer read is new (rules, tiers, <c>when</c> entries), exactly as after an identify.</summary>
    private void SetTraits(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now)
    {
        var values = new Value[step.Set.Length]; // a decision is made: allocating here is off the idle path
        ctx.Run = instance; // entry.* reads this run's entering event
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = step.Set[i].Value is { } expression ? expression.Evaluate(ctx) : Value.Null;
        }

        decisions.EmitRuleFailures(ctx, now, customer, journey, instance.Version, step.Name);
        List<string>? changed = null;
        for (var i = 0; i < values.Length; i++)
        {
            var (name, value) = (step.Set[i].Trait, values[i]);
            if (value.IsNull ? customer.Traits.Remove(name) : !customer.Traits.TryGetValue(name, out var old) || !old.Equals(value))
            {
                if (!value.IsNull)
                {
                    customer.Traits[name] = value;
                }

                (changed ??= []).Add(name);
            }
        }

        decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Updated, reason: step.SetReason);
        if (changed is not null)
        {
            customer.RuleMemo.Clear(); // rule results were for the traits before
            StateChanged(customer);
            Effects.TraitsChanged(customer, changed, now);
        }
    }
}
