namespace Journeys.Engine;

/// <summary>One customer's state as the engine holds it, read by <see cref="JourneyEngine.InspectCustomerAsync"/>: a copy
/// taken by the customer's partition, so it never changes under the reader.</summary>
/// <param name="Id">The customer's id.</param>
/// <param name="Tier">The tier whose caps apply (<c>default</c> when no tier rule holds).</param>
/// <param name="TimeZone">The customer's IANA time zone (the engine's default when the profile gave none).</param>
/// <param name="FirstSeen">When the engine first heard of the customer.</param>
/// <param name="Traits">The profile's traits, by name, as .NET values (string, double, bool, <see cref="DateTimeOffset"/>).</param>
/// <param name="Runs">The journeys the customer is in now, one run each.</param>
/// <param name="Timers">What is due for the customer: each run's step timer, and each send held for a cap or quiet hours.</param>
/// <param name="Sends">The sends counted for the caps (those still inside the longest cap window), oldest first.</param>
public sealed record CustomerView(string Id, string Tier, string TimeZone, DateTimeOffset FirstSeen, IReadOnlyDictionary<string, object?> Traits,
    IReadOnlyList<CustomerRun> Runs, IReadOnlyList<CustomerTimer> Timers, IReadOnlyList<CustomerSend> Sends);
