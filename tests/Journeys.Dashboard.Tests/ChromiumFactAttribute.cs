namespace Journeys.Dashboard.Tests;

/// <summary>A fact that drives Debian's headless Chromium (packages <c>chromium</c> and <c>chromium-driver</c>, which
/// <c>.ci/run</c> installs): shown as skipped, with the reason, on a machine without them — never silently passed.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public ChromiumFactAttribute()
    {
        var missing = new[] { Browser, Driver }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            Skip = $"headless Chromium is not installed ({string.Join(", ", missing)} missing): run `apt-get install -y chromium chromium-driver` (.ci/run does)";
        }
    }
}
