// A cycle made only by static calls in method bodies.
namespace Journeys.Tests.Architecture.Fixtures.StaticCall.A
{
    public static class Caller
    {
        public static void Call() => B.Helper.Touch();
    }

    public static class Helper
    {
        public static void Touch()
        {
        }
    }
}

namespace Journeys.Tests.Architecture.Fixtures.StaticCall.B
{
    public static class Caller
    {
        public static void Call() => A.Helper.Touch();
    }

    public static class Helper
    {
        public static void Touch()
        {
        }
    }
}
