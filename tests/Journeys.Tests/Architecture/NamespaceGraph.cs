using System.Reflection;
using System.Reflection.Emit;

namespace Journeys.Tests.Architecture;

/// <summary>One namespace's references to another: each distinct reference as "site [kind] → type", sorted.</summary>
internal sealed record NamespaceEdge(string From, string To, IReadOnlyList<string> References)
{
    public const string Arrow = " → ";

    /// <summary>The reference a message shows first (see <see cref="Examples"/>).</summary>
    public string Example => Examples(1)[0];

    /// <summary>The types of <see cref="To"/> referenced, each with how many references name it, most named first.</summary>
    public IReadOnlyList<(string Type, int Count)> Targets =>
        References.GroupBy(TargetOf, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(t => t.Item2)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>Up to <paramref name="count"/> references: those from hand-written members before those from
    /// compiler-generated ones, one per referenced type before a second for any.</summary>
    public IReadOnlyList<string> Examples(int count)
    {
        var ordered = References
            .OrderBy(r => r[..r.LastIndexOf(Arrow, StringComparison.Ordinal)].Contains('<', StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var picked = ordered.Where(r => targets.Add(TargetOf(r))).Take(count).ToList();
        picked.AddRange(ordered.Except(picked).Take(count - picked.Count));
        return picked;
    }

    private static string TargetOf(string reference) => reference[(reference.LastIndexOf(Arrow, StringComparison.Ordinal) + Arrow.Length)..];
}

/// <summary>Which namespaces of one assembly (those under a prefix) reference which, read from the compiled types:
/// base types, interfaces, generic arguments and constraints, fields, properties, events, method and constructor
/// signatures, custom attributes (with their <c>typeof</c> arguments), and method bodies (locals, catch clauses, and the
/// types, methods and fields the IL names, with their declaring types and generic arguments). Nested and
/// compiler-generated types (closures, lambdas, async and iterator state machines) count for the namespace of their
/// outermost declaring type. Only types of the same assembly count; references within one namespace are no edge.</summary>
internal sealed class NamespaceGraph
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private readonly Assembly _assembly;
    private readonly string _prefix;
    private readonly SortedSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string From, string To), SortedSet<string>> _edges = new(EdgeOrder.Instance);

    private NamespaceGraph(Assembly assembly, string prefix)
    {
        _assembly = assembly;
        _prefix = prefix;
    }

    /// <summary>The namespaces under the prefix that hold at least one type, sorted.</summary>
    public IReadOnlyCollection<string> Namespaces => _namespaces;

    /// <summary>Every edge, sorted by its two namespaces.</summary>
    public IReadOnlyList<NamespaceEdge> Edges =>
        _edges.Select(e => new NamespaceEdge(e.Key.From, e.Key.To, [.. e.Value])).ToList();

    /// <summary>Tokens in IL that did not resolve (skipped).</summary>
    public int UnresolvedTokens { get; private set; }

    public string Prefix => _prefix;

    public string AssemblyName => _assembly.GetName().Name ?? _assembly.FullName ?? "?";

    public static NamespaceGraph Build(Assembly assembly, string namespacePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(namespacePrefix);

        var graph = new NamespaceGraph(assembly, namespacePrefix);
        foreach (var type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (graph.NamespaceOf(type) is { } ns)
            {
                graph._namespaces.Add(ns);
                graph.ReadType(type, ns);
            }
        }

        return graph;
    }

    public bool HasEdge(string from, string to) => _edges.ContainsKey((from, to));

    public IEnumerable<string> Successors(string from) =>
        _edges.Keys.Where(k => string.Equals(k.From, from, StringComparison.Ordinal)).Select(k => k.To);

    public IReadOnlyList<string> References(string from, string to) =>
        _edges.TryGetValue((from, to), out var references) ? [.. references] : [];

    /// <summary>The namespace a type counts for: its outermost declaring type's, if under the prefix.</summary>
    private string? NamespaceOf(Type type)
    {
        var outer = type;
        while (outer.IsNested && outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        var ns = outer.Namespace;
        return ns is not null
            && (string.Equals(ns, _prefix, StringComparison.Ordinal) || ns.StartsWith(_prefix + ".", StringComparison.Ordinal))
            ? ns
            : null;
    }

    private static string Name(Type type) => type.FullName ?? $"{type.Namespace}.{type.Name}";

    private void ReadType(Type type, string ns)
    {
        var name = Name(type);
        Site Here(string member, string kind) => new(ns, member.Length == 0 ? $"{name} [{kind}]" : $"{name}.{member} [{kind}]");

        Reference(type.BaseType, Here("", "base type"));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        foreach (var contract in type.GetInterfaces().Except(inherited))
        {
            Reference(contract, Here("", "interface"));
        }

        if (type.IsGenericTypeDefinition)
        {
            GenericParameters(type.GetGenericArguments(), Here("", "generic constraint"));
        }

        Attributes(type.GetCustomAttributesData(), Here("", "attribute"));

        foreach (var field in type.GetFields(Declared))
        {
            Reference(field.FieldType, Here(field.Name, "field"));
            Attributes(field.GetCustomAttributesData(), Here(field.Name, "attribute"));
        }

        foreach (var property in type.GetProperties(Declared))
        {
            var site = Here(property.Name, "property");
            Reference(property.PropertyType, site);
            foreach (var index in property.GetIndexParameters())
            {
                Reference(index.ParameterType, site);
            }

            Attributes(property.GetCustomAttributesData(), Here(property.Name, "attribute"));
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            Reference(@event.EventHandlerType, Here(@event.Name, "event"));
            Attributes(@event.GetCustomAttributesData(), Here(@event.Name, "attribute"));
        }

        var methods = new List<MethodBase>(type.GetConstructors(Declared));
        if (type.TypeInitializer is { } initializer && !methods.Contains(initializer))
        {
            methods.Add(initializer);
        }

        methods.AddRange(type.GetMethods(Declared));
        foreach (var method in methods)
        {
            ReadMethod(type, method, Here(method.Name, "signature"), Here(method.Name, "attribute"), Here(method.Name, "body"));
        }
    }

    private void ReadMethod(Type type, MethodBase method, Site signature, Site attributes, Site body)
    {
        Attributes(method.GetCustomAttributesData(), attributes);
        foreach (var parameter in method.GetParameters())
        {
            Reference(parameter.ParameterType, signature);
            Attributes(parameter.GetCustomAttributesData(), attributes);
        }

        Type[]? methodArguments = null;
        if (method is MethodInfo info)
        {
            Reference(info.ReturnType, signature);
            Attributes(info.ReturnParameter.GetCustomAttributesData(), attributes);
            if (info.IsGenericMethod)
            {
                methodArguments = info.GetGenericArguments();
                GenericParameters(methodArguments, signature);
            }
        }

        if (method.GetMethodBody() is not { } methodBody)
        {
            return;
        }

        foreach (var local in methodBody.LocalVariables)
        {
            Reference(local.LocalType, body);
        }

        foreach (var clause in methodBody.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                Reference(clause.CatchType, body);
            }
        }

        var il = methodBody.GetILAsByteArray();
        if (il is null)
        {
            return;
        }

        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        foreach (var (kind, token) in IlTokens.Read(il))
        {
            try
            {
                var module = method.Module;
                switch (kind)
                {
                    case OperandType.InlineType:
                        Reference(module.ResolveType(token, typeArguments, methodArguments), body);
                        break;
                    case OperandType.InlineMethod:
                        Member(module.ResolveMethod(token, typeArguments, methodArguments), body);
                        break;
                    case OperandType.InlineField:
                        Member(module.ResolveField(token, typeArguments, methodArguments), body);
                        break;
                    default:
                        Member(module.ResolveMember(token, typeArguments, methodArguments), body);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or TypeLoadException or IOException or BadImageFormatException
                or MissingMemberException or NotSupportedException)
            {
                UnresolvedTokens++;
            }
        }
    }

    private void Member(MemberInfo? member, Site site)
    {
        switch (member)
        {
            case Type type:
                Reference(type, site);
                break;
            case MethodBase method:
                Reference(method.DeclaringType, site);
                if (method is MethodInfo { IsGenericMethod: true } generic)
                {
                    foreach (var argument in generic.GetGenericArguments())
                    {
                        Reference(argument, site);
                    }
                }

                break;
            case not null:
                Reference(member.DeclaringType, site);
                break;
        }
    }

    private void GenericParameters(Type[] parameters, Site site)
    {
        foreach (var parameter in parameters.Where(p => p.IsGenericParameter))
        {
            foreach (var constraint in parameter.GetGenericParameterConstraints())
            {
                Reference(constraint, site);
            }

            Attributes(parameter.GetCustomAttributesData(), site);
        }
    }

    private void Attributes(IList<CustomAttributeData> attributes, Site site)
    {
        foreach (var attribute in attributes)
        {
            Reference(attribute.AttributeType, site);
            foreach (var argument in attribute.ConstructorArguments)
            {
                AttributeArgument(argument, site);
            }

            foreach (var named in attribute.NamedArguments)
            {
                AttributeArgument(named.TypedValue, site);
            }
        }
    }

    private void AttributeArgument(CustomAttributeTypedArgument argument, Site site)
    {
        Reference(argument.ArgumentType, site);
        switch (argument.Value)
        {
            case Type type:
                Reference(type, site);
                break;
            case IEnumerable<CustomAttributeTypedArgument> items:
                foreach (var item in items)
                {
                    AttributeArgument(item, site);
                }

                break;
        }
    }

    /// <summary>Records that the site references a type, and through it its element type (arrays, by-refs,
    /// pointers), generic arguments and function-pointer signature.</summary>
    private void Reference(Type? type, Site site)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.HasElementType)
        {
            Reference(type.GetElementType(), site);
            return;
        }

        if (type.IsFunctionPointer)
        {
            Reference(type.GetFunctionPointerReturnType(), site);
            foreach (var parameter in type.GetFunctionPointerParameterTypes())
            {
                Reference(parameter, site);
            }

            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Reference(argument, site);
            }

            type = type.GetGenericTypeDefinition();
        }

        if (type.Assembly != _assembly || NamespaceOf(type) is not { } target || string.Equals(target, site.Namespace, StringComparison.Ordinal))
        {
            return;
        }

        if (!_edges.TryGetValue((site.Namespace, target), out var references))
        {
            references = new SortedSet<string>(StringComparer.Ordinal);
            _edges.Add((site.Namespace, target), references);
        }

        references.Add(site.Label + NamespaceEdge.Arrow + Name(type));
    }

    private readonly record struct Site(string Namespace, string Label);

    private sealed class EdgeOrder : IComparer<(string From, string To)>
    {
        public static readonly EdgeOrder Instance = new();

        public int Compare((string From, string To) x, (string From, string To) y)
        {
            var from = string.CompareOrdinal(x.From, y.From);
            return from != 0 ? from : string.CompareOrdinal(x.To, y.To);
        }
    }
}
