using Journeys.Engine;
using Journeys.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Journeys.Hosting;

/// <summary>Watches the journey folder (<see cref="JourneysBuilderExtensions.WatchFolder"/>) and reloads the engine once
/// changes have settled: each change (a file written, added, removed, renamed, in the folder or below it) restarts a
/// quiet period on the host's <see cref="TimeProvider"/>; when it ends, <see cref="JourneyEngine.ReloadAsync(string, CancellationToken)"/>
/// runs. An editor's save (often several writes) is one reload; a folder with errors is refused and the engine goes on
/// (the engine logs each reload and each refusal with its first error).</summary>
internal sealed partial class JourneysFolderWatcher : IHostedService, IDisposable
{
    private readonly JourneyEngine _engine;
    private readonly string _folder;
    private readonly TimeSpan _debounce;
    private readonly bool _hasStore;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private FileSystemWatcher? _watcher;

    public JourneysFolderWatcher(JourneyEngine engine, IOptions<JourneysOptions> options, TimeProvider time, IServiceProvider services, FolderWatchOptions watch)
    {
        _engine = engine;
        _folder = options.Value.FullFolder(services.GetService<IHostEnvironment>()?.ContentRootPath);
        _debounce = watch.Debounce;
        _hasStore = services.GetService<IJourneyStore>() is not null;
        _log = services.GetService<ILoggerFactory>()?.CreateLogger<JourneysFolderWatcher>() ?? NullLogger<JourneysFolderWatcher>.Instance;
        _timer = time.CreateTimer(static s => _ = ((JourneysFolderWatcher)s!).ReloadAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>For tests: called when a change is seen (the quiet period starts again), and with each reload's result.</summary>
    internal event Action? ChangeSeen;

    internal event Action<JourneyReloadResult>? Reloaded;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_hasStore)
        {
            throw new InvalidOperationException("WatchFolder reloads the engine, which carries customers to the new journeys through its store: register an IJourneyStore.");
        }

        _watcher = new FileSystemWatcher(_folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        _timer.Change(_debounce, Timeout.InfiniteTimeSpan); // each change starts the quiet period again
        ChangeSeen?.Invoke();
    }

    private async Task ReloadAsync()
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            var result = await _engine.ReloadAsync(_folder).ConfigureAwait(false);
            Reloaded?.Invoke(result);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            ReloadFailed(_log, _folder, ex); // a stopped engine, a folder gone: the next change tries again
        }
        finally
        {
            _reloading.Release();
        }
    }

    [LoggerMessage(EventId = 1, EventName = "FolderReloadFailed", Level = LogLevel.Error, Message = "Reloading the journey folder {Folder} failed")]
    private static partial void ReloadFailed(ILogger logger, string folder, Exception exception);

    public void Dispose()
    {
        _watcher?.Dispose();
        _timer.Dispose();
        _reloading.Dispose();
    }
}

/// <summary>The quiet period of <see cref="JourneysBuilderExtensions.WatchFolder"/>.</summary>
internal sealed record FolderWatchOptions(TimeSpan Debounce);
