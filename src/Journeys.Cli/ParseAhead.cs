using System.Collections.Concurrent;

namespace Journeys.Cli;

/// <summary>Reads a sequence ahead on another thread, in batches, when the machine has a core to spare: parsing the next
/// lines while the run applies the ones before. At most a few batches are held; stopping early stops the reader.</summary>
internal static class ParseAhead
{
    private const int Batch = 2048;
    private const int Batches = 8;

    public static IEnumerable<T> Of<T>(IEnumerable<T> source) =>
        Environment.ProcessorCount > 1 ? Ahead(source) : source;

    private static IEnumerable<T> Ahead<T>(IEnumerable<T> source)
    {
        using var queue = new BlockingCollection<T[]>(Batches);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                var batch = new List<T>(Batch);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count == Batch)
                    {
                        queue.Add(batch.ToArray(), stop.Token);
                        batch.Clear();
                    }
                }

                if (batch.Count > 0)
                {
                    queue.Add(batch.ToArray(), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the run stopped reading
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            stop.Cancel();
            reader.Wait();
        }
    }
}
