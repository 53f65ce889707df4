using System.Net;
using System.Net.Sockets;
using Journeys.Channels;
using Journeys.Delivery;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Channels;

/// <summary>The SMTP channel against a real SMTP server (see <see cref="SmtpTestServer"/>).</summary>
public sealed class SmtpChannelTests(SmtpTestServer server) : IClassFixture<SmtpTestServer>
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private SmtpChannel Channel(Action<SmtpChannelOptions>? configure = null, TimeProvider? clock = null)
    {
        var options = new SmtpChannelOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Security = SecureSocketOptions.None,
            FromAddress = "news@journeys.test",
            FromName = "Journeys Shop",
            Timeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return new SmtpChannel(options, clock);
    }

    /// <summary>A message as the engine renders it: subject and plain text body from the template.</summary>
    private static OutboundMessage Message(string key, object? email, string template = "nurture/survey",
        string? subject = "How did we do?", string? body = "Tell us in one click.\nJourney nurture, step survey.")
    {
        var traits = new Dictionary<string, object?>();
        if (email is not null)
        {
            traits["email"] = email;
        }

        return new OutboundMessage
        {
            IdempotencyKey = key,
            Channel = "email",
            Template = template,
            CustomerId = "c1",
            JourneyId = "nurture",
            JourneyVersion = 2,
            Step = "survey",
            Timestamp = Now,
            Traits = traits,
            Subject = subject,
            Body = body,
        };
    }

    private static string Key() => $"nurture:2:c1:{Guid.NewGuid():N}:survey:0";

    private static void AssertFailed(DeliveryResult result, DeliveryStatus status, string reasonContains)
    {
        Assert.Equal(status, result.Status);
        Assert.Contains(reasonContains, result.Reason, StringComparison.Ordinal);
    }

    /// <summary>A plain TCP listener on 127.0.0.1 and a free port: a server that never speaks SMTP.</summary>
    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    [Fact]
    public async Task SendAsync_ServerAccepts_MessageArrivesWithSenderRecipientSubjectBodyAndIds()
    {
        var key = Key();
        await using var channel = Channel(clock: new FakeTimeProvider(Now));

        var result = await channel.SendAsync(Message(key, "ada@example.com"), default);

        Assert.Equal(DeliveryResult.Delivered, result);
        var mail = Assert.Single(server.ReceivedWithKey(key));
        Assert.Equal("news@journeys.test", mail.MailFrom);
        Assert.Equal(["ada@example.com"], mail.RcptTo);
        Assert.Equal("\"Journeys Shop\" <news@journeys.test>", mail.Message.From.ToString());
        Assert.Equal("ada@example.com", mail.Message.To.ToString());
        Assert.Equal("How did we do?", mail.Message.Subject);
        Assert.Contains("Journey nurture, step survey.", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Null(mail.Message.HtmlBody);
        Assert.Equal(SmtpChannel.MessageIdFor(key, "journeys.test"), mail.Message.MessageId);
        Assert.Matches("^journeys\\.[0-9a-f]{32}@journeys\\.test$", mail.Message.MessageId);
        Assert.Equal(key, mail.Message.Headers[SmtpChannel.IdempotencyKeyHeader]);
        Assert.Equal(Now, mail.Message.Date);
    }

    [Fact]
    public async Task SendAsync_SameIdempotencyKeyTwice_BothCopiesCarryTheSameMessageId()
    {
        var key = Key();
        var other = Key();
        await using var channel = Channel();

        await channel.SendAsync(Message(key, "ada@example.com"), default);
        await channel.SendAsync(Message(key, "ada@example.com"), default);
        await channel.SendAsync(Message(other, "ada@example.com"), default);

        var copies = server.ReceivedWithKey(key);
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0].Message.MessageId, copies[1].Message.MessageId);
        Assert.NotEqual(copies[0].Message.MessageId, Assert.Single(server.ReceivedWithKey(other)).Message.MessageId);
    }

    [Fact]
    public async Task SendAsync_RenderedHtmlBody_SendsItAsHtmlWithTheRenderedSubject()
    {
        var key = Key();
        await using var channel = Channel();

        var message = Message(key, "ada@example.com", subject: "How did we do, Ada?", body: "<p>Tell us <b>now</b></p>") with { BodyIsHtml = true };
        Assert.Equal(DeliveryResult.Delivered, await channel.SendAsync(message, default));

        var mail = Assert.Single(server.ReceivedWithKey(key)).Message;
        Assert.Equal("How did we do, Ada?", mail.Subject);
        Assert.Equal("<p>Tell us <b>now</b></p>", mail.HtmlBody!.Trim());
        Assert.Null(mail.TextBody);
    }

    [Fact]
    public async Task SendAsync_PlainBodyThatStartsWithAnAngleBracket_IsSentAsPlainText()
    {
        // A plain-text template whose output begins with a customer's '<b>Ada</b>' is still plain text: never sniffed.
        var key = Key();
        await using var channel = Channel();

        var message = Message(key, "ada@example.com", body: "<b>Ada</b>, tell us how we did");
        Assert.Equal(DeliveryResult.Delivered, await channel.SendAsync(message, default));

        var mail = Assert.Single(server.ReceivedWithKey(key)).Message;
        Assert.Equal("<b>Ada</b>, tell us how we did", mail.TextBody!.Trim());
        Assert.Null(mail.HtmlBody);
    }

    [Theory]
    [InlineData(null, "body", "no subject: template 'nurture/survey' has no 'subject:' in its front matter")]
    [InlineData("subject", null, "no rendered body: template 'nurture/survey' was not rendered")]
    public async Task SendAsync_NoRenderedSubjectOrBody_PermanentFailureWithoutContactingTheServer(string? subject, string? body, string reason)
    {
        var listener = Listen();
        try
        {
            await using var channel = Channel(o => o.Port = PortOf(listener));

            var result = await channel.SendAsync(Message(Key(), "ada@example.com", subject: subject, body: body), default);

            AssertFailed(result, DeliveryStatus.PermanentFailure, reason);
            Assert.False(listener.Pending(), "the channel connected to the server");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("not an address")]
    public async Task SendAsync_NoUsableRecipientTrait_PermanentFailureWithoutContactingTheServer(string? email)
    {
        var listener = Listen();
        try
        {
            await using var channel = Channel(o => o.Port = PortOf(listener));

            var result = await channel.SendAsync(Message(Key(), email), default);

            AssertFailed(result, DeliveryStatus.PermanentFailure, "'email'");
            Assert.False(listener.Pending(), "the channel connected to the server");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task SendAsync_RecipientRejectedWith550_PermanentFailureAndTheNextSendStillGoesOut()
    {
        await using var channel = Channel();

        var rejected = await channel.SendAsync(Message(Key(), "reject-me@example.com"), default);
        var next = Key();
        var delivered = await channel.SendAsync(Message(next, "ada@example.com"), default);

        AssertFailed(rejected, DeliveryStatus.PermanentFailure, "550");
        Assert.Contains("mailbox unavailable", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryResult.Delivered, delivered);
        Assert.Single(server.ReceivedWithKey(next));
    }

    [Fact]
    public async Task SendAsync_RecipientDeferredWith451_RetryableFailure()
    {
        await using var channel = Channel();

        var result = await channel.SendAsync(Message(Key(), "defer-me@example.com"), default);

        AssertFailed(result, DeliveryStatus.RetryableFailure, "451");
    }

    [Fact]
    public async Task SendAsync_ServerDown_RetryableFailure()
    {
        var listener = Listen();
        var port = PortOf(listener);
        listener.Stop();
        await using var channel = Channel(o => o.Port = port);

        var result = await channel.SendAsync(Message(Key(), "ada@example.com"), default);

        AssertFailed(result, DeliveryStatus.RetryableFailure, "ConnectionRefused");
    }

    [Fact]
    public async Task SendAsync_ServerNeverAnswers_RetryableFailureWhenTheTimeoutPasses()
    {
        var listener = Listen();
        try
        {
            var clock = new FakeTimeProvider(Now);
            await using var channel = Channel(o => { o.Port = PortOf(listener); o.Timeout = TimeSpan.FromSeconds(15); }, clock: clock);

            var send = channel.SendAsync(Message(Key(), "ada@example.com"), default).AsTask();
            using var silent = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
            clock.Advance(TimeSpan.FromSeconds(15));
            var result = await send.WaitAsync(TimeSpan.FromSeconds(10));

            AssertFailed(result, DeliveryStatus.RetryableFailure, "did not answer within 15 s");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task SendAsync_TwoConcurrentSends_BothArrive()
    {
        var first = Key();
        var second = Key();
        await using var channel = Channel(o => o.MaxConnections = 2);

        var results = await Task.WhenAll(
            channel.SendAsync(Message(first, "ada@example.com"), default).AsTask(),
            channel.SendAsync(Message(second, "grace@example.com"), default).AsTask());

        Assert.All(results, r => Assert.Equal(DeliveryResult.Delivered, r));
        Assert.Equal(["ada@example.com"], Assert.Single(server.ReceivedWithKey(first)).RcptTo);
        Assert.Equal(["grace@example.com"], Assert.Single(server.ReceivedWithKey(second)).RcptTo);
    }

    [Fact]
    public async Task SendAsync_ManyConcurrentSendsOverFewConnections_AllArriveOnAtMostThatManyConnections()
    {
        var keys = Enumerable.Range(0, 12).Select(_ => Key()).ToList();
        await using var channel = Channel(o => o.MaxConnections = 3);

        var results = await Task.WhenAll(keys.Select(k => channel.SendAsync(Message(k, "ada@example.com"), default).AsTask()));

        Assert.All(results, r => Assert.Equal(DeliveryResult.Delivered, r));
        var mails = keys.Select(k => Assert.Single(server.ReceivedWithKey(k))).ToList();
        Assert.InRange(mails.Select(m => m.Connection).Distinct().Count(), 1, 3);
    }

    [Fact]
    public async Task SendAsync_SequentialSends_ReuseOneConnection()
    {
        var first = Key();
        var second = Key();
        await using var channel = Channel();

        await channel.SendAsync(Message(first, "ada@example.com"), default);
        await channel.SendAsync(Message(second, "ada@example.com"), default);

        Assert.Equal(Assert.Single(server.ReceivedWithKey(first)).Connection, Assert.Single(server.ReceivedWithKey(second)).Connection);
    }

    [Fact]
    public async Task SendAsync_KeptConnectionClosedByTheServer_ReconnectsAndDelivers()
    {
        var first = Key();
        var second = Key();
        await using var channel = Channel();
        await channel.SendAsync(Message(first, "ada@example.com"), default);

        Assert.Equal(1, await server.DropConnectionsAsync());
        var result = await channel.SendAsync(Message(second, "ada@example.com"), default);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.NotEqual(Assert.Single(server.ReceivedWithKey(first)).Connection, Assert.Single(server.ReceivedWithKey(second)).Connection);
    }

    [Fact]
    public async Task SendAsync_WithCredentials_AuthenticatesAndDelivers()
    {
        var key = Key();
        await using var channel = Channel(o => { o.UserName = "journeys"; o.Password = "secret"; });

        Assert.Equal(DeliveryResult.Delivered, await channel.SendAsync(Message(key, "ada@example.com"), default));

        Assert.Equal("journeys", Assert.Single(server.ReceivedWithKey(key)).User);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_RetryableFailureNamingTheUser()
    {
        await using var channel = Channel(o => { o.UserName = "journeys"; o.Password = "wrong"; });

        var result = await channel.SendAsync(Message(Key(), "ada@example.com"), default);

        AssertFailed(result, DeliveryStatus.RetryableFailure, "credentials of user 'journeys'");
    }

    [Fact]
    public async Task SendAsync_AfterDispose_Throws()
    {
        var channel = Channel();
        await channel.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await channel.SendAsync(Message(Key(), "ada@example.com"), default));
    }

    [Fact]
    public void Constructor_WrongOptions_ThrowsOneExceptionNamingEveryWrongProperty()
    {
        var options = new SmtpChannelOptions
        {
            Name = "",
            Host = "",
            Port = 0,
            Security = (SecureSocketOptions)42,
            UserName = "journeys",
            FromAddress = "Shop <news@journeys.test>",
            RecipientTrait = " ",
            Timeout = TimeSpan.Zero,
            MaxConnections = 0,
        };

        var error = Assert.Throws<ArgumentException>(() => new SmtpChannel(options));

        Assert.Equal("options", error.ParamName);
        foreach (var property in new[] { "Name", "Host", "Port", "Security", "UserName and Password", "FromAddress", "RecipientTrait", "Timeout", "MaxConnections" })
        {
            Assert.Contains(property + " must", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructor_HostAndFromAddressOnly_UsesTheDocumentedDefaults()
    {
        var options = new SmtpChannelOptions { Host = "smtp.example.com", FromAddress = "news@example.com" };

        using var channel = new SmtpChannel(options);

        Assert.Equal("email", channel.Name);
        Assert.Equal(587, options.Port);
        Assert.Equal(SecureSocketOptions.StartTls, options.Security);
        Assert.Equal("email", options.RecipientTrait);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
    }
}
