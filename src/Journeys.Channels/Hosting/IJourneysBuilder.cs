namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <see cref="JourneysServiceCollectionExtensions.AddJourneys"/> to register the engine's channels:
/// <see cref="JourneysBuilderExtensions.AddWebhookChannel"/>, <see cref="JourneysBuilderExtensions.AddSmtpChannel(IJourneysBuilder, Action{Journeys.Channels.SmtpChannelOptions})"/>,
/// <see cref="JourneysBuilderExtensions.AddSmsGatewayChannel(IJourneysBuilder, Action{Journeys.Channels.SmsGatewayChannelOptions})"/>
/// and <see cref="JourneysBuilderExtensions.AddChannel{TChannel}"/>.</summary>
public interface IJourneysBuilder
{
    /// <summary>The services the engine and its channels are registered in.</summary>
    IServiceCollection Services { get; }
}
