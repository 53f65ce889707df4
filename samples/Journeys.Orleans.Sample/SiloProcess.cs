using System.Net;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Journeys.Orleans.Sample;

/// <summary>One silo as its own process (<c>silo serviceId shards startTicks</c>): clustered, stored and reminded through
/// Redis, its shards' engines on a virtual clock that starts at <c>startTicks</c> and that its standard input moves.
/// What a test of several processes drives: it reads lines starting with <c>@journeys</c> on standard output and writes
/// commands on standard input.
/// <list type="bullet">
/// <item><c>to TICKS</c>: moves the clock to that UTC instant (never back); answers <c>@journeys at TICKS</c>.</item>
/// <item><c>hold</c>: the channel stops answering (sends stay in the outbox, as a process about to die leaves them);
/// answers <c>@journeys holding</c>.</item>
/// </list>
/// It prints <c>@journeys ready</c> once the silo runs, <c>@journeys delivered KEY redelivered|new</c> for each message it
/// delivers and <c>@journeys held KEY</c> for each it takes while holding; it stops when its input ends.</summary>
internal static class SiloProcess
{
    private static readonly Lock Out = new();

    public static async Task<int> RunAsync(string redis, JourneyCatalog catalog, IEnumerable<IJourneyAction> actions, string serviceId, int shards, long startTicks)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(startTicks, TimeSpan.Zero));
        var channel = new PrintingChannel();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // standard output is the protocol's
            .SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            var options = ConfigurationOptions.Parse(redis);
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (serviceId, serviceId))
                .ConfigureEndpoints(IPAddress.Loopback, SampleCluster.FreePort(), SampleCluster.FreePort())
                .UseRedisClustering(o => o.ConfigurationOptions = options)
                .AddRedisGrainStorage("journeys", o => o.ConfigurationOptions = options)
                .UseRedisReminderService(o => o.ConfigurationOptions = options)
                .AddJourneys(o =>
                {
                    o.Catalog = catalog;
                    o.ShardCount = shards;
                    o.FoldThreshold = 3; // shards fold often: a shard that moves reads a snapshot and changes
                    o.TimeProvider = time;
                    o.Channels.Add((channel, null));
                    foreach (var action in actions)
                    {
                        o.Actions.Add((action, null));
                    }
                });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                // A killed process is declared dead within seconds, not the production default's tens of seconds.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        Say("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["to", var ticks]:
                    var target = new DateTimeOffset(long.Parse(ticks, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
                    if (target > time.GetUtcNow())
                    {
                        time.Advance(target - time.GetUtcNow());
                    }

                    Say($"at {ticks}");
                    break;
                case ["hold"]:
                    channel.Holding = true;
                    Say("holding");
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown command: {line}");
                    break;
            }
        }

        await host.StopAsync();
        return 0;
    }

    private static void Say(string line)
    {
        lock (Out)
        {
            Console.Out.WriteLine("@journeys " + line);
            Console.Out.Flush();
        }
    }

    private sealed class PrintingChannel : IChannel
    {
        public volatile bool Holding;

        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            if (Holding)
            {
                Say($"held {message.IdempotencyKey}");
                return new ValueTask<DeliveryResult>(new TaskCompletionSource<DeliveryResult>().Task); // about to die: never answers
            }

            Say($"delivered {message.IdempotencyKey} {(message.Redelivered ? "redelivered" : "new")}");
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }
}
