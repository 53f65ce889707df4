using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Journeys.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Journeys.Channels;

/// <summary>Sends e-mail through an SMTP server with MailKit. The recipient's address comes from a customer trait
/// (<see cref="SmtpChannelOptions.RecipientTrait"/>), the subject and body are the message's, rendered by the engine from
/// the journey's Liquid template (<see cref="OutboundMessage.Subject"/>, <see cref="OutboundMessage.Body"/>; a body that
/// starts with <c>&lt;</c> is sent as HTML, any other as plain text). A message without a rendered body (a journey folder
/// without templates) or without a subject (a template without <c>subject:</c> in its front matter) fails permanently,
/// without contacting the server: a template's name is not an e-mail. One attempt per send.
/// <para>Every message carries a <c>Message-ID</c> derived from its <see cref="OutboundMessage.IdempotencyKey"/>, so a
/// send retried after a crash or a lost reply yields the same id (and the receiving side can recognise the duplicate),
/// and the key itself in an <c>X-Journeys-Idempotency-Key</c> header.</para>
/// <para>Outcomes: a missing or unusable address, or a 5xx reply to the message (550 mailbox unavailable...), fails
/// permanently; a refused connection, a timeout, a 4xx reply, a dropped connection or rejected credentials fail as
/// retryable.</para>
/// <para>Safe to call from several threads. Connections are kept and reused, at most
/// <see cref="SmtpChannelOptions.MaxConnections"/> of them, each carrying one message at a time; a kept connection is
/// checked with <c>NOOP</c> before its next message, and one on which anything failed is closed, never reused.</para></summary>
public sealed class SmtpChannel : IChannel, IDisposable, IAsyncDisposable
{
    /// <summary>The header that carries <see cref="OutboundMessage.IdempotencyKey"/>.</summary>
    public const string IdempotencyKeyHeader = "X-Journeys-Idempotency-Key";

    private readonly SmtpChannelOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly MailboxAddress _from;
    private readonly string _messageIdDomain;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _slots;

    // Connected, idle clients. Last in, first out: the most recently used connection is the likeliest still open.
    private readonly ConcurrentStack<SmtpClient> _idle = new();
    private int _disposed;

