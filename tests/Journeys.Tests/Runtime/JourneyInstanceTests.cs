using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>The instance packs <see cref="JourneyInstance.Converted"/> into its step's word to stay at 48 bytes: the two
/// never disturb each other.</summary>
public sealed class JourneyInstanceTests
{
    [Fact]
    public void StepAndConverted_SharingOneWord_AreIndependent()
    {
        var instance = new JourneyInstance { Version = 1, Sequence = 1, EnteredTicks = 1 };
        instance.Step = int.MaxValue;
        instance.Converted = true;
        Assert.Equal((int.MaxValue, true), (instance.Step, instance.Converted));
        instance.Step = 3;
        Assert.Equal((3, true), (instance.Step, instance.Converted));
        instance.Converted = false;
        Assert.Equal((3, false), (instance.Step, instance.Converted));
        instance.Step = 0;
        instance.Converted = true;
        instance.Converted = true;
        Assert.Equal((0, true), (instance.Step, instance.Converted));
    }

    [Fact]
    public void Instance_TakesFortyEightBytes()
    {
        var instances = new JourneyInstance[1_000];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < instances.Length; i++)
        {
            instances[i] = new JourneyInstance { Version = 1, Sequence = i, EnteredTicks = i };
        }

        Assert.Equal(48 * instances.Length, GC.GetAllocatedBytesForCurrentThread() - before);
        GC.KeepAlive(instances);
    }
}
