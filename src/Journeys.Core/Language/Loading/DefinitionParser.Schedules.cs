using System.Globalization;
using Journeys.Calendars;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;
using Journeys.State;

namespace Journeys.Language.Loading;

/// <summary>The <c>schedule:</c> entry (recurring and one-off contacts) and the lunar form of <c>date:</c>.</summary>
internal sealed partial class DefinitionParser
{
    private static readonly string[] ScheduleKeys = ["every", "on", "at", "lunar"];

    private static readonly Dictionary<string, ScheduleEvery> EveryValues = new(StringComparer.Ordinal)
    {
        ["day"] = ScheduleEvery.Day,
        ["week"] = ScheduleEvery.Week,
        ["month"] = ScheduleEvery.Month,
        ["quarter"] = ScheduleEvery.Quarter,
        ["year"] = ScheduleEvery.Year,
    };

    private ScheduleEntry? ParseSchedule(YNode node, YMapping entry)
    {
        var guard = entry["if"] is { } g ? Expr(g, ExpressionScope.Customer) : null;
        if (Map(node, "schedule") is not { } map)
        {
            return null;
        }

        var before = ErrorCount;
        CheckKeys(map, ScheduleKeys, "schedule");
        var rule = map["every"] is { } every ? RepeatingSchedule(map, every) : OneOffSchedule(map);
        return rule is null || ErrorCount > before || (entry["if"] is not null && guard is null)
            ? null
            : new ScheduleEntry(rule, guard) { Location = entry.Location };
    }

    /// <summary><c>schedule: { at: "2026-03-01T10:00:00+08:00" }</c>.</summary>
    private ScheduleRule? OneOffSchedule(YMapping map)
    {
        foreach (var key in new[] { "on", "lunar" })
        {
            if (map[key] is { } stray)
            {
                Error(stray.Location, DiagnosticCodes.InvalidValue,
                    $"'{key}' needs 'every' (day, week, month, quarter or year); a one-off contact is schedule: {{ at: \"2026-03-01T10:00:00+08:00\" }}");
            }
        }

        if (map["at"] is not { } atNode)
        {
            return Missing<ScheduleRule>(map, "at", "an 'every' (day, week, month, quarter, year) with a local time such as \"10:00\", or for a one-off contact an instant such as \"2026-03-01T10:00:00+08:00\"");
        }

        if (Scalar(atNode, "at") is not { } at)
        {
            return null;
        }

        if (!IsoInstant.TryParse(at.Value, out var instant))
        {
            Error(at.Location, DiagnosticCodes.InvalidValue,
                $"a one-off schedule's 'at' must be an instant with its offset, such as \"2026-03-01T10:00:00+08:00\", not '{at.Value}'" +
                (IsTimeOfDay(at.Value) ? "; a local time of day needs 'every' (day, week, month, quarter or year)" : ""));
            return null;
        }

        return new ScheduleRule { Every = ScheduleEvery.Once, Instant = instant };
    }

