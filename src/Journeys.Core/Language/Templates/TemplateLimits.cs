namespace Journeys.Language.Templates;

/// <summary>The budget of one render: customer data drives Liquid loops (<c>{% for i in (1..customer.stars) %}</c>) and
/// string growth (<c>{% assign s = s | append: s %}</c>), so every render is bounded in statements executed, in include
/// depth, and in the length of every string it builds — its output, each assigned or captured value and each filter's
/// result. A render over budget fails (the send's decision is <c>failed</c> with the reason), never runs on.</summary>
/// <param name="MaxSteps">The most Liquid statements (and loop iterations) one render executes.</param>
/// <param name="MaxOutputLength">The longest string, in characters, a render builds: the output, an assigned or captured
/// value, a filter's result.</param>
internal sealed record TemplateLimits(int MaxSteps, int MaxOutputLength)
{
    /// <summary>The default of <see cref="MaxSteps"/>: 100,000.</summary>
    public const int DefaultMaxSteps = 100_000;

    /// <summary>The default of <see cref="MaxOutputLength"/>: 1,048,576 characters.</summary>
    public const int DefaultMaxOutputLength = 1 << 20;

    /// <summary>How deep includes may nest (Fluid's <c>MaxRecursion</c>); templates have no file provider, so this guards
    /// only against a future one.</summary>
    public const int MaxRecursion = 16;

    public static TemplateLimits Default { get; } = new(DefaultMaxSteps, DefaultMaxOutputLength);
}
