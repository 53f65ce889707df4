namespace Journeys.Rules;

/// <summary>Per customer: rule results known for the current version of their traits.</summary>
internal sealed class RuleMemo(int count)
{
    private readonly sbyte[] _results = new sbyte[count]; // 0 unknown, 1 false, 2 true

    public int TraitsVersion { get; private set; } = -1;

    public void Reset(int version)
    {
        Array.Clear(_results);
        TraitsVersion = version;
    }

    public bool TryGet(int index, out bool value)
    {
        value = _results[index] == 2;
        return _results[index] != 0;
    }

    public void Set(int index, bool value) => _results[index] = (sbyte)(value ? 2 : 1);
}
