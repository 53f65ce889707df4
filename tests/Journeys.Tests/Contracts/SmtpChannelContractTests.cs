using System.Net;
using System.Net.Sockets;
using Journeys.Channels;
using Journeys.Testing;
using Journeys.Tests.Channels;
using MailKit.Security;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="SmtpChannel"/> keeps the channel contract against the real SMTP server the e-mail tests start
/// (a closed port for the failing case, a listener that accepts and never greets for the stalling case).</summary>
public sealed class SmtpChannelContractTests(SmtpTestServer server) : ChannelContractTests<SmtpChannel>, IClassFixture<SmtpTestServer>
{
    private TcpListener? _silent;
    private TcpClient? _held;

    protected override ValueTask<SmtpChannel> CreateChannelAsync() => ValueTask.FromResult(Channel(server.Port));

    protected override ValueTask<SmtpChannel?> CreateFailingChannelAsync()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nobody listens there now: the connection is refused
        return ValueTask.FromResult<SmtpChannel?>(Channel(port));
    }

    protected override ValueTask<SmtpChannel?> CreateStallingChannelAsync()
    {
        _silent = new TcpListener(IPAddress.Loopback, 0);
        _silent.Start();
        return ValueTask.FromResult<SmtpChannel?>(Channel(((IPEndPoint)_silent.LocalEndpoint).Port));
    }

    protected override async Task WhenSendStalledAsync() => _held = await _silent!.AcceptTcpClientAsync();

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(server.ReceivedWithKey(idempotencyKey).Select(m => $"{m.Message.Subject}\n{m.Message.TextBody}").ToList());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _held?.Dispose();
        _silent?.Stop();
    }

    private static SmtpChannel Channel(int port) => new(new SmtpChannelOptions
    {
        Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, FromAddress = "news@journeys.test", Timeout = TimeSpan.FromSeconds(20),
    });
}
