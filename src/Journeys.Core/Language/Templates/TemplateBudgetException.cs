namespace Journeys.Language.Templates;

/// <summary>A render went over its <see cref="TemplateLimits"/>: reported as the send's <c>failed</c> reason.</summary>
internal sealed class TemplateBudgetException(string message) : Exception(message);
