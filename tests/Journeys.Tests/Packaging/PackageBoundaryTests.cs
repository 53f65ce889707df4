using System.Reflection;
using System.Runtime.CompilerServices;
using Journeys.Engine;
using Journeys.Hosting;

namespace Journeys.Tests.Packaging;

/// <summary>What each package brings a host, read from the compiled assemblies' references: Core no native SQLite and no
/// hosting, Hosting nothing of MailKit or HTTP, Testing and the CLI only Core, and the CLI none of Core's internals.</summary>
public sealed class PackageBoundaryTests
{
    private static readonly Assembly Core = typeof(JourneyEngine).Assembly;

    private static readonly Assembly Hosting = typeof(JourneysOptions).Assembly;

    private static readonly Assembly Cli = typeof(Journeys.Cli.JourneysCommand).Assembly;

    private static List<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    [Fact]
    public void Core_ReferencesNoSqliteHostingOrChannels()
    {
        var references = References(Core);

        Assert.DoesNotContain(references, r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r is "Journeys.Hosting" or "Journeys.Channels" or "Journeys.Sqlite" or "Journeys.Orleans");
        Assert.DoesNotContain(references, r => r.StartsWith("Orleans", StringComparison.Ordinal)); // Orleans is Journeys.Orleans' alone
    }

    [Fact]
    public void Hosting_ReferencesNothingOfMailKitHttpOrChannels()
    {
        var references = References(Hosting);

        Assert.Contains("Journeys.Core", references);
        Assert.DoesNotContain(references, r => r is "MailKit" or "MimeKit" or "Journeys.Channels" or "Journeys.Sqlite");
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Extensions.Http", StringComparison.Ordinal) || r.StartsWith("Polly", StringComparison.Ordinal));
    }

    [Fact]
    public void Testing_ReferencesOnlyCoreOfTheJourneysPackages()
    {
        var testing = typeof(Journeys.Testing.JourneyHarness).Assembly;

        Assert.Equal(["Journeys.Core"], References(testing).Where(r => r.StartsWith("Journeys.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Cli_ReferencesOnlyCoreOfTheJourneysPackages()
    {
        Assert.Equal(["Journeys.Core"], References(Cli).Where(r => r.StartsWith("Journeys.", StringComparison.Ordinal)));
        Assert.DoesNotContain(References(Cli), r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Core_GrantsItsInternalsOnlyToTheTestsAndTheBenchmarks()
    {
        var friends = Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal);

        Assert.Equal(["Journeys.Benchmarks", "Journeys.Tests"], friends);
    }
}
