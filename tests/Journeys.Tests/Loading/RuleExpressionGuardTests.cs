using System.Reflection;
using Journeys.Language.Rules;

namespace Journeys.Tests.Loading;

/// <summary>The allow-list of <see cref="RuleExpressionGuard"/> is closed: from the types a rule can reach, every allowed
/// member leads to such a type again, so no chain of allowed names gets to reflection or anything else.</summary>
public sealed class RuleExpressionGuardTests
{
    /// <summary>What traits are (numbers, strings, booleans, timestamps, missing), the customer's class, the types a rule
    /// may name, and what their allowed members give.</summary>
    private static readonly HashSet<Type> Reachable =
    [
        typeof(object), typeof(System.Linq.Dynamic.Core.DynamicClass), typeof(string), typeof(char), typeof(bool),
        typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset),
        typeof(TimeSpan), typeof(DayOfWeek), typeof(Math), typeof(void),
        // Math's overloads for the other primitive numbers: plain numbers too
        typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(uint), typeof(ulong), typeof(nint), typeof(nuint),
    ];

    [Fact]
    public void AllowedMembers_OnEveryReachableType_LeadOnlyToReachableTypes()
    {
        var receivers = Reachable.Concat(Reachable.Where(t => t.IsValueType && t != typeof(void)).Select(t => typeof(Nullable<>).MakeGenericType(t)));
        var escapes = new List<string>();
        foreach (var type in receivers)
        {
            foreach (var name in RuleExpressionGuard.Members)
            {
                foreach (var member in type.GetMember(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.IgnoreCase | BindingFlags.FlattenHierarchy))
                {
                    var result = member switch
                    {
                        PropertyInfo p => p.PropertyType,
                        FieldInfo f => f.FieldType,
                        MethodInfo m => m.ReturnType,
                        _ => null,
                    };
                    if (result is null || !Reachable.Contains(Nullable.GetUnderlyingType(result) ?? result))
                    {
                        escapes.Add($"{type.Name}.{member.Name} -> {result?.Name ?? member.MemberType.ToString()}");
                    }
                }
            }
        }

        Assert.True(escapes.Count == 0, string.Join(Environment.NewLine, escapes));
    }

    [Fact]
    public void AllowedTypeNames_AreAllReachable() =>
        Assert.All(RuleExpressionGuard.TypeNames.Values, t => Assert.Contains(t.Type, Reachable));

    [Theory]
    [InlineData("GetType")]
    [InlineData("Assembly")]
    [InlineData("Module")]
    [InlineData("Now")]
    [InlineData("UtcNow")]
    [InlineData("Today")]
    [InlineData("GetDynamicPropertyValue")]
    public void Members_LeaveOut(string name) => Assert.False(RuleExpressionGuard.Members.Contains(name), name);

    [Fact]
    public void FindRefused_InsideAStringLiteral_IsNotAName() =>
        Assert.Null(RuleExpressionGuard.FindRefused("customer.note == \"x.GetType()\"", new HashSet<string>()));

    [Fact]
    public void FindRefused_AParamCalledLikeATrait_IsRefusedAfterTheParam() =>
        Assert.Equal(("Assembly", 7), RuleExpressionGuard.FindRefused("param.Assembly", new HashSet<string> { "param" }));
}
