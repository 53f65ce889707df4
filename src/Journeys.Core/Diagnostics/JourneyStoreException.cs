namespace Journeys.Diagnostics;

/// <summary>Thrown by a durable store that cannot use its file: refused at start (not a database, another application's
/// database, a newer schema, in use by another store) or failing to read or write it. The message names the file and
/// the reason; a refused file is left as it was.</summary>
public sealed class JourneyStoreException : JourneyException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public JourneyStoreException(string filePath, string reason)
        : base($"Journeys store '{filePath}': {reason}")
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>Creates the exception for <paramref name="filePath"/> with its cause.</summary>
    public JourneyStoreException(string filePath, string reason, Exception inner)
        : base($"Journeys store '{filePath}': {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The store's file, as a full path.</summary>
    public string FilePath { get; }

    /// <summary>Why the file cannot be used.</summary>
    public string Reason { get; }
}
