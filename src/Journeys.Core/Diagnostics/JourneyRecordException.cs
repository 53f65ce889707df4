namespace Journeys.Diagnostics;

/// <summary>Thrown when the engine starts on a store that returned a record it cannot read: a format version this build
/// does not know (written by a newer Journeys) or a payload that is damaged. The message names the record and why; the
/// store is left as it was.</summary>
public sealed class JourneyRecordException : JourneyException
{
    /// <summary>Creates the exception for the record <paramref name="key"/> of format <paramref name="version"/>.</summary>
    /// <param name="kind">What the record holds: <c>customer</c> or <c>outbox message</c>.</param>
    /// <param name="key">The customer's id or the outbox message's idempotency key.</param>
    /// <param name="version">The record's format version.</param>
    /// <param name="reason">Why it cannot be read.</param>
    /// <param name="inner">The cause, if any.</param>
    public JourneyRecordException(string kind, string key, int version, string reason, Exception? inner = null)
        : base($"The store's record of {kind} '{key}' (format version {version}) cannot be read: {reason}", inner!)
    {
        Key = key;
        Version = version;
        Reason = reason;
    }

    /// <summary>The customer's id or the outbox message's idempotency key.</summary>
    public string Key { get; }

    /// <summary>The record's format version.</summary>
    public int Version { get; }

    /// <summary>Why the record cannot be read.</summary>
    public string Reason { get; }
}
