using Journeys.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers channels and actions of your own for the engine that <see cref="JourneysServiceCollectionExtensions.AddJourneys"/>
/// builds. The adapters of the Journeys.Channels package (webhook, SMTP, SMS gateway) have their own registrations there.</summary>
public static class JourneysBuilderExtensions
{
    /// <summary>The name an action's <see cref="ChannelDeliveryOptions"/> are registered under — and, for an HTTP action of
    /// Journeys.Channels, its <c>IHttpClientFactory</c> client: <c>action:</c> and the action's name. Channels use their
    /// bare name, so a channel and an action of the same name (journeys name them apart: <c>send: { channel: x }</c>,
    /// <c>call: { action: x }</c>) never share options or a client. Configure an action's delivery with
    /// <c>services.Configure&lt;ChannelDeliveryOptions&gt;(JourneysBuilderExtensions.ActionOptionsName("loyalty-credit"), ...)</c>.</summary>
    /// <param name="action">The action's name.</param>
    /// <returns><c>action:</c> followed by <paramref name="action"/>.</returns>
    public static string ActionOptionsName(string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return "action:" + action;
    }

    /// <summary>Registers a channel of your own, created by the container (so it can take services in its
    /// constructor) as a singleton. Registering the same type twice registers it once.</summary>
    /// <typeparam name="TChannel">The channel type.</typeparam>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddChannel<TChannel>(this IJourneysBuilder builder)
        where TChannel : class, IChannel
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannel, TChannel>());
        return builder;
    }

    /// <summary>Registers a channel instance (the caller owns and disposes it), such as a <see cref="RecordingChannel"/>
    /// in tests.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="channel">The channel.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddChannel(this IJourneysBuilder builder, IChannel channel)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(channel);
        builder.Services.AddSingleton(channel);
        return builder;
    }

    /// <summary>Registers an action of your own (what steps ask with <c>call: { action: NAME }</c>), created by the
    /// container (so it can take services in its constructor) as a singleton. Its calls are delivered under the
    /// <see cref="ChannelDeliveryOptions"/> named <see cref="ActionOptionsName"/> of the action. Registering the same type twice
    /// registers it once.</summary>
    /// <typeparam name="TAction">The action type.</typeparam>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddAction<TAction>(this IJourneysBuilder builder)
        where TAction : class, IJourneyAction
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IJourneyAction, TAction>());
        return builder;
    }

    /// <summary>Registers an action instance (the caller owns and disposes it).</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="action">The action.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddAction(this IJourneysBuilder builder, IJourneyAction action)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(action);
        builder.Services.AddSingleton(action);
        return builder;
    }

    /// <summary>Registers several action instances, each as <see cref="AddAction(IJourneysBuilder, IJourneyAction)"/>
    /// does: the fixed answers of an actions file in one line,
    /// <c>.AddActions(ActionAnswers.ReadFile("actions.json"))</c>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="actions">The actions.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddActions(this IJourneysBuilder builder, IEnumerable<IJourneyAction> actions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            builder.AddAction(action);
        }

        return builder;
    }

    /// <summary>Reloads the engine when the journey folder changes, without a restart: once no file in the folder (or
    /// below it: templates, rules) has changed for <paramref name="debounce"/> (default 2 seconds, on the host's
    /// <see cref="TimeProvider"/>), the folder is loaded and checked, and applied with
    /// <see cref="Journeys.Engine.JourneyEngine.ReloadAsync(string, CancellationToken)"/> — a folder with errors is refused
    /// and the engine goes on with what it ran (the engine logs either). Needs an <see cref="Journeys.Persistence.IJourneyStore"/>
    /// registered (the host fails to start without one). See docs/operations.md, "Reloading journeys".</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="debounce">The quiet period after the last change; default 2 seconds.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder WatchFolder(this IJourneysBuilder builder, TimeSpan? debounce = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var quiet = debounce ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThan(quiet, TimeSpan.Zero, nameof(debounce));
        builder.Services.AddSingleton(new Journeys.Hosting.FolderWatchOptions(quiet));
        builder.Services.AddSingleton<Journeys.Hosting.JourneysFolderWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Journeys.Hosting.JourneysFolderWatcher>());
        return builder;
    }
}
