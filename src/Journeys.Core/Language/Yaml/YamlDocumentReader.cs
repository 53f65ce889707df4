using Journeys.Diagnostics;
using Journeys.Files;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Journeys.Language.Yaml;

/// <summary>Reads one YAML file into a <see cref="YNode"/> tree, defensively: files over <see cref="MaxFileBytes"/> are
/// refused unread, nesting and alias expansion are bounded (no "billion laughs"), duplicate keys and syntax errors
/// (tabs, bad indentation) become diagnostics at their line and column. Never throws for bad input. A duplicate key is
/// reported and its value dropped, and reading goes on, so the errors after it are reported too.</summary>
internal static class YamlDocumentReader
{
    /// <summary>Journey and policy files are small; anything this big is a mistake or an attack.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    public const int MaxDepth = 64;

    /// <summary>The most nodes a document may expand to once aliases are followed.</summary>
    public const long MaxExpandedNodes = 100_000;

    public static YNode? ReadFile(string path, string displayPath, List<Diagnostic> diagnostics) => ReadFile(path, displayPath, diagnostics, out _);

    /// <summary>Reads a file (through <see cref="InputFile"/>: a regular file, at most <see cref="MaxFileBytes"/>, strict
    /// UTF-8), and gives its text (null when it could not be read).</summary>
    public static YNode? ReadFile(string path, string displayPath, List<Diagnostic> diagnostics, out string? text)
    {
        text = InputFile.ReadText(path, displayPath, MaxFileBytes, "a journey definition", diagnostics);
        return text is null ? null : Read(text, displayPath, diagnostics);
    }

    public static YNode? Read(TextReader text, string file, List<Diagnostic> diagnostics) => Read(text.ReadToEnd(), file, diagnostics);

