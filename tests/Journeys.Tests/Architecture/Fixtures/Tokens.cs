// A cycle made only by a typeof (ldtoken) one way and a generic method argument (Array.Empty<T>) the other.
namespace Journeys.Tests.Architecture.Fixtures.Tokens.A
{
    public static class User
    {
        public static string Name() => typeof(B.Marker).Name;
    }

    public sealed class Marker;
}

namespace Journeys.Tests.Architecture.Fixtures.Tokens.B
{
    public static class User
    {
        public static int Count() => Array.Empty<A.Marker>().Length;
    }

    public sealed class Marker;
}
