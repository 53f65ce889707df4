namespace Journeys.Diagnostics;

/// <summary>The base of every exception the engine throws on purpose.</summary>
public class JourneyException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public JourneyException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JourneyException(string message, Exception inner) : base(message, inner) { }
}
