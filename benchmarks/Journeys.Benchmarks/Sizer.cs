using System.Reflection;
using System.Runtime.CompilerServices;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>A rough heap-size estimate of what one customer holds, by the type of each object reached from its state
/// (objects shared between customers — the model, time zones, interned strings — are counted once per run and left out
/// when they are reached from more than one customer; the customer table, which holds resident customers' ids, is counted
/// by its owner). For `probe sizes`: where the bytes per customer go.</summary>
internal static class Sizer
{
    public static void Report(IEnumerable<CustomerState> customers)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var byType = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        var list = customers.ToList();
        var shared = new HashSet<object>(ReferenceEqualityComparer.Instance);
        // objects reachable from two different customers are shared: find them with a first pass over two customers
        var first = Reach(list[0]);
        foreach (var o in Reach(list[1]))
        {
            if (first.Contains(o))
            {
                shared.Add(o);
            }
        }

        foreach (var customer in list)
        {
            foreach (var o in Reach(customer))
            {
                if (shared.Contains(o) || !seen.Add(o))
                {
                    continue;
                }

                var name = Name(o.GetType());
                var (b, c) = byType.GetValueOrDefault(name);
                byType[name] = (b + Size(o), c + 1);
            }
        }

        var total = byType.Values.Sum(v => v.Bytes);
        Console.WriteLine($"{list.Count:N0} customers, ~{total / (double)list.Count:F0} B each (estimate, timers in the queue not included)");
        foreach (var (name, (bytes, count)) in byType.OrderByDescending(kv => kv.Value.Bytes))
        {
            Console.WriteLine($"  {bytes / (double)list.Count,7:F1} B  {count / (double)list.Count,5:F2} objects  {name}");
        }
    }

    private static HashSet<object> Reach(object root)
    {
        var reached = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var o = stack.Pop();
            if (!reached.Add(o) || o is Type || o is TimeZoneInfo || o is Delegate || o is CustomerTable || o.GetType().Namespace?.StartsWith("Journeys.Definitions", StringComparison.Ordinal) == true)
            {
                continue;
            }

            if (o is Array array)
            {
                if (!array.GetType().GetElementType()!.IsValueType)
                {
                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            stack.Push(item);
                        }
                    }
                }
                else
                {
                    foreach (var item in array)
                    {
                        PushFields(item!, stack);
                    }
                }

                continue;
            }

            PushFields(o, stack);
        }

        return reached;
    }

    private static void PushFields(object o, Stack<object> stack)
    {
        for (var t = o.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            if (t.IsPrimitive || t == typeof(string))
            {
                return;
            }

            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (f.FieldType.IsPrimitive || f.FieldType.IsPointer)
                {
                    continue;
                }

                var v = f.GetValue(o);
                if (v is null)
                {
                    continue;
                }

                if (f.FieldType.IsValueType)
                {
                    PushFields(v, stack);
                }
                else
                {
                    stack.Push(v);
                }
            }
        }
    }

    private static long Size(object o)
    {
        if (o is string s)
        {
            return Align(22 + 2L * s.Length);
        }

        if (o is Array a)
        {
            var element = a.GetType().GetElementType()!;
            var elementSize = element.IsValueType ? (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(element).Invoke(null, null)! : 8;
            return Align(24 + (long)elementSize * a.Length);
        }

        long fields = 0;
        for (var t = o.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                fields += f.FieldType.IsValueType
                    ? (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(f.FieldType).Invoke(null, null)!
                    : 8;
            }
        }

        return Math.Max(24, Align(16 + fields));
    }

    private static long Align(long n) => (n + 7) & ~7L;

    private static string Name(Type t) => t.IsGenericType && t.Name.Contains('`')
        ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(",", t.GetGenericArguments().Select(Name))}>"
        : t.IsArray ? Name(t.GetElementType()!) + "[]" : t.Name;
}
