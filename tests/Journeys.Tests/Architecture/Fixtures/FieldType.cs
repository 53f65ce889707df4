// A cycle made only by field types: no method names the other namespace.
namespace Journeys.Tests.Architecture.Fixtures.FieldType.A
{
    public sealed class Holder
    {
        public B.Target? Target;
    }

    public sealed class Target;
}

namespace Journeys.Tests.Architecture.Fixtures.FieldType.B
{
    public sealed class Holder
    {
        public A.Target[]? Targets;
    }

    public sealed class Target;
}
