using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Interchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Journeys.Orleans.Tests;

/// <summary>Three silo processes on loopback (the sample's <c>silo</c> mode: Redis clustering, storage and reminders, a
/// virtual clock each moves on command) and a client in the test that finds them through Redis; one process is killed
/// mid-run with <see cref="Process.Kill(bool)"/>. Run alone, after the in-process clusters (its own collection, not in
/// parallel): its three processes and their waits on real time starved beside the other clusters on a loaded 2-core
/// machine (the victim's first held send took over a minute once, in the full run).</summary>
[Collection(Name)]
public sealed class MultiProcessTests
{
    public const string Name = "multi-process cluster";

    private const int Shards = 16;
    private static readonly DateTimeOffset Until = ClusterRun.Start.AddDays(50);

    [Fact]
    public async Task ThreeSiloProcesses_OneKilledMidRun_NoDecidedSendLost_EachCustomerInOneShard_TimersStillFire()
    {
        var gapFrom = ClusterRun.Start.AddDays(20);
        var gapTo = gapFrom.AddDays(5);
        var inputs = Inputs.Make(seed: 5, customers: 48, days: 40).Where(i => i.Timestamp < gapFrom || i.Timestamp >= gapTo).ToList();
        var expectedSends = Sends(inputs, null);
        var expectedAfterKill = Sends(inputs, gapFrom);
        var serviceId = "journeys-mp-" + Guid.NewGuid().ToString("N")[..12];
        await using var membership = new Cleanup(() => ClusterRun.DeleteMembershipAsync(serviceId)); // after the processes end

        await using var silos = new SiloProcesses();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => silos.StartAsync(serviceId, Shards, ClusterRun.Start)));
        using var client = await ConnectAsync(serviceId);
        var cluster = client.Services.GetRequiredService<IJourneyCluster>();

        var now = ClusterRun.Start;
        var paused = false;
        List<string> held = [];
        foreach (var group in inputs.OrderBy(i => i.Timestamp).ThenBy(i => i.Line).GroupBy(i => i.Timestamp))
        {
            if (!paused && group.Key >= gapFrom)
            {
                paused = true;
                await MoveAsync(gapFrom);

                // The victim hosts shards; its channel stops answering, so what its shards decide from here stays in their
                // outbox; five days of timers fire, then the process is killed.
                var victim = silos.All.Skip(1).MaxBy(p => p.DeliveredCount)!; // the busiest but the first: it hosts shards that send
                await victim.CommandAsync("hold", "holding");
                await silos.MoveToAsync(gapTo); // no drain: the victim's held sends would keep it waiting
                now = gapTo;
                await victim.FirstHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
                held = [.. victim.Held];
                victim.Kill();
            }

            await MoveAsync(group.Key);
            await RetryAsync(() => cluster.PublishAsync(group.ToList()));
        }

        await MoveAsync(Until);
        await RetryAsync(() => cluster.DrainAsync()); // what fell due on the way to the end, applied and delivered

        var delivered = silos.Delivered.ToList();
        var keys = delivered.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(held);
        Assert.All(held, k => Assert.Contains(k, keys)); // a held send is delivered by the shard's next activation
        Assert.Contains(delivered, d => d.Redelivered && held.Contains(d.Key));
        Assert.Equal(expectedSends, keys.Order(StringComparer.Ordinal).ToList()); // none lost, none made up
        Assert.NotEmpty(expectedAfterKill); // timers after the kill decided sends, all delivered (above)

        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var shard = 0; shard < Shards; shard++)
        {
            var stored = await client.Services.GetRequiredService<IGrainFactory>().GetGrain<IJourneyShardGrain>(shard).StoredCustomersAsync();
            foreach (var id in stored.Snapshot.Union(stored.Changes, StringComparer.Ordinal))
            {
                Assert.True(owners.TryAdd(id, shard), $"{id} is stored in shards {owners.GetValueOrDefault(id)} and {shard}");
                Assert.Equal(CustomerPartitions.PartitionOf(id, Shards), shard);
            }
        }

        Assert.Equal(inputs.Select(i => i.CustomerId).Distinct().Order(StringComparer.Ordinal), owners.Keys.Order(StringComparer.Ordinal));

        // Everything before `at` is applied at its time (a drain) before every live process's clock moves to `at`.
        async Task MoveAsync(DateTimeOffset at)
        {
            if (at > now)
            {
                await RetryAsync(() => cluster.DrainAsync());
                await silos.MoveToAsync(at);
                now = at;
            }
        }
    }

    /// <summary>A call that may meet the killed process: retried until the cluster has declared it dead (seconds) and
    /// its shards answer from another process.</summary>
    private static async Task RetryAsync(Func<Task> call)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception ex) when (deadline.Elapsed < TimeSpan.FromSeconds(90) && ex is not Xunit.Sdk.XunitException)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<IHost> ConnectAsync(string serviceId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Critical);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (serviceId, serviceId))
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(ClusterRun.Redis)));
        builder.Services.AddJourneysCluster(Shards);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static List<string> Sends(IReadOnlyList<SegmentInput> inputs, DateTimeOffset? from)
    {
        var channel = new RecordingChannel();
        new Simulator(Catalogs.SampleWithoutCall, channel, Catalogs.SampleActions).Run(inputs, Until);
        return channel.Messages.Where(m => from is null || m.Timestamp >= from).Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Silo processes of the sample's <c>silo</c> mode, and what they print.</summary>
internal sealed class SiloProcesses : IAsyncDisposable
{
    private readonly ConcurrentBag<SiloProcess> _all = [];

    public IReadOnlyList<SiloProcess> All => [.. _all.OrderBy(p => p.Index)];

    public ConcurrentQueue<(string Key, bool Redelivered)> Delivered { get; } = new();

    public async Task StartAsync(string serviceId, int shards, DateTimeOffset start)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        var process = new SiloProcess(this, index, serviceId, shards, start);
        _all.Add(process);
        await process.Ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }

    private int _count;

    public Task MoveToAsync(DateTimeOffset at)
    {
        var ticks = at.UtcTicks.ToString(CultureInfo.InvariantCulture);
        return Task.WhenAll(_all.Where(p => !p.Killed).Select(p => p.CommandAsync("to " + ticks, "at " + ticks)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _all)
        {
            await process.DisposeAsync();
        }
    }
}

internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _answers = new(StringComparer.Ordinal);
    private readonly System.Text.StringBuilder _errors = new();

    public SiloProcess(SiloProcesses owner, int index, string serviceId, int shards, DateTimeOffset start)
    {
        Index = index;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[SampleDll, "silo", serviceId, shards.ToString(CultureInfo.InvariantCulture), start.UtcTicks.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["JOURNEYS_REDIS"] = ClusterRun.Redis;
        info.Environment["JOURNEYS_FOLDER"] = Catalogs.SampleWithoutCallFolder; // the journeys the simulator it is compared with runs (see there)
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line || !line.StartsWith("@journeys ", StringComparison.Ordinal))
            {
                return;
            }

            var words = line["@journeys ".Length..].Split(' ');
            switch (words)
            {
                case ["ready"]:
                    Ready.TrySetResult();
                    break;
                case ["delivered", var key, var how]:
                    owner.Delivered.Enqueue((key, how == "redelivered"));
                    Interlocked.Increment(ref _delivered);
                    break;
                case ["held", var key]:
                    Held.Enqueue(key);
                    FirstHeld.TrySetResult();
                    break;
                default:
                    if (_answers.TryRemove(string.Join(' ', words), out var answer))
                    {
                        answer.TrySetResult();
                    }

                    break;
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Index { get; }

    public bool Killed { get; private set; }

    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _delivered;

    /// <summary>The sends this process delivered so far.</summary>
    public int DeliveredCount => Volatile.Read(ref _delivered);

    public ConcurrentQueue<string> Held { get; } = new();

    public TaskCompletionSource FirstHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The sample built beside this test (the test project references it for that).</summary>
    private static string SampleDll
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory); // tests/Journeys.Orleans.Tests/bin/<configuration>/<framework>/
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var root = output;
            while (!File.Exists(Path.Combine(root.FullName, "Journeys.sln")))
            {
                root = root.Parent ?? throw new InvalidOperationException("Journeys.sln not found above " + AppContext.BaseDirectory);
            }

            return Path.Combine(root.FullName, "samples", "Journeys.Orleans.Sample", "bin", configuration, framework, "Journeys.Orleans.Sample.dll");
        }
    }

    public async Task CommandAsync(string command, string answer)
    {
        var answered = _answers.GetOrAdd(answer, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        try
        {
            await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            lock (_errors)
            {
                throw new TimeoutException($"silo process {Index} did not answer '{command}': {_errors}");
            }
        }
    }

    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // it stops when its input ends
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>The multi-process test's collection: not run in parallel with any other test class.</summary>
[CollectionDefinition(MultiProcessTests.Name, DisableParallelization = true)]
public sealed class MultiProcessCollection;

/// <summary>Runs an action when disposed.</summary>
internal sealed class Cleanup(Func<Task> action) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await action();
}
