using Journeys.Engine;
using Journeys.State;

namespace Journeys.Dashboard.Sample;

/// <summary>Generated traffic for the sample: new customers sign up at <c>Sample:SignUpsPerSecond</c> (0: none), on the
/// host's <see cref="TimeProvider"/>.</summary>
internal sealed class SignUps(JourneyEngine engine, IConfiguration configuration, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var perSecond = configuration.GetValue("Sample:SignUpsPerSecond", 1);
        if (perSecond <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond), time);
        var next = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            next++;
            await engine.PublishAsync(new CustomerEvent($"customer-{next}", "signed_up"), stoppingToken).ConfigureAwait(false);
        }
    }
}
