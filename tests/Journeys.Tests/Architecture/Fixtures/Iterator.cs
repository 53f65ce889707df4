using Journeys.State;

// A cycle made only inside iterators: each yield's value comes from the other namespace, in the state machine's
// MoveNext.
namespace Journeys.Tests.Architecture.Fixtures.Iterator.A
{
    public static class Caller
    {
        public static IEnumerable<int> Values()
        {
            yield return B.Helper.Value();
        }
    }

    public static class Helper
    {
        public static int Value() => 1;
    }
}

namespace Journeys.Tests.Architecture.Fixtures.Iterator.B
{
    public static class Caller
    {
        public static IEnumerable<int> Values()
        {
            yield return A.Helper.Value();
        }
    }

    public static class Helper
    {
        public static int Value() => 2;
    }
}
