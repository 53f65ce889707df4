// A cycle made only inside async methods: after the await, each state machine's MoveNext calls into the other
// namespace; the async methods themselves only start their state machines.
namespace Journeys.Tests.Architecture.Fixtures.AsyncMachine.A
{
    public static class Caller
    {
        public static async Task Run()
        {
            await Task.Yield();
            B.Helper.Touch();
        }
    }

    public static class Helper
    {
        public static void Touch()
        {
        }
    }
}

namespace Journeys.Tests.Architecture.Fixtures.AsyncMachine.B
{
    public static class Caller
    {
        public static async Task Run()
        {
            await Task.Yield();
            A.Helper.Touch();
        }
    }

    public static class Helper
    {
        public static void Touch()
        {
        }
    }
}
