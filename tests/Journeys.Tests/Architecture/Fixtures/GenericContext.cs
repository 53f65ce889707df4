// A cycle made inside generic methods of generic types, whose IL tokens resolve only with the type's and the method's
// generic arguments.
namespace Journeys.Tests.Architecture.Fixtures.GenericContext.A
{
    public sealed class Box<T>
        where T : notnull
    {
        public static int Fill<TOther>() => new Dictionary<T, TOther>().Count + new B.Target<T>().Size;
    }

    public sealed class Target<T>
    {
        public int Size => 0;
    }
}

namespace Journeys.Tests.Architecture.Fixtures.GenericContext.B
{
    public sealed class Box<T>
        where T : notnull
    {
        public static int Fill<TOther>() => new List<KeyValuePair<T, TOther>>().Count + new A.Target<TOther>().Size;
    }

    public sealed class Target<T>
    {
        public int Size => 1;
    }
}
