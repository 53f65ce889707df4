using Journeys.State;

// A cycle made only inside lambdas: each capturing lambda's body (a method of a compiler-generated closure class) calls
// into the other namespace; the methods that create the lambdas name only the closure and Func<int>.
namespace Journeys.Tests.Architecture.Fixtures.Closure.A
{
    public static class Caller
    {
        public static Func<int> Later(int seed) => () => seed + B.Helper.Value();
    }

    public static class Helper
    {
        public static int Value() => 1;
    }
}

namespace Journeys.Tests.Architecture.Fixtures.Closure.B
{
    public static class Caller
    {
        public static Func<int> Later(int seed) => () => seed + A.Helper.Value();
    }

    public static class Helper
    {
        public static int Value() => 2;
    }
}
