using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Journeys.Engine;

/// <summary>Which partition owns a customer: the one hash the engine routes by, public so that a host spreading customers
/// over several engines or processes (such as Journeys.Orleans' shard grains) places them exactly as the engine places
/// them over its partitions. The hash is XxHash3 (seed 0) of the id's UTF-16 code units; it is stable across processes,
/// machines and releases, since a durable layout depends on it.</summary>
public static class CustomerPartitions
{
    /// <summary>The partition, 0 to <paramref name="partitions"/> - 1, of the customer <paramref name="customerId"/>.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="partitions">How many partitions there are; 1 or more.</param>
    /// <returns>The partition's index.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitions"/> is less than 1.</exception>
    public static int PartitionOf(string customerId, int partitions)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return Of(customerId, partitions);
    }

    /// <summary><see cref="PartitionOf"/> without the checks, for the engine's per-event path.</summary>
    internal static int Of(string customerId, int partitions) =>
        (int)(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(customerId.AsSpan())) % (ulong)partitions);
}
