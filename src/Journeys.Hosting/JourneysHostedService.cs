using Journeys.Engine;
using Microsoft.Extensions.Hosting;

namespace Journeys.Hosting;

/// <summary>Runs the engine for the host's lifetime: starts it when the host starts (reading its store, awaited and
/// cancelled with the host's start); when the host stops, stops accepting work, applies what is queued and waits for
/// deliveries in flight. If the host's shutdown timeout ends
/// that wait, the drain goes on and the container's disposal of the engine waits for it.</summary>
internal sealed class JourneysHostedService(JourneyEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken); // reads the store, awaited

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync().WaitAsync(cancellationToken);
}
