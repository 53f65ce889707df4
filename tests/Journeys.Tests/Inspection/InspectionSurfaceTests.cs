using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Inspection;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Inspection;

/// <summary>Loaded journeys are read through the inspection model only: the engine exposes it, and the parsed definition
/// records stay inside Core (only the language's enums are public in their namespace).</summary>
public sealed class InspectionSurfaceTests
{
    [Fact]
    public async Task Engine_Catalog_ExposesTheInspectionModel()
    {
        var catalog = JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey), ("policy.yaml", SpecDocument.Policy)).ThrowIfInvalid();
        await using var engine = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel(RecordingChannel.AnyName)).Build();

        Assert.Same(catalog.Journeys, engine.Catalog.Journeys);
        Assert.Equal(["high-value", "normal"], engine.Catalog.Policy.Tiers.Select(t => t.Name));
        Assert.Equal("on signed_up if customer.country != 'test'", engine.Catalog.Journeys.Single().Entry.Text);
    }

    [Fact]
    public void DefinitionsNamespace_ExposesOnlyTheLanguagesEnums()
    {
        var exported = typeof(JourneyInfo).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Journeys.Language.Definitions")
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["CappedAction", "ReentryKind", "VersioningMode"], exported);
    }

    [Fact]
    public void InspectionTypes_AreSealedAndCannotBeBuiltOutsideCore()
    {
        var types = typeof(JourneyInfo).Assembly.GetExportedTypes().Where(t => t.Namespace == "Journeys.Inspection" && t.IsClass).ToList();

        Assert.Equal(15, types.Count); // EmitInfo: a step's emit, CallInfo: its call (v2)
        Assert.All(types, t => Assert.True(t.IsSealed && t.GetConstructors().Length == 0, $"{t.Name} is not sealed or has a public constructor"));
        Assert.All(types.SelectMany(t => t.GetProperties()), p => Assert.True(p.SetMethod is null || !p.SetMethod.IsPublic, $"{p.DeclaringType!.Name}.{p.Name} can be set"));
    }

    /// <summary>The example of docs/embedding.md ("Inspecting loaded journeys"), on the spec's journey and policy.</summary>
    [Fact]
    public void EmbeddingDocsExample_PrintsTheSpecJourney()
    {
        var catalog = JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey), ("policy.yaml", SpecDocument.Policy)).ThrowIfInvalid();
        var output = new StringWriter { NewLine = "\n" };

        foreach (var journey in catalog.Journeys)
        {
            output.WriteLine($"{journey.Id} v{journey.Version}: entry {journey.Entry.Text} ({journey.Entry.Location})");
            foreach (var step in journey.Steps)
            {
                foreach (var send in step.Sends)
                {
                    output.WriteLine($"  {step.Name}: sends {send.Template} on {send.Channel}");
                }

                foreach (var t in step.Transitions)
                {
                    output.WriteLine($"  {step.Name} --> {(t.Kind == TransitionKind.Split ? string.Join(", ", t.Branches.Select(b => $"{b.Target} {b.Share}")) : t.Target)} : {t.Label}");
                }
            }
        }

        foreach (var tier in catalog.Policy.Tiers)
        {
            output.WriteLine($"tier {tier.Name}: {tier.Condition}");
        }

        var lines = output.ToString().Split('\n');
        Assert.Equal("new-customer-nurture v1: entry on signed_up if customer.country != 'test' (journey.yaml:6:3)", lines[0]);
        Assert.Contains("  guide: sends nurture/guide on push", lines);
        Assert.Contains("  tips --> reminder : if [count('app_open', 14) == 0]", lines);
        Assert.Contains("tier normal: true", lines);
    }
}
