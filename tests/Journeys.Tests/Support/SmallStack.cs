namespace Journeys.Tests.Support;

/// <summary>Runs work on a thread with a small stack, as a host's worker thread may have, and returns its result or
/// rethrows its exception (a stack overflow cannot be caught: it ends the test process, which fails the run).</summary>
internal static class SmallStack
{
    public const int OneMegabyte = 1024 * 1024;

    public static T Run<T>(Func<T> work, int stackBytes = OneMegabyte)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }, stackBytes);
        thread.Start();
        thread.Join();
        Assert.Null(error);
        return result;
    }
}
