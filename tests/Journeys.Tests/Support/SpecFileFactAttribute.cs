namespace Journeys.Tests.Support;

/// <summary>A fact that needs the spec file itself; skipped (and so shown as skipped, never silently passed) in a checkout
/// without <c>shared/</c> beside the repository.</summary>
internal sealed class SpecFileFactAttribute : FactAttribute
{
    public SpecFileFactAttribute()
    {
        if (SpecDocument.FilePath is null)
        {
            Skip = $"{SpecDocument.RelativePath} is not beside the repository; the embedded copy is used instead";
        }
    }
}
