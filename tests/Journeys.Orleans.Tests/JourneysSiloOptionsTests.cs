using Journeys.Language.Loading;
using Orleans.Runtime;

namespace Journeys.Orleans.Tests;

public sealed class JourneysSiloOptionsTests
{
    [Fact]
    public void Validate_EveryWrongSetting_NamedInOneMessage()
    {
        var options = new JourneysSiloOptions { ShardCount = 1000, StorageName = " ", ReminderSyncPeriod = TimeSpan.FromSeconds(5), FoldThreshold = 0,
            ReminderGranularity = TimeSpan.FromMilliseconds(500) };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Catalog is required", error.Message);
        Assert.Contains("ShardCount must be a power of two", error.Message);
        Assert.Contains("1000", error.Message);
        Assert.Contains("StorageName", error.Message);
        Assert.Contains("ReminderSyncPeriod", error.Message);
        Assert.Contains("FoldThreshold", error.Message);
        Assert.Contains("ReminderGranularity must be at least one second", error.Message);
    }

    [Fact]
    public void Validate_CatalogWithErrors_Refused()
    {
        var catalog = JourneyLoader.LoadYaml(("bad.yaml", "journey: bad\nstart: nowhere\nsteps: {}\n"));
        Assert.True(catalog.HasErrors);

        var error = Assert.Throws<InvalidOperationException>(new JourneysSiloOptions { Catalog = catalog }.Validate);

        Assert.Contains("Catalog has errors", error.Message);
    }

    [Fact]
    public void Validate_Defaults_WithACatalog_Accepted()
    {
        var options = new JourneysSiloOptions { Catalog = Catalogs.Sample };

        options.Validate();

        Assert.Equal(1024, options.ShardCount);
        Assert.Equal("journeys", options.StorageName);
        Assert.Null(options.DecisionStreamProvider); // no stream unless asked for
        Assert.Equal("journeys-decisions", options.DecisionStreamNamespace);
    }

    [Theory]
    [InlineData(" ", "journeys-decisions")]
    [InlineData("streams", " ")]
    public void Validate_DecisionStreamWithoutProviderOrNamespace_Refused(string provider, string streamNamespace)
    {
        var options = new JourneysSiloOptions { Catalog = Catalogs.Sample, DecisionStreamProvider = provider, DecisionStreamNamespace = streamNamespace };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("DecisionStreamProvider", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Router_ShardCountNotAPowerOfTwo_Refused(int shards)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JourneyCluster(new NoGrains(), shards));
    }

    [Fact]
    public void Router_ShardOf_IsTheEnginesPartitionOfTheCustomer()
    {
        var router = new JourneyCluster(new NoGrains(), 1024);

        foreach (var id in new[] { "c1", "c2", "customer-42", "李" })
        {
            Assert.Equal(Journeys.Engine.CustomerPartitions.PartitionOf(id, 1024), router.ShardOf(id));
        }
    }

    private sealed class NoGrains : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw new NotSupportedException();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey => throw new NotSupportedException();
        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey => throw new NotSupportedException();
        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw new NotSupportedException();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw new NotSupportedException();
        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();
        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw new NotSupportedException();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw new NotSupportedException();
        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();
        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw new NotSupportedException();
        public IAddressable GetGrain(GrainId grainId) => throw new NotSupportedException();
        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();
        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw new NotSupportedException();
        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => throw new NotSupportedException();
    }
}
