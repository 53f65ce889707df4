using System.Globalization;
using Journeys.Calendars;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Yaml;
using Journeys.State;

namespace Journeys.Language.Loading;

/// <summary>The working-time part of the parser: <c>policy.calendars</c>, a journey's <c>calendar:</c>, the <c>bd</c> and
/// <c>bh</c> units, <c>from: entry</c> and <c>until:</c> waits.</summary>
internal sealed partial class DefinitionParser
{
    private static readonly string[] CalendarKeys = ["timeZone", "days", "hours", "holidays", "workdays"];
    private static readonly string[] HoursKeys = ["from", "to"];
    private static readonly string[] UntilKeys = ["at", "days", "calendar"];
    private const int MaxRangeDays = 3660; // a range of ten years is a typo, not a holiday

    /// <summary>The policy's calendars that loaded, by name (set once the policy is parsed, before the journeys).</summary>
    public IReadOnlyDictionary<string, WorkingCalendar> Calendars { get; set; } = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);

    /// <summary>Every calendar name the policy writes, also one refused for its own errors (naming it is no second error).</summary>
    public IReadOnlyCollection<string> CalendarNames { get; set; } = [];

    /// <summary>The calendar of the journey being parsed, and whether it is missing only because its definition was refused.</summary>
    private (WorkingCalendar? Calendar, bool Refused) _journeyCalendar;

    private Dictionary<string, WorkingCalendar> ParseCalendars(YNode node, List<string> names)
    {
        var calendars = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);
        if (Map(node, "calendars") is not { } map)
        {
            return calendars;
        }

        foreach (var (name, value) in map.Entries)
        {
            names.Add(name.Value);
            if (!JourneyId().IsMatch(name.Value))
            {
                Error(name.Location, DiagnosticCodes.InvalidValue, $"calendar name '{name.Value}' must be lowercase letters, digits and dashes, such as cn-office");
            }
            else if (ParseCalendar(name.Value, value) is { } calendar)
            {
                calendars[name.Value] = calendar;
            }
        }

        return calendars;
    }

    private WorkingCalendar? ParseCalendar(string name, YNode node)
    {
        var before = ErrorCount;
        if (Map(node, $"calendar '{name}'") is not { } map)
        {
            return null;
        }

        CheckKeys(map, CalendarKeys, $"calendar '{name}'");
        TimeZoneInfo? zone = null;
        if (map["timeZone"] is not { } tz)
        {
            Missing<object>(map, "timeZone", "the calendar's IANA time zone, such as Asia/Shanghai");
        }
        else if (Name(tz, "timeZone") is { } zoneId)
        {
            if (TimeZones.TryFind(zoneId, out var found))
            {
                zone = found;
            }
            else
            {
                Error(tz.Location, DiagnosticCodes.InvalidValue, $"unknown time zone '{zoneId}': write an IANA zone id such as Asia/Shanghai, Europe/Berlin or UTC");
            }
        }

        var days = map["days"] is { } d ? WeekDaysValue(d, "days") : MondayToFriday;
        (TimeOnly? Open, TimeOnly? Close) hours = (null, null);
        if (map["hours"] is { } h && Map(h, "hours") is { } hm)
        {
            CheckKeys(hm, HoursKeys, "hours");
            var from = hm["from"] is { } f ? Time(f, "from") : Missing<object>(hm, "from", "the local time a working day opens, such as 09:00") as TimeOnly?;
            var to = hm["to"] is { } t ? Time(t, "to") : Missing<object>(hm, "to", "the local time a working day closes, such as 18:00") as TimeOnly?;
            if (from is { } o && to is { } c)
            {
                if (o >= c)
                {
                    Error(hm.Location, DiagnosticCodes.InvalidValue,
                        $"hours.from ({o:HH\\:mm}) must be before hours.to ({c:HH\\:mm}): working hours lie within one day (leave 'hours' out for the whole day)");
                }
                else
                {
                    hours = (o, c);
                }
            }
        }

        var holidays = map["holidays"] is { } hol ? Dates(hol, "holidays") : [];
        var workdays = map["workdays"] is { } wd ? Dates(wd, "workdays") : [];
        var holidaySet = holidays.Select(x => x.Date).ToHashSet();
        foreach (var (date, location) in workdays.Where(w => holidaySet.Contains(w.Date)))
        {
            Error(location, DiagnosticCodes.InvalidValue,
                $"{date:yyyy-MM-dd} is both a holiday and a workday of calendar '{name}': remove it from one of the lists");
        }

        if (ErrorCount > before || zone is null || days is null)
        {
            return null;
        }

        if (days.Value.IsEmpty && workdays.Count == 0)
        {
            Error(map.Location, DiagnosticCodes.InvalidValue, $"calendar '{name}' has no working day: list weekdays under 'days' or dates under 'workdays'");
            return null;
        }

        return new WorkingCalendar(name, zone, days.Value, hours.Open, hours.Close, holidaySet, workdays.Select(w => w.Date));
    }

    private static WeekDays MondayToFriday { get; } = new WeekDays(0b0111110);

    private WeekDays? WeekDaysValue(YNode node, string what)
    {
        var items = node is YSequence seq ? seq.Items : [node];
        var days = new WeekDays(0);
        var ok = true;
        foreach (var item in items)
        {
            if (Name(item, what) is not { } name)
            {
                ok = false;
            }
            else if (WeekDays.Parse(name) is { } day)
            {
                days = days.With(day);
            }
            else
            {
                Error(item.Location, DiagnosticCodes.InvalidValue,
                    $"'{name}' is not a day of the week{Hint(name, WeekDays.Names)}; write {string.Join(", ", WeekDays.Names.Skip(1).Append("sun"))}");
                ok = false;
            }
        }

        return ok ? days : null;
    }

    /// <summary>A list of dates and inclusive ranges (<c>"2026-10-01..2026-10-08"</c>), each date with where it was written.</summary>
    private List<(DateOnly Date, SourceLocation Location)> Dates(YNode node, string what)
    {
        var dates = new List<(DateOnly, SourceLocation)>();
        foreach (var item in node is YSequence seq ? seq.Items : [node])
        {
            if (Scalar(item, what) is not { } s)
            {
                continue;
            }

            var parts = s.Value.Split("..");
            var parsed = parts.Select(p => DateOnly.TryParseExact(p.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : (DateOnly?)null).ToList();
            if (parts.Length > 2 || parsed.Any(p => p is null))
            {
                Error(s.Location, DiagnosticCodes.InvalidValue,
                    $"'{s.Value}' in '{what}' is not a date or a range: write \"2026-10-01\" or \"2026-10-01..2026-10-07\" (both ends included)");
                continue;
            }

            var (first, last) = (parsed[0]!.Value, parsed[^1]!.Value);
            if (last < first)
            {
                Error(s.Location, DiagnosticCodes.InvalidValue, $"range '{s.Value}' in '{what}' ends before it starts: write the earlier date first");
                continue;
            }

            if (last.DayNumber - first.DayNumber >= MaxRangeDays)
            {
                Error(s.Location, DiagnosticCodes.InvalidValue, $"range '{s.Value}' in '{what}' is longer than {MaxRangeDays} days");
                continue;
            }

            for (var date = first; date <= last; date = date.AddDays(1))
            {
                dates.Add((date, s.Location));
                if (date == DateOnly.MaxValue)
                {
                    break;
                }
            }
        }

        return dates;
    }

    /// <summary>A journey's <c>calendar:</c>, else the policy's only calendar; sets the calendar the journey's working-time
    /// durations count on.</summary>
    private void ParseJourneyCalendar(YNode? node)
    {
        _journeyCalendar = (null, false);
        if (node is null)
        {
            _journeyCalendar = Calendars.Count == 1 && CalendarNames.Count == 1 ? (Calendars.Values.First(), false) : (null, CalendarNames.Count == 1);
            return;
        }

        _journeyCalendar = CalendarByName(node, "calendar");
    }

    private (WorkingCalendar? Calendar, bool Refused) CalendarByName(YNode node, string what)
    {
        if (Name(node, what) is not { } name)
        {
            return (null, true);
        }

        if (Calendars.TryGetValue(name, out var calendar))
        {
            return (calendar, false);
        }

        if (!CalendarNames.Contains(name))
        {
            Error(node.Location, DiagnosticCodes.InvalidValue, CalendarNames.Count == 0
                ? $"unknown calendar '{name}': define it under policy.calendars in policy.yaml"
                : $"unknown calendar '{name}'{Hint(name, CalendarNames)}; the policy's calendars are {string.Join(", ", CalendarNames)}");
        }

        return (null, true);
    }

    /// <summary>A duration that may count working time (<c>after:</c>, <c>goal.within</c>): a fixed span, or a working-time
    /// duration on the journey's calendar. Null (with an error) when it is neither.</summary>
    private (TimeSpan Span, WorkingDuration? Working)? JourneyDuration(YNode node, string what)
    {
        string? error = null;
        if (node is YScalar s && WorkingDuration.TryParse(s.Value, out var working, out error))
        {
            if (_journeyCalendar.Calendar is null && !_journeyCalendar.Refused)
            {
                Error(s.Location, DiagnosticCodes.BadDuration, CalendarNames.Count == 0
                    ? $"'{what}: {s.Value}' counts working time, but there is no calendar: define one under policy.calendars in policy.yaml"
                    : $"'{what}: {s.Value}' counts working time, but the journey names no calendar: add 'calendar: <name>' (the policy's calendars are {string.Join(", ", CalendarNames)})");
                return null;
            }

            return (TimeSpan.Zero, working);
        }

        if (node is YScalar bad && error is not null)
        {
            Error(bad.Location, DiagnosticCodes.BadDuration, $"'{what}': {error}");
            return null;
        }

        return PositiveDuration(node, what) is { } span ? (span, null) : null;
    }

    /// <summary><c>{ after: 7bd, from: entry, goto: late }</c>.</summary>
    private TimerTransition? ParseTimer(YMapping map, YNode after, string? target)
    {
        var duration = JourneyDuration(after, "after");
        var fromEntry = false;
        if (map["from"] is { } from && Scalar(from, "from") is { } f)
        {
            if (f.Value == "entry")
            {
                fromEntry = true;
            }
            else if (f.Value != "arrival")
            {
                Error(f.Location, DiagnosticCodes.InvalidValue, $"'from' must be entry (the run's entry) or arrival (the default), not '{f.Value}'{Hint(f.Value, ["entry", "arrival"])}");
                return null;
            }
        }

        return duration is not { } d || target is null
            ? null
            : new TimerTransition(d.Span, target) { Working = d.Working, Calendar = d.Working is null ? null : _journeyCalendar.Calendar, FromEntry = fromEntry, Location = map.Location, TargetLocation = map["goto"]?.Location };
    }

    /// <summary><c>{ until: { at: "10:00", days: [mon, tue] }, goto: call }</c> or <c>{ until: { at, calendar }, ... }</c>.</summary>
    private UntilTransition? ParseUntil(YMapping transition, YNode node, string? target)
    {
        if (Map(node, "until") is not { } map)
        {
            return null;
        }

        CheckKeys(map, UntilKeys, "until");
        var at = map["at"] is { } a ? Time(a, "at") : Missing<object>(map, "at", "a local time such as \"10:00\"") as TimeOnly?;
        var days = WeekDays.All;
        if (map["days"] is { } d)
        {
            days = WeekDaysValue(d, "days") ?? WeekDays.All;
        }

        (WorkingCalendar? Calendar, bool Refused) calendar = (null, false);
        if (map["calendar"] is { } c)
        {
            if (map["days"] is not null)
            {
                Error(c.Location, DiagnosticCodes.InvalidValue, "'until' takes 'days' or 'calendar', not both: a calendar's working days are its own");
                return null;
            }

            calendar = CalendarByName(c, "calendar");
            if (calendar.Calendar is null)
            {
                return null;
            }
        }

        if (days.IsEmpty)
        {
            Error(map["days"]!.Location, DiagnosticCodes.InvalidValue, "'days' must list at least one day of the week");
            return null;
        }

        return at is null || target is null ? null : new UntilTransition(at.Value, days, calendar.Calendar, target) { Location = transition.Location, TargetLocation = transition["goto"]?.Location };
    }
}
