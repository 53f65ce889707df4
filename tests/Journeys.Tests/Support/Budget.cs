namespace Journeys.Tests.Support;

/// <summary>Runs work on its own thread and fails the test if it is not done within <see cref="Limit"/> — hostile input
/// must be refused fast, not merely eventually. The work keeps running in the background if it overruns (its thread
/// does not hold the test run open).</summary>
internal static class Budget
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public static T Within<T>(Func<T> work)
    {
        using var cancel = new CancellationTokenSource(Limit);
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            task.Wait(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"did not finish within {Limit.TotalSeconds:0.#} s");
        }

        return task.Result;
    }
}
