using Fluid.Values;

namespace Journeys.Language.Templates;

/// <summary>Renders a partition's sends from a <see cref="TemplateSet"/>, reusing what a render needs from one send to
/// the next: one Fluid context (two: with and without <c>entry</c>), the template objects <c>customer</c>,
/// <c>event</c>, <c>journey</c> and <c>entry</c> (<see cref="TemplateValues"/>, pointed at each send's values instead of
/// copied into new dictionaries) and one output buffer. Each render starts from a clean context (its own scope for what
/// the template assigns, no steps taken, its own time and budget) and the objects forget the send's values when it
/// ends, so nothing of one customer's is seen in another's message. A context that saw a render fail is dropped.
/// One thread at a time (a partition's).</summary>
internal sealed class TemplateRenderer(TemplateSet templates)
{
    private readonly TemplateValues _customer = new(TemplateSet.RenderOptions, "id", "tier", "timeZone");
    private readonly TemplateValues _event = new(TemplateSet.RenderOptions, "type");
    private readonly TemplateValues _journey = new(TemplateSet.RenderOptions, "id", "version", "step");
    private readonly TemplateValues _entry = new(TemplateSet.RenderOptions, "timestamp");
    private readonly TemplateBudget.BoundedWriter _writer = new(0);
    private TemplateBudget.Context? _withEntry;
    private TemplateBudget.Context? _withoutEntry;
    private object _version = 0; // the last boxed journey version and entry time, reused while they repeat
    private object _enteredAt = default(DateTimeOffset);

    /// <summary>Renders template <paramref name="name"/> for <paramref name="channel"/> as
    /// <see cref="TemplateSet.Render(string, string, IReadOnlyDictionary{string, object}, IReadOnlyDictionary{string, object}, IReadOnlyDictionary{string, object}, TemplateLimits, DateTimeOffset, IReadOnlyDictionary{string, object})"/>
    /// does with the dictionaries <paramref name="send"/> describes; null when the template does not exist. Throws on a
    /// render failure or a render over budget.</summary>
    public RenderedTemplate? Render(string name, string channel, in TemplateSend send, TemplateLimits limits, DateTimeOffset now)
    {
        if (templates.Find(name, channel) is not { } compiled)
        {
            return null;
        }

        var withEntry = send.HasEntry;
        var context = (withEntry ? _withEntry : _withoutEntry) ?? NewContext(withEntry, limits, now);
        _customer.Set(send.Traits, send.CustomerId, send.Tier, send.TimeZone);
        _event.Set(send.EventProperties, send.EventType);
        if ((int)_version != send.JourneyVersion)
        {
            _version = send.JourneyVersion;
        }

        _journey.Set(null, send.JourneyId, _version, send.Step);
        if (withEntry)
        {
            if (!((DateTimeOffset)_enteredAt).EqualsExact(send.EnteredAt))
            {
                _enteredAt = send.EnteredAt;
            }

            _entry.Set(send.EntryProperties, _enteredAt);
        }

        var ended = false;
        try
        {
            context.Begin(limits, now);
            var rendered = TemplateSet.Render(compiled, context, _writer);
            context.End();
            ended = true;
            return rendered;
        }
        finally
        {
            if (!ended)
            {
                // A failed render may leave scopes behind: the next render starts from a new context.
                (withEntry ? ref _withEntry : ref _withoutEntry) = null;
            }

            _customer.Clear();
            _event.Clear();
            _journey.Clear();
            _entry.Clear();
        }
    }

    private TemplateBudget.Context NewContext(bool withEntry, TemplateLimits limits, DateTimeOffset now)
    {
        var context = new TemplateBudget.Context(TemplateSet.RenderOptions, limits, now);
        context.SetValue("customer", new DictionaryValue(_customer));
        context.SetValue("event", new DictionaryValue(_event));
        context.SetValue("journey", new DictionaryValue(_journey));
        if (withEntry)
        {
            context.SetValue("entry", new DictionaryValue(_entry));
        }

        (withEntry ? ref _withEntry : ref _withoutEntry) = context;
        return context;
    }
}

/// <summary>What one send's templates read: the customer's traits (read in place) with its id, tier and time zone; the
/// event's properties and type; the journey's id, version and step; and, for a send whose run is open, the properties
/// of the event that entered it and when (<see cref="HasEntry"/>).</summary>
internal readonly record struct TemplateSend(
    IReadOnlyDictionary<string, object?> Traits, string CustomerId, string Tier, string TimeZone,
    IReadOnlyDictionary<string, object?>? EventProperties, string? EventType,
    string JourneyId, int JourneyVersion, string Step,
    bool HasEntry, IReadOnlyDictionary<string, object?>? EntryProperties, DateTimeOffset EnteredAt);
