using System.Reflection;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Journeys.Sample;

/// <summary>The channels a <c>--channels</c> file routes: one section per channel name, its <c>adapter</c> key naming the
/// adapter and its other keys the adapter's options (bound with ConfigurationBinder). The adapters are registered with
/// the Journeys.Channels hosting registrations (<c>AddAliyunSmsChannel</c> and the rest) in a small service container,
/// so their options are checked by the same rules a host's are. Channel names the file does not name stay on the
/// sample's default channel.</summary>
public sealed class SampleChannels : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IChannel> _direct;

    private SampleChannels(ServiceProvider services, List<IChannel> direct, IReadOnlyList<IChannel> channels)
    {
        _services = services;
        _direct = direct;
        Channels = channels;
    }

    /// <summary>The adapters a section's <c>adapter</c> key can name.</summary>
    public static IReadOnlyList<string> Adapters => [.. Registrations.Keys];

    /// <summary>The configured channels, one per section of the file.</summary>
    public IReadOnlyList<IChannel> Channels { get; }

    /// <summary>Reads <paramref name="path"/> and builds its channels, or writes one line naming the file, the channel and
    /// the key at fault to <paramref name="error"/> and returns null.</summary>
    public static SampleChannels? TryLoad(string path, TimeProvider time, TextWriter error)
    {
        try
        {
            return Load(path, time);
        }
        catch (ChannelsFileException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Reads <paramref name="path"/> and builds its channels; a bad file throws <see cref="ChannelsFileException"/>.</summary>
    public static SampleChannels Load(string path, TimeProvider time)
    {
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
        {
            throw new ChannelsFileException($"{path}: {e.Message}");
        }

        var services = new ServiceCollection();
        services.AddSingleton(time);
        var context = new Context(path, new Builder(services), []);
        foreach (var section in file.GetChildren())
        {
            var adapter = section["adapter"];
            if (adapter is null || !Registrations.TryGetValue(adapter, out var register))
            {
                throw Fail(path, section.Key, "adapter", (adapter is null ? "missing" : $"'{adapter}' is not an adapter")
                    + $"; it is one of: {string.Join(", ", Registrations.Keys)}.");
            }

            register(context, section);
        }

        var provider = services.BuildServiceProvider();
        try
        {
            return new SampleChannels(provider, context.Direct, [.. provider.GetServices<IChannel>(), .. context.Direct]);
        }
        catch (Exception e) when (e is OptionsValidationException or ChannelsFileException)
        {
            provider.Dispose();
            foreach (var channel in context.Direct)
            {
                (channel as IDisposable)?.Dispose();
            }

            throw e is OptionsValidationException invalid
                ? new ChannelsFileException($"{path}: channel '{invalid.OptionsName}': {string.Join(" ", invalid.Failures)}")
                : e;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _direct)
        {
            (channel as IDisposable)?.Dispose();
        }

        await _services.DisposeAsync();
    }

    private static readonly Dictionary<string, Action<Context, IConfigurationSection>> Registrations = new(StringComparer.Ordinal)
    {
        ["webhook"] = (c, s) => c.Builder.AddWebhookChannel(s.Key, Bind<WebhookChannelOptions>(c, s)),
        ["sms-gateway"] = (c, s) => c.Builder.AddSmsGatewayChannel(s.Key, Bind<SmsGatewayChannelOptions>(c, s)),
        ["smtp"] = (c, s) => c.Builder.AddSmtpChannel(s.Key, Bind<SmtpChannelOptions>(c, s)),
        ["wecom-app"] = (c, s) => c.Builder.AddWeComAppMessageChannel(s.Key, Bind<WeComAppMessageChannelOptions>(c, s)),
        ["wecom-group-send"] = (c, s) => c.Builder.AddWeComCustomerGroupSendChannel(s.Key, Bind<WeComCustomerGroupSendChannelOptions>(c, s)),
        ["wecom-robot"] = (c, s) => c.Builder.AddWeComGroupRobotChannel(s.Key, Bind<WeComGroupRobotChannelOptions>(c, s)),
        ["aliyun-sms"] = (c, s) => c.Builder.AddAliyunSmsChannel(s.Key, Bind<AliyunSmsChannelOptions>(c, s)),
        ["tencent-sms"] = (c, s) => c.Builder.AddTencentSmsChannel(s.Key, Bind<TencentSmsChannelOptions>(c, s)),
        ["fcm"] = (c, s) => c.Builder.AddFcmChannel(s.Key, Bind<FcmChannelOptions>(c, s)),
        ["apns"] = (c, s) => c.Builder.AddApnsChannel(s.Key, Bind<ApnsChannelOptions>(c, s)),
        ["agent-task"] = (c, s) =>
        {
            // The tasks go to a SQLite file (the "database" key); the registration takes the one IAgentTaskSink registered.
            var database = s["database"] ?? "agent-tasks.db";
            if (c.Builder.Services.Any(d => d.ServiceType == typeof(IAgentTaskSink)))
            {
                throw Fail(c.Path, s.Key, "adapter", "the sample records agent tasks for one agent-task channel only.");
            }

            c.Builder.Services.AddSingleton<IAgentTaskSink>(_ => new SqliteAgentTaskSink(database));
            c.Builder.AddAgentTaskChannel(s.Key, Bind<AgentTaskChannelOptions>(c, s, "database"));
        },
        ["console"] = (c, s) =>
        {
            Keys(c, s, typeof(object));
            c.Direct.Add(new ConsoleChannel(s.Key));
        },
        ["json-lines"] = (c, s) =>
        {
            Keys(c, s, typeof(object), "path");
            c.Direct.Add(new JsonLinesFileChannel(s["path"] ?? throw Fail(c.Path, s.Key, "path", "missing; it is the file the messages are appended to."), s.Key));
        },
    };

    /// <summary>Checks the section's keys now, and binds it over the registration's defaults when the options are built.</summary>
    private static Action<TOptions> Bind<TOptions>(Context context, IConfigurationSection section, params string[] own)
    {
        Keys(context, section, typeof(TOptions), own);
        return options =>
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException e)
            {
                var key = e.Message.Split('\'').FirstOrDefault(p => p.StartsWith(section.Path + ":", StringComparison.Ordinal))?[(section.Path.Length + 1)..] ?? "?";
                throw Fail(context.Path, section.Key, key, (e.InnerException ?? e).Message);
            }
        };
    }

    /// <summary>Every key is <c>adapter</c>, one of <paramref name="own"/>, or a settable option of <paramref name="options"/>.</summary>
    private static void Keys(Context context, IConfigurationSection section, Type options, params string[] own)
    {
        foreach (var key in section.GetChildren().Select(k => k.Key))
        {
            var known = key == "adapter" || own.Contains(key, StringComparer.OrdinalIgnoreCase)
                || (key != nameof(HttpChannelOptions.Name) && key != nameof(HttpChannelOptions.TimeProvider)
                    && options.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null);
            if (!known)
            {
                throw Fail(context.Path, section.Key, key, $"not an option of the '{section["adapter"]}' adapter ({options.Name}).");
            }
        }
    }

    private static ChannelsFileException Fail(string path, string channel, string key, string message) =>
        new($"{path}: channel '{channel}', key '{key}': {message}");

    private sealed record Context(string Path, IJourneysBuilder Builder, List<IChannel> Direct);

    private sealed class Builder(IServiceCollection services) : IJourneysBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

/// <summary>A <c>--channels</c> file the sample cannot use; the message names the file, the channel and the key.</summary>
public sealed class ChannelsFileException(string message) : Exception(message);
