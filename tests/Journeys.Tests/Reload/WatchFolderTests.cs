using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Hosting;
using Journeys.Persistence;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Reload;

/// <summary><c>AddJourneys(...).WatchFolder(debounce)</c> in a real host: a change to the real folder reloads the engine
/// once the quiet period has passed on the host's clock (fake here), and a change with errors is refused.</summary>
public sealed class WatchFolderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _root = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _root.Dispose();

    private static string Journey(int version) => $$"""
        journey: welcome
        version: {{version}}
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
        """;

    private IHost NewHost(bool withStore = true)
    {
        _root.Write("journeys/welcome.yaml", Journey(1));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _root.Path });
        builder.Services.AddSingleton<TimeProvider>(_time);
        if (withStore)
        {
            builder.Services.AddSingleton<IJourneyStore>(new InMemoryJourneyStore());
        }

        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel()).WatchFolder(TimeSpan.FromSeconds(5));
        return builder.Build();
    }

    private static JourneysFolderWatcher Watcher(IHost host) => host.Services.GetRequiredService<JourneysFolderWatcher>();

    /// <summary>Writes the file once the watcher is listening, and waits until it saw a change (a real file system event).</summary>
    private async Task WriteAndSeeAsync(IHost host, string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Watcher(host).ChangeSeen += () => seen.TrySetResult();
        _root.Write("journeys/welcome.yaml", text);
        await seen.Task.WaitAsync(EngineHarness.SafetyTimeout);
    }

    [Fact]
    public async Task WatchFolder_FileChanged_ReloadsOnceTheQuietPeriodHasPassed()
    {
        using var host = NewHost();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var reloaded = new TaskCompletionSource<JourneyReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Watcher(host).Reloaded += r => reloaded.TrySetResult(r);

        await WriteAndSeeAsync(host, Journey(2));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(reloaded.Task.IsCompleted); // still inside the quiet period
        Assert.Equal(1, Assert.Single(engine.Catalog.Journeys).Version);
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await reloaded.Task.WaitAsync(EngineHarness.SafetyTimeout);

        Assert.True(result.Applied);
        Assert.Equal(2, Assert.Single(engine.Catalog.Journeys).Version);
        await host.StopAsync();
    }

    [Fact]
    public async Task WatchFolder_FileChangedWithAnError_IsRefusedAndTheEngineGoesOn()
    {
        using var host = NewHost();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var reloaded = new TaskCompletionSource<JourneyReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Watcher(host).Reloaded += r => reloaded.TrySetResult(r);

        await WriteAndSeeAsync(host, Journey(2).Replace("start: hello", "start: helo", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(5));
        var result = await reloaded.Task.WaitAsync(EngineHarness.SafetyTimeout);

        Assert.False(result.Applied);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("start step 'helo' is not defined", StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(engine.Catalog.Journeys).Version);
        await host.StopAsync();
    }

    [Fact]
    public async Task WatchFolder_WithoutAStore_FailsTheHostsStartNamingWhy()
    {
        using var host = NewHost(withStore: false);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.StartsWith("WatchFolder reloads the engine", ex.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }
}
