namespace Journeys.State;

/// <summary>Per customer: rule results known for their current traits, forgotten (<see cref="Clear"/>) whenever the
/// traits change. Held inline in the customer's state (a mutable struct: use it through its field, never through a
/// copy): the first 32 rules take two bits each in one word, further rules an array created when one of them is first
/// set. 16 bytes: it keeps no version of its own, since the customer clears it where traits change.</summary>
internal struct RuleMemo
{
    private const int InlineRules = 32;

    private ulong _bits;    // rules 0-31: two bits each, 0 unknown, 1 false, 2 true
    private sbyte[]? _more; // rules 32 and up, the same codes

    /// <summary>Forgets every result (the traits they were for changed).</summary>
    public void Clear()
    {
        _bits = 0;
        if (_more is not null)
        {
            Array.Clear(_more);
        }
    }

    public readonly bool TryGet(int index, out bool value)
    {
        var code = index < InlineRules ? (int)((_bits >> (2 * index)) & 3) : _more is null ? 0 : _more[index - InlineRules];
        value = code == 2;
        return code != 0;
    }

    /// <param name="index">The rule's index.</param>
    /// <param name="value">Its result.</param>
    /// <param name="ruleCount">How many rules there are (sizes the array for rules beyond the inline ones).</param>
    public void Set(int index, bool value, int ruleCount)
    {
        var code = value ? 2 : 1;
        if (index < InlineRules)
        {
            _bits = (_bits & ~(3UL << (2 * index))) | ((ulong)code << (2 * index));
            return;
        }

        (_more ??= new sbyte[ruleCount - InlineRules])[index - InlineRules] = (sbyte)code;
    }
}