    /// <summary>Creates the channel; it connects on the first send.</summary>
    /// <param name="options">The server and sender settings; checked here, and copied, so later changes have no
    /// effect.</param>
    /// <param name="timeProvider">The clock for the <c>Date</c> header and the send timeout;
    /// <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">A setting is wrong; the message names each wrong one.</exception>
    public SmtpChannel(SmtpChannelOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new SmtpChannelOptions
        {
            Name = options.Name,
            Host = options.Host,
            Port = options.Port,
            Security = options.Security,
            UserName = options.UserName,
            Password = options.Password,
            FromAddress = options.FromAddress.Trim(),
            FromName = options.FromName,
            RecipientTrait = options.RecipientTrait,
            Timeout = options.Timeout,
            MaxConnections = options.MaxConnections,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _from = new MailboxAddress(_options.FromName ?? "", _options.FromAddress);
        _messageIdDomain = _options.FromAddress[(_options.FromAddress.LastIndexOf('@') + 1)..];
        _endpoint = string.Create(CultureInfo.InvariantCulture, $"{_options.Host}:{_options.Port}");
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        if (!TryFindRecipient(message, out var recipient, out var problem))
        {
            return DeliveryResult.Permanent(problem);
        }

        if (message.Body is null)
        {
            return MessageFields.NotRendered(message);
        }

        if (message.Subject is null)
        {
            return DeliveryResult.Permanent($"no subject: template '{message.Template}' has no 'subject:' in its front matter");
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var mime = Compose(message, recipient);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await TransmitAsync(mime, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Closes the idle connections without saying goodbye; sends still running close theirs when done.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CloseIdle();
        }
    }

    /// <summary>Closes the idle connections with <c>QUIT</c>; sends still running close theirs when done.</summary>
    /// <returns>A task that completes when the idle connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryPop(out var client))
        {
            try
            {
                using var quit = new CancellationTokenSource(_options.Timeout, _timeProvider);
                await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // Leaving anyway: the server will notice the closed socket.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    /// <summary>The <c>Message-ID</c> (without angle brackets) of every message with this idempotency key: the same
    /// key always gives the same id.</summary>
    internal static string MessageIdFor(string idempotencyKey, string domain)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        return $"journeys.{Convert.ToHexStringLower(hash[..16])}@{domain}";
    }

    private bool TryFindRecipient(OutboundMessage message, out MailboxAddress recipient, out string problem)
    {
        recipient = null!;
        var trait = _options.RecipientTrait;
        if (!message.Traits.TryGetValue(trait, out var value)
            || Convert.ToString(value, CultureInfo.InvariantCulture) is not { Length: > 0 } text
            || string.IsNullOrWhiteSpace(text))
        {
            problem = $"customer {message.CustomerId} has no trait '{trait}' with an e-mail address";
            return false;
        }

        if (!MailboxAddress.TryParse(text, out var parsed) || parsed.Address.IndexOf('@', StringComparison.Ordinal) <= 0)
        {
            problem = $"customer {message.CustomerId}'s trait '{trait}' is not an e-mail address: '{text}'";
            return false;
        }

        recipient = parsed;
        problem = "";
        return true;
    }

    private MimeMessage Compose(OutboundMessage message, MailboxAddress recipient)
    {
        // HTML only when the template says so (front matter 'format: html', its customer data encoded): never by sniffing.
        var body = message.BodyIsHtml ? new BodyBuilder { HtmlBody = message.Body } : new BodyBuilder { TextBody = message.Body };
        var mime = new MimeMessage
        {
            Subject = message.Subject!,
            Date = _timeProvider.GetUtcNow(),
            MessageId = MessageIdFor(message.IdempotencyKey, _messageIdDomain),
            Body = body.ToMessageBody(),
        };
        mime.From.Add(_from);
        mime.To.Add(recipient);
        mime.Headers.Add(IdempotencyKeyHeader, message.IdempotencyKey);
        return mime;
    }

    private async Task<DeliveryResult> TransmitAsync(MimeMessage mime, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        SmtpClient? client = null;
        var connecting = true;
        try
        {
            client = await AcquireAsync(linked.Token).ConfigureAwait(false);
            connecting = false;
            await client.SendAsync(mime, linked.Token).ConfigureAwait(false);
            Keep(client);
            client = null;
            return DeliveryResult.Delivered;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Every failure here is about this attempt, not a misuse of the API: report it as a value.
            return Classify(e, connecting, timeout.IsCancellationRequested);
        }
        finally
        {
            // A connection on which anything failed is in an unknown state: close it rather than reuse it.
            client?.Dispose();
        }
    }

    private async Task<SmtpClient> AcquireAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var kept))
        {
            try
            {
                await kept.NoOpAsync(cancellationToken).ConfigureAwait(false);
                return kept;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The server closed it while it was idle (or answered 421): no message was on it, so try the next.
                kept.Dispose();
            }
            catch
            {
                kept.Dispose();
                throw;
            }
        }

        var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, _options.Security, cancellationToken).ConfigureAwait(false);
            if (_options.UserName is { } user && _options.Password is { } password)
            {
                await client.AuthenticateAsync(user, password, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private void Keep(SmtpClient client)
    {
        _idle.Push(client);
        if (Volatile.Read(ref _disposed) != 0)
        {
            CloseIdle();
        }
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var client))
        {
            client.Dispose();
        }
    }

    private DeliveryResult Classify(Exception e, bool connecting, bool timedOut)
    {
        if (timedOut || e is TimeoutException || e.InnerException is TimeoutException)
        {
            return DeliveryResult.Retry(string.Create(
                CultureInfo.InvariantCulture,
                $"{_endpoint} did not answer within {_options.Timeout.TotalSeconds:0.###} s"));
        }

        switch (e)
        {
            case SmtpCommandException command:
                var reply = string.Create(CultureInfo.InvariantCulture, $"{(int)command.StatusCode} {command.Message}");
                return !connecting && (int)command.StatusCode is >= 500 and < 600
                    ? DeliveryResult.Permanent($"{_endpoint} refused the message: {reply}")
                    : DeliveryResult.Retry($"{_endpoint} answered {reply}");
            case AuthenticationException:
                return DeliveryResult.Retry($"{_endpoint} refused the credentials of user '{_options.UserName}': {e.Message}");
            case SocketException socket:
                return DeliveryResult.Retry($"cannot connect to {_endpoint}: {socket.SocketErrorCode} ({socket.Message})");
            default:
                var what = connecting ? "cannot connect to" : "lost the connection to";
                return DeliveryResult.Retry($"{what} {_endpoint}: {e.GetType().Name}: {e.Message}");
        }
    }
}
