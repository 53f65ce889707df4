using Journeys.Language.Templates;

namespace Journeys.Engine;

/// <summary>The budgets a partition applies to what customer data drives (see docs/operations.md, "Limits").</summary>
internal sealed record EngineLimits(TemplateLimits Templates, int ExpressionMaxStringLength)
{
    public static EngineLimits Default { get; } = new(TemplateLimits.Default, JourneyEngineOptions.DefaultMaxStringLength);

    public static EngineLimits From(JourneyEngineOptions options) =>
        new(new TemplateLimits(options.TemplateMaxSteps, options.TemplateMaxOutputLength), options.ExpressionMaxStringLength);
}
