using System.Text.RegularExpressions;
using System.Text.Encodings.Web;
using Fluid;
using Journeys.Diagnostics;
using Journeys.Files;
using Journeys.Language.Yaml;

namespace Journeys.Language.Templates;

/// <summary>The Liquid templates of a folder's <c>templates/</c>, parsed once at load (Fluid): <c>templates/&lt;name&gt;.liquid</c>,
/// with per-channel variants <c>templates/&lt;name&gt;.&lt;channel&gt;.liquid</c> preferred for that channel, and an
/// optional front matter (<c>---</c> lines) whose <c>subject:</c> is a Liquid template too, and whose <c>fields:</c> is a
/// mapping of names to Liquid templates the channel reads as provider fields (an SMS template code and its parameters,
/// a WeCom message type). Templates see
/// <c>customer.*</c> (traits, <c>id</c>, <c>tier</c>, <c>timeZone</c>), <c>event.*</c> (<c>type</c> and properties) and
/// <c>journey.*</c> (<c>id</c>, <c>version</c>, <c>step</c>). Front matter <c>format: html</c> marks a template whose body is
/// HTML: every value it outputs is HTML-encoded (customer data cannot add markup), and the message says it is HTML; any
/// other template is plain text, output as it is. Every render keeps to a <see cref="TemplateLimits"/>.</summary>
internal sealed partial class TemplateSet
{
    public const long MaxTemplateBytes = 256 * 1024;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = TemplateBudget.CreateOptions(); // dictionaries of plain values: no reflection
    private readonly Dictionary<(string Name, string? Channel), Compiled> _templates = new();

    // Files that exist but could not be used (too large, unreadable, syntax error): their own error is reported, so a
    // send naming them is not reported again as "not found".
    private readonly HashSet<(string Name, string? Channel)> _unusable = [];

    internal sealed record Compiled(string File, IFluidTemplate? Subject, IFluidTemplate Body, bool IsHtml, (string Name, IFluidTemplate Value)[] Fields);

    public static TemplateSet Empty { get; } = new();

    private readonly HashSet<string> _readingEntry = new(StringComparer.Ordinal);

    /// <summary>True when a variant of template <paramref name="name"/> may read <c>entry.*</c> (its text names it), so the
    /// runs that send it keep their entering event.</summary>
    public bool ReadsEntry(string name) => _readingEntry.Contains(name);

    public int Count => _templates.Count;

    /// <summary>True when the folder has a templates/ folder, so sends must name templates that exist.</summary>
    public bool IsChecked { get; private init; }

    /// <summary>True when a file for the template exists for this channel (its variant or the plain one), even one whose
    /// own error was reported at load.</summary>
    public bool Has(string name, string channel) =>
        _templates.ContainsKey((name, channel)) || _templates.ContainsKey((name, null)) || _unusable.Contains((name, channel)) || _unusable.Contains((name, null));

    /// <summary>Reads and parses every <c>*.liquid</c> file under <paramref name="folder"/>; problems become diagnostics.</summary>
    public static TemplateSet Load(string folder, Func<string, string> display, List<Diagnostic> diagnostics)
    {
        var set = new TemplateSet { IsChecked = true };
        foreach (var path in InputFile.Find(folder, "*.liquid", recurse: true, display, diagnostics))
        {
            var file = display(path);
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            var stem = relative[..^".liquid".Length];
            var slash = stem.LastIndexOf('/');
            var leaf = stem[(slash + 1)..];
            var dot = leaf.IndexOf('.', StringComparison.Ordinal);
            var (name, channel) = dot < 0 ? (stem, (string?)null) : (stem[..(slash + 1)] + leaf[..dot], leaf[(dot + 1)..]);
            set._unusable.Add((name, channel)); // until it compiles
            if (InputFile.ReadText(path, file, MaxTemplateBytes, "a template", diagnostics) is { } text &&
                set.Compile(text, file, diagnostics) is { } compiled)
            {
                if (text.Contains("entry", StringComparison.Ordinal))
                {
                    set._readingEntry.Add(name);
                }

                set._templates[(name, channel)] = compiled;
                set._unusable.Remove((name, channel));
            }
        }

        return set;
    }

