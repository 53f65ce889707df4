using System.Globalization;
using MailKit.Security;
using MimeKit;

namespace Journeys.Channels;

/// <summary>Settings of a <see cref="SmtpChannel"/>: the server, how to reach it, who the mail comes from and where
/// the recipient's address is found. <see cref="SmtpChannel"/> checks them all when it is created and names every wrong
/// setting in one <see cref="ArgumentException"/>.</summary>
public sealed class SmtpChannelOptions
{
    /// <summary>The channel name journeys use in <c>send: { channel: ... }</c>. Default <c>email</c>.</summary>
    public string Name { get; set; } = "email";

    /// <summary>The SMTP server's host name or IP address. Required.</summary>
    public string Host { get; set; } = "";

    /// <summary>The server's port, 1 to 65535. Default 587 (message submission with STARTTLS).</summary>
    public int Port { get; set; } = 587;

    /// <summary>Whether and how TLS is used. Default <see cref="SecureSocketOptions.StartTls"/>, which fails when the
    /// server cannot upgrade the connection; use <see cref="SecureSocketOptions.SslOnConnect"/> for port 465 and
    /// <see cref="SecureSocketOptions.None"/> only for a relay on a trusted network.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>The user name to authenticate with, or null to send without authenticating (the default). Requires
    /// <see cref="Password"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>The password that goes with <see cref="UserName"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender's bare address, such as <c>news@example.com</c>: the envelope sender and the <c>From</c>
    /// header. Its domain also ends every <c>Message-ID</c>. Required.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>The sender's display name in the <c>From</c> header, such as <c>Example Shop</c>; none by default.</summary>
    public string? FromName { get; set; }

    /// <summary>The customer trait holding the recipient's address. Default <c>email</c>. A message whose customer has no
    /// such trait fails permanently without contacting the server.</summary>
    public string RecipientTrait { get; set; } = "email";

    /// <summary>How long one send may take, connecting and authenticating included, before it fails as retryable.
    /// Positive and at most one hour. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many connections the channel opens at most, which is also how many messages it sends at once;
    /// further sends wait for a free connection. 1 to 100. Default 4.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>Checks every setting and throws one exception that names each wrong one.</summary>
    /// <exception cref="ArgumentException">One or more settings are wrong.</exception>
    internal void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(SmtpChannelOptions)}: {string.Join("; ", errors)}.", "options");
        }
    }

    /// <summary>One line for every wrong setting, each starting with the property's name; empty when all are right.</summary>
    internal List<string> Errors()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("Name must not be empty");
        }

        if (string.IsNullOrWhiteSpace(Host) || Host.Any(char.IsWhiteSpace))
        {
            errors.Add($"Host must be a host name or IP address, not '{Host}'");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Port must be from 1 to 65535, not {Port}"));
        }

        if (!Enum.IsDefined(Security))
        {
            errors.Add($"Security must be one of {string.Join(", ", Enum.GetNames<SecureSocketOptions>())}, not {Security}");
        }

        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            errors.Add("UserName and Password must be set together or not at all");
        }

        if (!IsBareAddress(FromAddress))
        {
            errors.Add($"FromAddress must be a bare address such as news@example.com (the name goes in FromName), not '{FromAddress}'");
        }

        if (string.IsNullOrWhiteSpace(RecipientTrait))
        {
            errors.Add("RecipientTrait must name the trait holding the recipient's address");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromHours(1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Timeout must be positive and at most 1 hour, not {Timeout}"));
        }

        if (MaxConnections is < 1 or > 100)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxConnections must be from 1 to 100, not {MaxConnections}"));
        }

        return errors;
    }

    /// <summary>Whether the text is one address with a local part and a domain, and nothing else.</summary>
    internal static bool IsBareAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && MailboxAddress.TryParse(text, out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && mailbox.Address == text.Trim()
        && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < mailbox.Address.Length - 1;
}