    /// <summary>Reads a document from its text (kept to locate characters inside scalars; files are small: see MaxFileBytes).</summary>
    public static YNode? Read(string source, string file, List<Diagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(source));
        var anchors = new Dictionary<string, (YNode Node, long Size)>(StringComparer.Ordinal);
        var stack = new Stack<(YNode Node, YScalar? PendingKey, long Size, string? Anchor)>();
        var duplicates = new HashSet<YScalar>(ReferenceEqualityComparer.Instance); // keys whose value is dropped
        var unused = new Dictionary<string, SourceLocation>(StringComparer.Ordinal); // anchors no alias has used yet
        YNode? root = null;
        long rootSize = 0;
        var documents = 0;
        SourceLocation Loc(Mark m) => new(file, (int)m.Line, (int)m.Column);

        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                switch (ev)
                {
                    case DocumentStart ds when !ds.IsImplicit || documents > 0:
                        documents++;
                        if (documents > 1)
                        {
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Loc(ev.Start), DiagnosticCodes.Syntax,
                                "a file holds one YAML document; found a second one ('---')"));
                            return null;
                        }

                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case Scalar s:
                    {
                        var node = new YScalar(Loc(s.Start), s.Value, s.Style, source, (int)s.Start.Index, (int)s.End.Index);
                        if (!s.Anchor.IsEmpty)
                        {
                            unused[s.Anchor.Value] = Loc(s.Start);
                        }

                        if (!Add(node, 1, s.Anchor.IsEmpty ? null : s.Anchor.Value))
                        {
                            return null;
                        }

                        break;
                    }

                    case AnchorAlias alias:
                        unused.Remove(alias.Value.Value);
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Loc(alias.Start), DiagnosticCodes.Syntax,
                                $"alias '*{alias.Value.Value}' refers to no anchor defined before it"));
                            return null;
                        }

                        if (!Add(target.Node, target.Size, null, at: Loc(alias.Start)))
                        {
                            return null;
                        }

                        break;
                    case MappingStart ms:
                        if (!Open(new YMapping(Loc(ms.Start)), ms.Anchor.IsEmpty ? null : ms.Anchor.Value))
                        {
                            return null;
                        }

                        break;
                    case SequenceStart ss:
                        if (!Open(new YSequence(Loc(ss.Start)), ss.Anchor.IsEmpty ? null : ss.Anchor.Value))
                        {
                            return null;
                        }

                        break;
                    case MappingEnd:
                    case SequenceEnd:
                    {
                        var (node, _, size, anchor) = stack.Pop();
                        if (anchor is not null)
                        {
                            anchors[anchor] = (node, size);
                        }

                        if (!Add(node, size, null, alreadyCounted: true))
                        {
                            return null;
                        }

                        break;
                    }
                }
            }
        }
        catch (YamlException ex)
        {
            // YamlDotNet throws some errors (a tab as indentation) without a position: find the tab after the last event.
            var at = ex.Start.Index == 0 && ex.End.Index == 0 && parser.Current is { } last
                ? TabAfter(source, file, last.End) ?? Loc(last.End)
                : Loc(ex.Start);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.Syntax, "YAML syntax error: " + Clean(ex)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, not with a YamlException, on some flow collections left open
            // (`entry: { on: go` and a new line): name the innermost '{' or '[' still open, else where reading stopped.
            var open = stack.Select(e => e.Node.Location).Cast<SourceLocation?>()
                .FirstOrDefault(l => CharAt(source, l!.Value) is '{' or '[');
            diagnostics.Add(open is { } at
                ? new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.Syntax,
                    $"YAML syntax error: the '{CharAt(source, at)}' opened here is not closed (or what follows it is malformed)")
                : new Diagnostic(DiagnosticSeverity.Error, parser.Current is { } last ? Loc(last.End) : new SourceLocation(file, 1, 1),
                    DiagnosticCodes.Syntax, "YAML syntax error: the file cannot be read on from here"));
            return null;
        }

        // An anchor on a value that no alias uses does nothing, except when it was meant as text: 'if: && true' is the
        // value 'true' anchored as '&'. Refused, so an unquoted expression cannot lose its start silently.
        foreach (var (name, at) in unused.OrderBy(u => u.Value.Line).ThenBy(u => u.Value.Column))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.Syntax,
                $"the value is anchored as '&{name}', which no alias uses: a value that starts with '&' must be quoted"));
        }

        if (unused.Count > 0)
        {
            return null;
        }

        if (root is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(file, 1, 1), DiagnosticCodes.MissingKey,
                "the file is empty: a journey file needs the top-level key 'journey:' (policy.yaml: 'policy:')"));
        }

        return root;

        bool Open(YNode node, string? anchor)
        {
            if (stack.Count >= MaxDepth)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, node.Location, DiagnosticCodes.TooLarge,
                    $"nesting is deeper than {MaxDepth} levels"));
                return false;
            }

            stack.Push((node, null, 1, anchor));
            return true;
        }

        // Adds a finished node to its parent; sizes count nodes after alias expansion, so a bomb is caught early.
        bool Add(YNode node, long size, string? anchor, bool alreadyCounted = false, SourceLocation? at = null)
        {
            if (anchor is not null)
            {
                anchors[anchor] = (node, size);
            }

            if (stack.Count == 0)
            {
                root = node;
                rootSize = size;
                return true;
            }

            var (parent, pendingKey, parentSize, parentAnchor) = stack.Pop();
            parentSize += size;
            if (parentSize > MaxExpandedNodes)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at ?? node.Location, DiagnosticCodes.TooLarge,
                    $"the document expands to more than {MaxExpandedNodes:N0} nodes (too many aliases?)"));
                return false;
            }

            switch (parent)
            {
                case YSequence seq:
                    seq.Items.Add(node);
                    stack.Push((parent, null, parentSize, parentAnchor));
                    return true;
                case YMapping map when pendingKey is null:
                    if (node is not YScalar key)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, node.Location, DiagnosticCodes.Syntax,
                            "a key must be a plain name, not a list or a mapping"));
                        return false;
                    }

                    foreach (var e in map.Entries)
                    {
                        if (e.Key.Value == key.Value)
                        {
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, key.Location, DiagnosticCodes.Syntax,
                                $"duplicate key '{key.Value}' (first at line {e.Key.Location.Line})"));
                            duplicates.Add(key); // read on: the first value stays, this one is dropped
                            break;
                        }
                    }

                    stack.Push((parent, key, parentSize, parentAnchor));
                    return true;
                case YMapping map:
                    if (!duplicates.Contains(pendingKey))
                    {
                        map.Entries.Add(new KeyValuePair<YScalar, YNode>(pendingKey, node));
                    }

                    stack.Push((parent, null, parentSize, parentAnchor));
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>The first tab used as indentation (only spaces or tabs before it on its line) at or after <paramref name="from"/>.</summary>
    private static SourceLocation? TabAfter(string source, string file, Mark from)
    {
        for (var i = (int)Math.Min(from.Index, source.Length); i < source.Length; i++)
        {
            if (source[i] != '\t')
            {
                continue;
            }

            var lineStart = source.AsSpan(0, i).LastIndexOf('\n') + 1;
            if (source.AsSpan(lineStart, i - lineStart).Trim(" \t").IsEmpty)
            {
                return SourceLocation.At(file, source, i);
            }
        }

        return null;
    }

    /// <summary>The character at a 1-based line and column of <paramref name="source"/>, or '\0' past its end.</summary>
    private static char CharAt(string source, SourceLocation at)
    {
        var index = 0;
        for (var line = 1; line < at.Line && index >= 0; line++)
        {
            index = source.IndexOf('\n', index);
            index = index < 0 ? -1 : index + 1;
        }

        index = index < 0 ? -1 : index + at.Column - 1;
        return index >= 0 && index < source.Length ? source[index] : '\0';
    }

    private static string Clean(YamlException ex)
    {
        var message = ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is ours to print.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        message = cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) || message.Contains("\\t", StringComparison.Ordinal))
        {
            return message + " (YAML does not allow tabs for indentation; use spaces)";
        }

        return message;
    }
}
