namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <see cref="JourneysServiceCollectionExtensions.AddJourneys"/> to register the engine's channels:
/// <see cref="JourneysBuilderExtensions.AddChannel{TChannel}"/> for a channel of your own, and the Journeys.Channels
/// package's <c>AddWebhookChannel</c>, <c>AddSmtpChannel</c> and <c>AddSmsGatewayChannel</c>.</summary>
public interface IJourneysBuilder
{
    /// <summary>The services the engine and its channels are registered in.</summary>
    IServiceCollection Services { get; }
}
