using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers this package's channels for the engine that <see cref="JourneysServiceCollectionExtensions.AddJourneys"/>
/// builds (a channel of your own: <see cref="JourneysBuilderExtensions.AddChannel{TChannel}"/>, in Journeys.Hosting).
/// Each channel's options are named options under the channel's name, checked when the host starts with the rules the
/// channel's constructor applies; a host can add to them with <c>services.Configure&lt;TOptions&gt;(name, ...)</c>.</summary>
public static partial class ChannelsJourneysBuilderExtensions
{
    /// <summary>Registers a <see cref="WebhookChannel"/> named <paramref name="name"/>. Its requests go through the
    /// <see cref="IHttpClientFactory"/> client of the same name, whose primary handler does not follow redirects (a moved
    /// receiver fails visibly); a host can configure that client further with <c>services.AddHttpClient(name)</c>. The
    /// options' <see cref="HttpChannelOptions.TimeProvider"/> defaults to the registered <see cref="TimeProvider"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the receiver's URL and the secret.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddWebhookChannel(this IJourneysBuilder builder, string name, Action<WebhookChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddWebhookChannel), static (options, clients) => new WebhookChannel(options, clients));

    /// <summary>Registers an <see cref="SmsGatewayChannel"/> named <c>sms</c>; see
    /// <see cref="AddSmsGatewayChannel(IJourneysBuilder, string, Action{SmsGatewayChannelOptions})"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="configure">Sets the gateway's URL and body format.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddSmsGatewayChannel(this IJourneysBuilder builder, Action<SmsGatewayChannelOptions> configure) =>
        builder.AddSmsGatewayChannel("sms", configure);

    /// <summary>Registers an <see cref="SmsGatewayChannel"/> named <paramref name="name"/>, with an
    /// <see cref="IHttpClientFactory"/> client of the same name, as <see cref="AddWebhookChannel"/> does.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the gateway's URL and body format.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddSmsGatewayChannel(this IJourneysBuilder builder, string name, Action<SmsGatewayChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddSmsGatewayChannel), static (options, clients) => new SmsGatewayChannel(options, clients));

    /// <summary>Registers an <see cref="SmtpChannel"/> named <c>email</c>; see
    /// <see cref="AddSmtpChannel(IJourneysBuilder, string, Action{SmtpChannelOptions})"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="configure">Sets the server, the sender and the recipient trait.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddSmtpChannel(this IJourneysBuilder builder, Action<SmtpChannelOptions> configure) =>
        builder.AddSmtpChannel("email", configure);

    /// <summary>Registers an <see cref="SmtpChannel"/> named <paramref name="name"/>. It reads time from the registered
    /// <see cref="TimeProvider"/> and sends the subject and body the engine rendered. The container disposes it, closing
    /// its connections.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the server, the sender and the recipient trait.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddSmtpChannel(this IJourneysBuilder builder, string name, Action<SmtpChannelOptions> configure)
    {
        var services = Check(builder, name, configure);
        services.AddOptions<SmtpChannelOptions>(name).Configure(o => o.Name = name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpChannelOptions>>(new ChannelOptionsValidator<SmtpChannelOptions>(name,
            o => o.Errors().Select(e => $"{nameof(SmtpChannelOptions)}.{e}").Concat(NameKept<SmtpChannelOptions>(o.Name, name, nameof(AddSmtpChannel)))));
        services.AddSingleton<IChannel>(sp => new SmtpChannel(
            sp.GetRequiredService<IOptionsMonitor<SmtpChannelOptions>>().Get(name), sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    private static IJourneysBuilder AddHttpChannel<TOptions>(IJourneysBuilder builder, string name, Action<TOptions> configure, string method,
        Func<TOptions, IHttpClientFactory, IChannel> create)
        where TOptions : HttpChannelOptions
    {
        var services = AddHttpOptions(builder, name, name, configure, method, "channel");
        services.AddSingleton(sp => create(sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name), sp.GetRequiredService<IHttpClientFactory>()));
        return builder;
    }

    /// <summary>What every HTTP adapter's registration shares: the client named <c>clientName</c> (no redirects), the
    /// named options over the registered clock, checked at start. The caller registers the adapter itself. <c>what</c> is
    /// what the name names (<c>channel</c>, <c>action</c>), for the message when configure changes it.</summary>
    private static IServiceCollection AddHttpOptions<TOptions>(IJourneysBuilder builder, string name, string clientName, Action<TOptions> configure,
        string method, string what)
        where TOptions : HttpChannelOptions
    {
        var services = Check(builder, name, configure);
        services.AddHttpClient(clientName).ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddOptions<TOptions>(name)
            .Configure<TimeProvider>((o, time) =>
            {
                o.Name = name;
                o.TimeProvider = time;
            })
            .Configure(configure)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new ChannelOptionsValidator<TOptions>(name,
            o => o.Errors().Concat(NameKept<TOptions>(o.Name, name, method, what))));
        return services;
    }

    private static IServiceCollection Check(IJourneysBuilder builder, string name, Delegate configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Services;
    }

    /// <summary>The options' name is the channel's and its client's registration key: configure may not change it.</summary>
    private static IEnumerable<string> NameKept<TOptions>(string actual, string expected, string method, string what = "channel")
    {
        if (actual != expected)
        {
            yield return $"{typeof(TOptions).Name}.Name is '{actual}', but the {what} was registered as '{expected}' by {method}; set the name there.";
        }
    }
}
