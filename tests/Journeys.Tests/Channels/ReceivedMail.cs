using MimeKit;

namespace Journeys.Tests.Channels;

/// <summary>One message the test server accepted: its envelope, the id of the connection it came on, the raw message.</summary>
public sealed record ReceivedMail(string Connection, string? User, string MailFrom, IReadOnlyList<string> RcptTo, MimeMessage Message);
