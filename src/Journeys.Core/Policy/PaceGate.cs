using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Language.Definitions;
using Journeys.State;

namespace Journeys.Policy;

/// <summary>The pace policy of <c>policy.yaml</c> applied to each send, in this order: consent (trait
/// <c>consent.&lt;channel&gt;: false</c>), then — for marketing sends only — quiet hours in the customer's time zone
/// (the send waits until they end) and every frequency cap that applies (tier, channel, journey; rolling windows where a
/// send made at <c>s</c> counts at <c>t</c> while <c>t - s &lt; per</c>). Transactional sends are neither held, counted
/// nor capped; operational sends (work for staff) pass no check at all, consent included.</summary>
internal sealed class PaceGate : ISendGate
{
    private readonly PolicyDefinition _policy;
    private readonly CompiledCap[] _caps;
    private readonly Dictionary<string, int> _channels;
    private readonly Dictionary<string, string> _consentTraits;
    private readonly long _keepTicks;

    private sealed record CompiledCap(FrequencyCap Cap, string? Tier, int Channel, int Journey, long WindowTicks, DecisionReason Reason);

    private readonly CustomerRegistry _registry;

    public PaceGate(RuntimeModel model)
    {
        _registry = model.Customers;
        var (policy, journeys) = (model.Catalog.PolicyDefinition, model.Journeys);
        _policy = policy;
        _channels = model.ChannelIndex;
        _consentTraits = _channels.Keys.ToDictionary(c => c, c => "consent." + c, StringComparer.Ordinal);
        var journeyIndex = journeys.Where(j => j.AcceptsEntries).ToDictionary(j => j.Id, j => j.Index, StringComparer.Ordinal);
        _caps = policy.Caps.Select(c => new CompiledCap(
            c,
            c.Tier,
            c.Channel is null ? -1 : _channels[c.Channel],
            c.Journey is null ? -1 : journeyIndex.GetValueOrDefault(c.Journey, int.MinValue),
            c.Per.Ticks,
            DecisionReason.Capped(c.Name))).ToArray();
        _keepTicks = _caps.Length == 0 ? 0 : _caps.Max(c => c.WindowTicks);
    }

    public GateVerdict Check(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks, long deferredSinceTicks)
    {
        if (send.Category == MessageCategory.Operational)
        {
            return GateVerdict.Allow; // work for staff: no consent, quiet hours or caps apply
        }

        if (customer.GetTrait(_consentTraits[send.Channel]) is { Kind: ValueKind.Bool, AsBool: false })
        {
            return GateVerdict.Suppress(DecisionReason.Consent);
        }

        if (send.Category == MessageCategory.Transactional)
        {
            return GateVerdict.Allow;
        }

        if (_policy.QuietHours is { } quiet && QuietUntil(quiet, customer.TimeZoneIn(_registry), nowTicks) is { } release)
        {
            return GateVerdict.Defer(DecisionReason.QuietHours, release);
        }

        if (_caps.Length == 0)
        {
            return GateVerdict.Allow;
        }

        var log = customer.SendLog;
        var channel = _channels[send.Channel];
        foreach (var cap in _caps)
        {
            if ((cap.Tier is not null && cap.Tier != customer.TierIn(_registry)) || (cap.Channel >= 0 && cap.Channel != channel) ||
                (cap.Journey != -1 && cap.Journey != journey.Current))
            {
                continue;
            }

            var (count, frees) = log.Count(nowTicks, cap.WindowTicks, cap.Channel, cap.Journey);
            if (count < cap.Cap.Max)
            {
                continue;
            }

            if (_policy.WhenCapped == CappedAction.Skip || cap.Cap.Max == 0)
            {
                return GateVerdict.Suppress(cap.Reason);
            }

            var since = deferredSinceTicks == 0 ? nowTicks : deferredSinceTicks;
            var deadline = CalendarTicks.Add(since, _policy.DeferFor.Ticks);
            // Wait for the slot, or until the deadline (the tier may change meanwhile); dropped only at the deadline.
            return nowTicks >= deadline ? GateVerdict.Suppress(cap.Reason) : GateVerdict.Defer(cap.Reason, Math.Min(frees, deadline));
        }

        return GateVerdict.Allow;
    }

    public void Sent(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks)
    {
        if (send.Category != MessageCategory.Marketing || _keepTicks == 0)
        {
            return;
        }

        customer.SendLog.Add(nowTicks, _channels[send.Channel], journey.Current, _keepTicks); // per journey id, whatever the version
    }

    /// <summary>When quiet hours hold a send at <paramref name="nowTicks"/>: the UTC end of the quiet period (the next
    /// local <c>to</c>, moved past a spring-forward gap; <see cref="CalendarTicks.Never"/> when that is past the calendar's
    /// end), else null.</summary>
    internal static long? QuietUntil(QuietHours quiet, TimeZoneInfo zone, long nowTicks)
    {
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(nowTicks, TimeSpan.Zero), zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!quiet.Contains(time))
        {
            return null;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        if (time >= quiet.To)
        {
            if (day == DateOnly.MaxValue)
            {
                return CalendarTicks.Never; // the calendar's last evening: the period never ends
            }

            day = day.AddDays(1); // in the evening part of a period that spans midnight
        }

        return DateSchedule.ToUtcFirstValidAfter(day.ToDateTime(quiet.To), zone); // `to` in a skipped hour: the period ends at the change
    }
}
