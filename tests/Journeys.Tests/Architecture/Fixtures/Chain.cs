// A one-way chain, First → Second → Third, by a field and by calls: no cycle.
namespace Journeys.Tests.Architecture.Fixtures.Chain.First
{
    public sealed class Top
    {
        public Second.Middle? Middle;

        public static int Depth() => Second.Middle.Depth() + 1;
    }
}

namespace Journeys.Tests.Architecture.Fixtures.Chain.Second
{
    public sealed class Middle
    {
        public static int Depth() => Third.Bottom.Depth() + 1;
    }
}

namespace Journeys.Tests.Architecture.Fixtures.Chain.Third
{
    public sealed class Bottom
    {
        public static int Depth() => 1;
    }
}