    private static bool IsTimeOfDay(string text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary><c>schedule: { every: week, on: mon, at: "10:00" }</c> and the other repeating forms.</summary>
    private ScheduleRule? RepeatingSchedule(YMapping map, YNode everyNode)
    {
        var every = Enum(everyNode, "every", EveryValues);
        var at = map["at"] is { } a ? Time(a, "at") : Missing<object>(map, "at", "the local time of each occurrence in the customer's zone, such as \"10:00\"") as TimeOnly?;
        if (every is not { } kind)
        {
            return null;
        }

        var (on, lunar) = (map["on"], map["lunar"]);
        if (lunar is not null && kind != ScheduleEvery.Year)
        {
            Error(lunar.Location, DiagnosticCodes.InvalidValue, $"'lunar' is a month and day of the lunar year: it goes with every: year, not every: {Name(kind)}");
            return null;
        }

        if (kind == ScheduleEvery.Day)
        {
            if (on is not null)
            {
                Error(on.Location, DiagnosticCodes.InvalidValue, "every: day fires every day: it takes no 'on'");
            }

            return at is { } t ? new ScheduleRule { Every = kind, At = t } : null;
        }

        if (kind == ScheduleEvery.Year && on is not null && lunar is not null)
        {
            Error(lunar.Location, DiagnosticCodes.InvalidValue, "every: year takes one of 'on' (a Gregorian \"MM-DD\") or 'lunar' (a lunar \"MM-DD\"), not both");
            return null;
        }

        if ((on ?? lunar) is not { } dayNode)
        {
            return Missing<ScheduleRule>(map, "on", OnHint(kind));
        }

        if (Scalar(dayNode, lunar is not null ? "lunar" : "on") is not { } day)
        {
            return null;
        }

        var rule = kind switch
        {
            ScheduleEvery.Week => WeekdayRule(day),
            ScheduleEvery.Month or ScheduleEvery.Quarter => DayOfMonthRule(day, kind),
            _ => lunar is not null ? LunarDayRule(day) : YearDayRule(day),
        };
        return rule is not null && at is { } time ? rule with { Every = kind, At = time } : null;
    }

    private static string Name(ScheduleEvery every) => EveryValues.First(kv => kv.Value == every).Key;

    private static string OnHint(ScheduleEvery every) => every switch
    {
        ScheduleEvery.Week => "the weekday, one of mon, tue, wed, thu, fri, sat, sun",
        ScheduleEvery.Month => "the day of the month, 1 to 31 or last (a day past a month's end is its last day)",
        ScheduleEvery.Quarter => "the day of January, April, July and October, 1 to 31",
        _ => "a date \"MM-DD\" such as \"03-08\", or lunar: \"MM-DD\" for a lunar date such as \"01-01\" (Spring Festival)",
    };

    private ScheduleRule? WeekdayRule(YScalar on)
    {
        if (WeekDays.Parse(on.Value) is { } weekday)
        {
            return new ScheduleRule { Every = ScheduleEvery.Week, Weekday = weekday };
        }

        // "monday" is too far from "mon" for a spelling hint: a day written in full is named by its first three letters.
        var hint = WeekDays.Names.FirstOrDefault(n => on.Value.StartsWith(n, StringComparison.OrdinalIgnoreCase)) is { } day
            ? $" (did you mean '{day}'?)"
            : Hint(on.Value, WeekDays.Names);
        Error(on.Location, DiagnosticCodes.InvalidValue, $"every: week needs 'on' as {OnHint(ScheduleEvery.Week)}, not '{on.Value}'{hint}");
        return null;
    }

    private ScheduleRule? DayOfMonthRule(YScalar on, ScheduleEvery kind)
    {
        if (kind == ScheduleEvery.Month && on.Value == "last")
        {
            return new ScheduleRule { Every = kind, Day = ScheduleRule.LastDay, IsLastDay = true };
        }

        if (int.TryParse(on.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 31)
        {
            return new ScheduleRule { Every = kind, Day = day };
        }

        Error(on.Location, DiagnosticCodes.InvalidValue, $"every: {Name(kind)} needs 'on' as {OnHint(kind)}, not '{on.Value}'");
        return null;
    }

    private ScheduleRule? YearDayRule(YScalar on)
    {
        // Any day of a leap year: "02-29" falls on 28 February in other years.
        if (MonthDay(on.Value) is ({ } month and >= 1 and <= 12, { } day) && day >= 1 && day <= DateTime.DaysInMonth(2024, month))
        {
            return new ScheduleRule { Every = ScheduleEvery.Year, Month = month, Day = day };
        }

        Error(on.Location, DiagnosticCodes.InvalidValue, $"every: year needs 'on' as a date \"MM-DD\" that exists, such as \"03-08\", not '{on.Value}'");
        return null;
    }

    private ScheduleRule? LunarDayRule(YScalar lunar)
    {
        if (MonthDay(lunar.Value) is ({ } month and >= 1 and <= 12, { } day) && day is >= 1 and <= LunarDates.MaxDay)
        {
            return new ScheduleRule { Every = ScheduleEvery.Year, Month = month, Day = day, Lunar = true };
        }

        Error(lunar.Location, DiagnosticCodes.InvalidValue,
            $"lunar date '{lunar.Value}' does not exist: write \"MM-DD\" with a lunar month 01 to 12 and a day 01 to 30, such as \"01-01\" (Spring Festival) or \"08-15\" (Mid-Autumn)");
        return null;
    }

    private static (int? Month, int? Day) MonthDay(string text) =>
        text.Length == 5 && text[2] == '-' &&
        int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) &&
        int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            ? (month, day)
            : (null, null);

    /// <summary>A <c>date:</c> entry's <c>lunar</c>: true repeats on the trait's lunar month and day each year, which a
    /// one-time date (<c>every: once</c>) cannot.</summary>
    private bool? DateLunar(YMapping date, bool? every)
    {
        if (date["lunar"] is not { } node)
        {
            return false;
        }

        var lunar = Bool(node, "lunar");
        if (lunar == true && every == false && date["every"] is { } e)
        {
            Error(e.Location, DiagnosticCodes.InvalidValue, "a lunar date repeats on its lunar month and day each year: use every: year (the default with lunar: true)");
            return null;
        }

        return lunar;
    }
}