    private Compiled? Compile(string text, string file, List<Diagnostic> diagnostics)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        IFluidTemplate? subject = null;
        (string Name, IFluidTemplate Value)[] fields = [];
        var isHtml = false;
        var bodyLine = 1;
        var body = text;
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
            if (end < 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(file, 1, 1), DiagnosticCodes.Template,
                    "front matter starts with '---' but has no closing '---' line"));
                return null;
            }

            var front = text[4..(end + 1)];
            var afterClose = text.IndexOf('\n', end + 4);
            body = afterClose < 0 ? "" : text[(afterClose + 1)..];
            bodyLine = 1 + text[..(afterClose < 0 ? text.Length : afterClose + 1)].Count(c => c == '\n');
            var errors = diagnostics.Count;
            var root = YamlDocumentReader.Read(new StringReader(front), file, diagnostics);
            if (diagnostics.Count > errors)
            {
                // The reader counts lines from the front matter's first line: shift them below the opening '---'.
                for (var i = errors; i < diagnostics.Count; i++)
                {
                    diagnostics[i] = diagnostics[i] with { Location = diagnostics[i].Location with { Line = diagnostics[i].Location.Line + 1 } };
                }

                return null;
            }

            if (root is YMapping map)
            {
                foreach (var (key, value) in map.Entries)
                {
                    switch (key.Value)
                    {
                        case "format" when value is YScalar { Value: "html" or "text" } format:
                            isHtml = format.Value == "html";
                            break;
                        case "format":
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Below(value.Location), DiagnosticCodes.Template,
                                "front matter 'format' is 'html' or 'text' (the default)"));
                            return null;
                        case "subject" when value is YScalar s:
                            subject = ParseScalar(s, file, diagnostics);
                            if (subject is null)
                            {
                                return null;
                            }

                            break;
                        case "subject":
                            break;
                        case "fields":
                            if (CompileFields(value, file, diagnostics) is not { } compiledFields)
                            {
                                return null;
                            }

                            fields = compiledFields;
                            break;
                        default:
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Below(key.Location), DiagnosticCodes.Template,
                                $"unknown front matter key '{key.Value}' (templates know 'subject', 'format' and 'fields')"));
                            return null;
                    }
                }
            }
        }

        var parsed = Parse(body, file, bodyLine, 1, diagnostics);
        return parsed is null ? null : new Compiled(file, subject, parsed, isHtml, fields);
    }

    // The front matter's lines are counted from its first line, below the opening '---'.
    private static SourceLocation Below(SourceLocation location) => location with { Line = location.Line + 1 };

    private static IFluidTemplate? ParseScalar(YScalar scalar, string file, List<Diagnostic> diagnostics)
    {
        var at = scalar.Locate(0);
        return Parse(scalar.Value, file, at.Line + 1, at.Column, diagnostics);
    }

    /// <summary><c>fields:</c> is a mapping of names to scalars, each a Liquid template; anything else is an error.</summary>
    private static (string Name, IFluidTemplate Value)[]? CompileFields(YNode node, string file, List<Diagnostic> diagnostics)
    {
        if (node is not YMapping map)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Below(node.Location), DiagnosticCodes.Template,
                "front matter 'fields' must be a mapping of names to text (for example 'templateCode: SMS_1234')"));
            return null;
        }

        var fields = new List<(string, IFluidTemplate)>();
        foreach (var (key, value) in map.Entries)
        {
            if (value is not YScalar scalar)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Below(value.Location), DiagnosticCodes.Template,
                    $"front matter field '{key.Value}' must be text, not a list or a mapping"));
                return null;
            }

            if (ParseScalar(scalar, file, diagnostics) is not { } template)
            {
                return null;
            }

            fields.Add((key.Value, template));
        }

        return [.. fields];
    }

    private static IFluidTemplate? Parse(string source, string file, int line, int column, List<Diagnostic> diagnostics)
    {
        if (Parser.TryParse(source, out var template, out var error))
        {
            return TemplateBudget.Bound(template);
        }

        var first = error.Split('\n', 2)[0].Trim();
        var match = Position().Match(first);
        var location = new SourceLocation(file, line, column);
        if (match.Success)
        {
            var (l, c) = (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            location = l == 1 ? location with { Column = column + c - 1 } : location with { Line = line + l - 1, Column = c };
            first = first[..match.Index].TrimEnd();
        }

        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, location, DiagnosticCodes.Template, $"template syntax error: {first}"));
        return null;
    }

    [GeneratedRegex(@"at \((\d+):(\d+)\)\s*$")]
    private static partial Regex Position();

    /// <summary>Renders a template for a channel (its variant if there is one), within <paramref name="limits"/>, at the
    /// engine's time <paramref name="now"/> (what Liquid's <c>'now'</c> reads). Throws on a render failure or a render
    /// over budget; the caller records it as a failed send. The subject comes from the front matter, when the template has
    /// one, and is always plain text, as are the front matter's fields; the body is HTML-encoded when the template's format is html.</summary>
    public RenderedTemplate? Render(string name, string channel, IReadOnlyDictionary<string, object?> customer,
        IReadOnlyDictionary<string, object?> eventValues, IReadOnlyDictionary<string, object?> journey, TemplateLimits limits, DateTimeOffset now,
        IReadOnlyDictionary<string, object?>? entry = null)
    {
        if (Find(name, channel) is not { } compiled)
        {
            return null;
        }

        var context = new TemplateBudget.Context(Options, limits, now);
        context.SetValue("customer", customer);
        context.SetValue("event", eventValues);
        context.SetValue("journey", journey);
        if (entry is not null)
        {
            context.SetValue("entry", entry);
        }

        using var writer = new TemplateBudget.BoundedWriter(limits.MaxOutputLength);
        return Render(compiled, context, writer);
    }

    /// <summary>The options every render uses (the budget's filters; dictionaries of plain values).</summary>
    internal static TemplateOptions RenderOptions => Options;

    /// <summary>The template for a channel: its variant if there is one, else the plain one; null when neither exists.</summary>
    internal Compiled? Find(string name, string channel) =>
        _templates.TryGetValue((name, channel), out var compiled) || _templates.TryGetValue((name, null), out compiled) ? compiled : null;

    /// <summary>Renders the subject, body and fields of <paramref name="compiled"/> in one context (what the subject
    /// assigns the body sees, and one step budget covers all), each output through <paramref name="writer"/>.</summary>
    internal static RenderedTemplate Render(Compiled compiled, TemplateBudget.Context context, TemplateBudget.BoundedWriter writer)
    {
        var subject = compiled.Subject is null ? null : RenderOne(compiled.Subject, context, NullEncoder.Default, writer);
        var body = RenderOne(compiled.Body, context, compiled.IsHtml ? HtmlEncoder.Default : NullEncoder.Default, writer);
        IReadOnlyDictionary<string, string> fields = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
        if (compiled.Fields.Length > 0)
        {
            var rendered = new Dictionary<string, string>(compiled.Fields.Length, StringComparer.Ordinal);
            foreach (var (field, value) in compiled.Fields)
            {
                rendered[field] = RenderOne(value, context, NullEncoder.Default, writer);
            }

            fields = rendered;
        }

        return new RenderedTemplate(subject, body, compiled.IsHtml, fields);
    }

    private static string RenderOne(IFluidTemplate template, TemplateBudget.Context context, TextEncoder encoder, TemplateBudget.BoundedWriter writer)
    {
        writer.Reset(context.Limits.MaxOutputLength);
        try
        {
            var rendering = template.RenderAsync(writer, encoder, context);
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult(); // nothing a template reads is asynchronous: a failure, thrown here
            }
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The maximum ", StringComparison.Ordinal))
        {
            throw TemplateBudget.StepLimit(context.Limits.MaxSteps);
        }

        return writer.ToString();
    }
}
