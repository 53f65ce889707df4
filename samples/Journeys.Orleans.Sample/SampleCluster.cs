using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Journeys.Orleans.Sample;

/// <summary>Silos on this machine, each its own host on loopback ports, clustered, stored and reminded through Redis, and
/// a client that finds them through Redis too: what three machines would run, in one process.</summary>
internal sealed class SampleCluster : IAsyncDisposable
{
    private readonly List<IHost> _silos = [];
    private IHost? _client;
    private readonly string _serviceId = "journeys-sample-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _redis;
    private readonly JourneyCatalog _catalog;
    private readonly IJourneyAction[] _actions;
    private readonly TimeProvider _time;
    private readonly int _shards;
    private readonly int _foldThreshold;

    public SampleCluster(string redis, JourneyCatalog catalog, IEnumerable<IJourneyAction> actions, TimeProvider time, int shards, int foldThreshold = 256)
    {
        _foldThreshold = foldThreshold;
        _redis = redis;
        _catalog = catalog;
        _actions = [.. actions];
        _time = time;
        _shards = shards;
    }

    /// <summary>Every message the silos delivered.</summary>
    public ConcurrentQueue<OutboundMessage> Delivered { get; } = new();

    /// <summary>Decisions by kind, over all silos.</summary>
    public ConcurrentDictionary<string, long> Decisions { get; } = new();

    public IJourneyCluster Journeys { get; private set; } = null!;

    public async Task StartSiloAsync()
    {
        var index = _silos.Count;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error); // the silo start-up notes (ServerGC, watchdog) aside
        builder.UseOrleans(silo =>
        {
            var redis = ConfigurationOptions.Parse(_redis);
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_serviceId, _serviceId))
                .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
                .UseRedisClustering(o => o.ConfigurationOptions = redis)
                .AddRedisGrainStorage("journeys", o => o.ConfigurationOptions = redis)
                .UseRedisReminderService(o => o.ConfigurationOptions = redis)
                .AddJourneys(o =>
                {
                    o.Catalog = _catalog;
                    o.ShardCount = _shards;
                    o.FoldThreshold = _foldThreshold;
                    o.TimeProvider = _time;
                    o.Channels.Add((new SampleChannel(Delivered), null));
                    foreach (var action in _actions)
                    {
                        o.Actions.Add((action, null));
                    }
                });
            silo.Services.AddSingleton<IJourneyDecisionSink>(new CountingSink(Decisions));
            silo.Configure<SiloOptions>(o => o.SiloName = $"silo{index}");
        });
        var host = builder.Build();
        await host.StartAsync();
        _silos.Add(host);
    }

    public async Task ConnectAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error); // the silo start-up notes (ServerGC, watchdog) aside
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_serviceId, _serviceId))
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(_redis)));
        builder.Services.AddJourneysCluster(_shards);
        _client = builder.Build();
        await _client.StartAsync();
        Journeys = _client.Services.GetRequiredService<IJourneyCluster>();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        foreach (var silo in Enumerable.Reverse(_silos))
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    private sealed class SampleChannel(ConcurrentQueue<OutboundMessage> delivered) : IChannel
    {
        public string Name => RecordingChannel.AnyName;

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            delivered.Enqueue(message);
            return ValueTask.FromResult(DeliveryResult.Delivered);
        }
    }

    private sealed class CountingSink(ConcurrentDictionary<string, long> counts) : IJourneyDecisionSink
    {
        public void Write(int shard, IReadOnlyList<JourneyDecision> decisions)
        {
            foreach (var d in decisions)
            {
                counts.AddOrUpdate(d.KindName, 1, static (_, n) => n + 1);
            }
        }
    }
}
