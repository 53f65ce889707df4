using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Journeys.Tests.Architecture;

/// <summary>Operators filter and alert on the engine's log event ids: each names one message.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EngineLog_EventIds_AreUniqueAndNamed()
    {
        var messages = typeof(Journeys.Engine.JourneyEngine).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        Assert.True(messages.Count > 5);
        Assert.All(messages, m => Assert.False(string.IsNullOrEmpty(m.EventName)));
        var shared = messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.EventName))}");
        Assert.Empty(shared);
    }
}
