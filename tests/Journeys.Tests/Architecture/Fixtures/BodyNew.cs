// A cycle made only by `new` in method bodies: no signature, field or attribute names the other namespace.
namespace Journeys.Tests.Architecture.Fixtures.BodyNew.A
{
    public sealed class Source
    {
        public static void Make() => _ = new B.Target();
    }

    public sealed class Target;
}

namespace Journeys.Tests.Architecture.Fixtures.BodyNew.B
{
    public sealed class Source
    {
        public static void Make() => _ = new A.Target();
    }

    public sealed class Target;
}
