using Journeys.Engine;
using Microsoft.Extensions.Hosting;

namespace Journeys.Hosting;

/// <summary>Runs the engine for the host's lifetime: starts it when the host starts (reading its store, awaited and
/// cancelled with the host's start); when the host stops, stops accepting work, applies what is queued and delivers what
/// was decided, until the host's shutdown token is cancelled or the engine's drain deadline
/// (<see cref="JourneysOptions.DrainTimeout"/>) passes: then the channels' tokens are cancelled, and what is not
/// delivered stays in the store's outbox for the next start.</summary>
internal sealed class JourneysHostedService(JourneyEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken); // reads the store, awaited

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);
}
