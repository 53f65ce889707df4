using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Language.Loading;

namespace Journeys.Tests.Runtime;

/// <summary>The builder checks everything in one pass and names every wrong setting in one message.</summary>
public sealed class JourneyEngineBuilderTests
{
    [Fact]
    public void Build_MissingChannelsAndBadSettings_ListsEveryProblemInOneMessage()
    {
        var builder = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(SpecJourneys.Nurture))
            .AddChannel(new RecordingChannel("push"))
            .AddChannel(new RecordingChannel("email"))
            .WithPartitions(0)
            .WithQueueCapacity(8);

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal(string.Join(Environment.NewLine,
            "The journey engine is not configured correctly:",
            "WithPartitions: 0 is out of range; use 1 to 1024.",
            "WithQueueCapacity: 8 is too small; use at least 16.",
            "AddChannel: journeys send on channel 'agent-task', but no channel of that name is registered.",
            "AddChannel: journeys send on channel 'sms', but no channel of that name is registered."), ex.Message);
    }

    [Fact]
    public void Configure_EverySettingWrong_EachNamedOnceAsItsWithMethod()
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Sim.Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel())
            .Configure(o => (o.Partitions, o.QueueCapacity, o.CatchUpLimit, o.MaxSendLateness) = (0, 1, 0, TimeSpan.Zero));

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal(string.Join(Environment.NewLine,
            "The journey engine is not configured correctly:",
            "WithPartitions: 0 is out of range; use 1 to 1024.",
            "WithQueueCapacity: 1 is too small; use at least 16.",
            "WithCatchUpLimit: 0 is too small; use at least 1 timer per turn.",
            "WithMaxSendLateness: 00:00:00 is not a lateness; use more than zero, or null for no limit."), ex.Message);
    }

    [Fact]
    public void Options_Defaults_AreValidAndStatedOnTheOptions()
    {
        var options = new JourneyEngineOptions();

        Assert.Empty(options.Problems(name => name));
        Assert.Equal((Environment.ProcessorCount, JourneyEngineOptions.DefaultQueueCapacity, JourneyEngineOptions.DefaultCatchUpLimit, (TimeSpan?)null),
            (options.Partitions, options.QueueCapacity, options.CatchUpLimit, options.MaxSendLateness));
    }

    [Fact]
    public void Build_TooManyPartitions_IsRefused()
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Sim.Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel()).WithPartitions(1025);

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("WithPartitions: 1025 is out of range; use 1 to 1024.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoJourneysAndTwoChannelsWithOneName_ListsBoth()
    {
        var builder = new JourneyEngineBuilder().AddChannel(new RecordingChannel("push")).AddChannel(new RecordingChannel("push"));

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal(string.Join(Environment.NewLine,
            "The journey engine is not configured correctly:",
            "No journeys: call LoadFolder(folder) or UseCatalog(catalog).",
            "AddChannel: two channels are named 'push'."), ex.Message);
    }

    [Fact]
    public void Build_CatalogWithErrors_ThrowsTheLoadErrors()
    {
        var catalog = JourneyLoader.LoadYaml(("bad.yaml", "journey: bad\nversion: 1\nentry: { on: x }\nstart: nowhere\nsteps:\n  a:\n"));
        var builder = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel());

        var ex = Assert.Throws<JourneyLoadException>(builder.Build);

        Assert.Contains("bad.yaml:4:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RecordingChannelNamedAny_ServesEveryChannelName()
    {
        var engine = new JourneyEngineBuilder().UseCatalog(Sim.Load(SpecJourneys.Nurture)).AddChannel(new RecordingChannel(RecordingChannel.AnyName))
            .WithPartitions(3).Build();

        Assert.Equal(3, engine.PartitionCount);
    }

    [Fact]
    public void Build_EveryChannelRegisteredByName_Succeeds()
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Sim.Load(SpecJourneys.Nurture)).WithPartitions(1);
        foreach (var name in new[] { "push", "agent-task", "sms", "email" })
        {
            builder.AddChannel(new RecordingChannel(name));
        }

        Assert.Equal(1, builder.Build().PartitionCount);
    }
}
