using Journeys.Decisions;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Testing;

/// <summary>The store contract for journey versions: deploying version 2 while customers are inside version 1 follows the
/// new version's <c>versioning</c> rule, and the store keeps the versions customers still finish on.</summary>
public abstract partial class StoreContractTests<TStore>
    where TStore : class, IJourneyStore
{
    // Version 2 of Nurture: a new first step, 'guide' waits 10 days and leads to a survey, 'consult' is gone.
    private static string NurtureV2(string versioning) => $"""
        journey: nurture
        version: 2
        versioning: {versioning}
        entry: {"{"} on: signed_up {"}"}
        reentry: always
        start: welcome
        steps:
          welcome:
            send: {"{"} channel: push, template: nurture/welcome {"}"}
            then: [ {"{"} after: 1d, goto: guide {"}"} ]
          guide:
            then: [ {"{"} after: 10d, goto: survey {"}"} ]
          survey:
            send: {"{"} channel: email, template: nurture/survey {"}"}
        """;

    private static JourneyCatalog Catalog(string yaml) => JourneyLoader.LoadYaml(("nurture.yaml", yaml)).ThrowIfInvalid();

    private static List<(DecisionKind Kind, int Version, string Step, DateTimeOffset At)> Of(Run run, string customer) =>
        run.Decisions.Where(d => d.CustomerId == customer).OrderBy(d => d.Timestamp)
            .Select(d => (d.Kind, d.Version, d.Step, d.Timestamp)).ToList();

    private IReadOnlyList<JourneyVersionSource> StoredVersions() =>
        WithStoreAsync(store => store.LoadJourneyVersionsAsync(CancellationToken.None).AsTask()).GetAwaiter().GetResult();

    private void StoreVersions(params JourneyVersionSource[] versions) => WithStoreAsync(async store =>
    {
        await store.SaveJourneyVersionsAsync(versions, CancellationToken.None);
        return versions.Length;
    }).GetAwaiter().GetResult();

    /// <summary>c1 enters version 1 at T0; engine stopped at T0 + 1h.</summary>
    private async Task<FakeTimeProvider> CustomerInsideVersion1Async()
    {
        var time = new FakeTimeProvider(T0);
        await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "signed_up", T0)).AsTask());
        time.Advance(TimeSpan.FromHours(1));
        return time;
    }

    /// <summary>After an engine ran, the store holds each journey version it ran, with its source text.</summary>
    [Fact]
    public async Task Store_AfterAnEngineRan_KeepsEachJourneyVersionWithItsSource()
    {
        await CustomerInsideVersion1Async();

        var kept = Assert.Single(StoredVersions());
        Assert.Equal(("nurture", 1, Nurture), (kept.JourneyId, kept.Version, kept.Source));
    }

    /// <summary><c>versioning: finish</c>: a customer inside version 1 finishes on it while new customers enter version 2.</summary>
    [Fact]
    public async Task Finish_NewVersionDeployed_InFlightCustomerFinishesOnVersion1WhileNewCustomersEnterVersion2()
    {
        var time = await CustomerInsideVersion1Async();

        var run = await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c2", "signed_up"));
            time.Advance(TimeSpan.FromDays(28));
            await e.DrainAsync();
        }, Catalog(NurtureV2("finish")));

        Assert.Equal(
        [
            (DecisionKind.Moved, 1, "consult", T0.AddDays(7)),
            (DecisionKind.Sent, 1, "consult", T0.AddDays(7)),
            (DecisionKind.Completed, 1, "consult", T0.AddDays(28)),
        ], Of(run, "c1"));
        Assert.Contains(run.Messages, m => m.IdempotencyKey == "nurture:1:c1:1:consult:0");
        var c2 = Of(run, "c2");
        Assert.Equal((DecisionKind.Entered, 2, "welcome"), (c2[0].Kind, c2[0].Version, c2[0].Step));
        Assert.Contains((DecisionKind.Sent, 2, "survey", T0.AddHours(1).AddDays(11)), c2);
        Assert.Empty(run.Saved["c1"].Instances);
    }

    /// <summary><c>versioning: finish</c>: a customer inside version 1 does not enter version 2 until they leave version 1.</summary>
    [Fact]
    public async Task Finish_CustomerInsideVersion1_DoesNotEnterVersion2UntilTheyLeaveIt()
    {
        var time = await CustomerInsideVersion1Async();

        var run = await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "signed_up")); // inside version 1: not a second presence
            await e.DrainAsync();
            time.Advance(TimeSpan.FromDays(30)); // version 1 completes at T0 + 28d
            await e.PublishAsync(new CustomerEvent("c1", "signed_up"));
        }, Catalog(NurtureV2("finish")));

        var entered = Assert.Single(run.Decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal((2, T0.AddHours(1).AddDays(30)), (entered.Version, entered.Timestamp));
        Assert.Contains(run.Messages, m => m.IdempotencyKey == "nurture:2:c1:2:welcome:0");
        var memory = Assert.Single(run.Saved["c1"].Journeys);
        Assert.Equal(2, memory.Entries);
        Assert.Equal(2, Assert.Single(run.Saved["c1"].Instances).Version);
    }

    /// <summary><c>versioning: finish</c>: the store keeps version 1 while customers are inside it, and drops it once the last one left.</summary>
    [Fact]
    public async Task Finish_WhileCustomersAreInsideVersion1_StoreKeepsIt_AndDropsItOnceTheLastLeft()
    {
        var time = await CustomerInsideVersion1Async();
        var v2 = Catalog(NurtureV2("finish"));

        var stopped = await RunAsync(time, _ => Task.CompletedTask, v2);
        Assert.Equal(1, Assert.Single(stopped.Saved["c1"].Instances).Version);
        Assert.Equal([1, 2], StoredVersions().Select(v => v.Version).Order());

        time.Advance(TimeSpan.FromDays(30));
        await RunAsync(time, _ => Task.CompletedTask, v2); // c1 completes version 1 here
        Assert.Equal([1, 2], StoredVersions().Select(v => v.Version).Order());

        await RunAsync(time, _ => Task.CompletedTask, v2);
        Assert.Equal([2], StoredVersions().Select(v => v.Version));
    }

    /// <summary><c>versioning: migrate</c>: customers move to the step of the same name, its timer counted from their arrival.</summary>
    [Fact]
    public async Task Migrate_NewVersionDeployed_MovesCustomersToTheStepOfTheSameName_TimerFromTheirArrival()
    {
        var time = await CustomerInsideVersion1Async();

        var run = await RunAsync(time, _ =>
        {
            time.Advance(TimeSpan.FromDays(12));
            return Task.CompletedTask;
        }, Catalog(NurtureV2("migrate")));

        var migrated = run.Decisions.First(d => d.CustomerId == "c1");
        Assert.Equal((DecisionKind.Moved, 2, "guide", "guide", "migrated from v1", T0.AddHours(1)),
            (migrated.Kind, migrated.Version, migrated.Step, migrated.From, migrated.Reason, migrated.Timestamp));
        Assert.Equal(
        [
            (DecisionKind.Moved, 2, "guide", T0.AddHours(1)),
            (DecisionKind.Moved, 2, "survey", T0.AddDays(10)), // version 2's 10 days, from the arrival at T0
            (DecisionKind.Sent, 2, "survey", T0.AddDays(10)),
            (DecisionKind.Completed, 2, "survey", T0.AddDays(10)),
        ], Of(run, "c1"));
        Assert.Contains(run.Messages, m => m.IdempotencyKey == "nurture:2:c1:1:survey:0");
        Assert.DoesNotContain(run.Messages, m => m.Step == "guide");
    }

    /// <summary><c>versioning: migrate</c>: a customer whose step is gone exits, with that reason.</summary>
    [Fact]
    public async Task Migrate_StepGoneInNewVersion_CustomerExitsWithTheReason()
    {
        var time = new FakeTimeProvider(T0);
        await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
            time.Advance(TimeSpan.FromDays(8)); // c1 is at 'consult'
        });

        var run = await RunAsync(time, _ => Task.CompletedTask, Catalog(NurtureV2("migrate")));

        var exited = Assert.Single(run.Decisions);
        Assert.Equal((DecisionKind.Exited, 1, "consult", "version 2 has no step 'consult'", T0.AddDays(8)),
            (exited.Kind, exited.Version, exited.Step, exited.Reason, exited.Timestamp));
        Assert.Empty(run.Saved["c1"].Instances);
        Assert.Equal([2], StoredVersions().Select(v => v.Version));
    }

    /// <summary><c>versioning: migrate</c>: a moved customer is saved on the new version.</summary>
    [Fact]
    public async Task Migrate_MovedCustomer_IsSavedOnTheNewVersion()
    {
        var time = await CustomerInsideVersion1Async();

        var run = await RunAsync(time, _ => Task.CompletedTask, Catalog(NurtureV2("migrate")));

        var instance = Assert.Single(run.Saved["c1"].Instances);
        Assert.Equal((2, "guide", T0, 1), (instance.Version, instance.Step, instance.ArrivedAt, instance.Sequence));
    }

    /// <summary>A lower version than the store ran is refused at start, naming the journey; the stored versions stay.</summary>
    [Fact]
    public async Task Deploy_LowerVersionThanTheStoreRan_RefusesToStartNamingTheJourney()
    {
        var time = await CustomerInsideVersion1Async();
        await RunAsync(time, _ => Task.CompletedTask, Catalog(NurtureV2("finish")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(time, _ => Task.CompletedTask));

        Assert.Contains("Journey 'nurture' is version 1 in the folder, but the store has run version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], StoredVersions().Select(v => v.Version).Order());
    }

    /// <summary>The same version with changed text moves customers to the new text, which the store then keeps.</summary>
    [Fact]
    public async Task Deploy_SameVersionWithChangedText_MovesCustomersToTheNewText()
    {
        var time = await CustomerInsideVersion1Async();
        var edited = Nurture.Replace("after: 7d, goto: consult", "after: 3d, goto: consult", StringComparison.Ordinal);

        var run = await RunAsync(time, _ =>
        {
            time.Advance(TimeSpan.FromDays(3));
            return Task.CompletedTask;
        }, Catalog(edited));

        Assert.Equal(
        [
            (DecisionKind.Moved, 1, "guide", T0.AddHours(1)),
            (DecisionKind.Moved, 1, "consult", T0.AddDays(3)),
            (DecisionKind.Sent, 1, "consult", T0.AddDays(3)),
        ], Of(run, "c1"));
        Assert.Equal("version 1 changed", run.Decisions.First().Reason);
        Assert.Equal(edited, Assert.Single(StoredVersions()).Source);
    }

    /// <summary><c>versioning: finish</c> on a store without the old version's source moves customers as <c>migrate</c> would.</summary>
    [Fact]
    public async Task Finish_StoreWithoutTheOldVersionsSource_MovesCustomersAsMigrateWould()
    {
        var time = await CustomerInsideVersion1Async();
        StoreVersions(); // as a store written before versions were kept

        var run = await RunAsync(time, _ => Task.CompletedTask, Catalog(NurtureV2("finish")));

        var moved = Assert.Single(run.Decisions);
        Assert.Equal((DecisionKind.Moved, 2, "guide", "migrated from v1"), (moved.Kind, moved.Version, moved.Step, moved.Reason));
    }

    /// <summary><see cref="IJourneyStore.SaveJourneyVersionsAsync"/> replaces the stored set, which survives reopening.</summary>
    [Fact]
    public void SaveJourneyVersions_ReplacesTheStoredSet_AndSurvivesReopening()
    {
        StoreVersions(new("a", 1, "journey: a"), new("a", 2, "journey: a\nversion: 2"));
        StoreVersions(new("b", 1, "journey: b"), new("a", 2, "journey: a\nversion: 2"));

        Assert.Equal(
            [new JourneyVersionSource("a", 2, "journey: a\nversion: 2"), new JourneyVersionSource("b", 1, "journey: b")],
            StoredVersions().OrderBy(v => v.JourneyId, StringComparer.Ordinal));
    }

    /// <summary><c>versioning: finish</c>: a customer inside version 1 leaves by version 1's exit rule.</summary>
    [Fact]
    public async Task Finish_CustomerInsideVersion1_LeavesByVersion1sExitRule()
    {
        var time = await CustomerInsideVersion1Async();

        var run = await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "unsubscribed")).AsTask(), Catalog(NurtureV2("finish")));

        var exited = Assert.Single(run.Decisions);
        Assert.Equal((DecisionKind.Exited, 1, "guide"), (exited.Kind, exited.Version, exited.Step));
    }

    /// <summary>A stored old version that no longer compiles is refused at start, naming it.</summary>
    [Fact]
    public async Task Finish_StoredOldVersionNoLongerCompiles_RefusesToStartNamingIt()
    {
        var time = await CustomerInsideVersion1Async();
        StoreVersions(new JourneyVersionSource("nurture", 1, Nurture.Replace("goto: consult", "goto: nowhere", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<JourneyLoadException>(() => RunAsync(time, _ => Task.CompletedTask, Catalog(NurtureV2("finish"))));

        Assert.Contains(error.Diagnostics, d => d.Location.File == "store:nurture@v1" && d.Severity == DiagnosticSeverity.Error);
    }

    /// <summary><c>versioning: migrate</c>: a waiting send decided in version 1 goes out with its version 1 key and version 2's send.</summary>
    [Fact]
    public async Task Migrate_WaitingSendDecidedInVersion1_GoesOutWithItsVersion1KeyAndVersion2sSend()
    {
        const string policy = """
            policy:
              quietHours: { from: "21:00", to: "08:00" }
            """;
        static string Remind(int version, string versioning) => $$"""
            journey: remind
            version: {{version}}
            versioning: {{versioning}}
            entry: { on: poke }
            start: s
            steps:
              s:
                send: { channel: push, template: remind/v{{version}} }
                then: [ { after: 3d, goto: end } ]
            """;
        var time = new FakeTimeProvider(T0.AddHours(12)); // 22:00 UTC: quiet hours
        var first = await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "poke")).AsTask(),
            JourneyLoader.LoadYaml(("remind.yaml", Remind(1, "finish")), ("policy.yaml", policy)).ThrowIfInvalid());
        Assert.Equal("quiet-hours", Assert.Single(first.Decisions, d => d.Kind == DecisionKind.Deferred).Reason);
        time.Advance(TimeSpan.FromHours(1));

        var second = await RunAsync(time, async e =>
        {
            time.Advance(TimeSpan.FromHours(9)); // 08:00 UTC: the waiting send goes out
            await e.DrainAsync();
        }, JourneyLoader.LoadYaml(("remind.yaml", Remind(2, "migrate")), ("policy.yaml", policy)).ThrowIfInvalid());

        Assert.Equal((DecisionKind.Moved, 2, "migrated from v1"), second.Decisions.Select(d => (d.Kind, d.Version, d.Reason)).First());
        var sent = Assert.Single(second.Decisions, d => d.Kind == DecisionKind.Sent);
        var message = Assert.Single(second.Messages);
        // The send was decided (and recorded as deferred) under version 1: it keeps that decision's key and version, so
        // a receiver or a report can match it to the deferred decision; what goes out is version 2's send at the step,
        // rendered when it is released.
        Assert.Equal(("remind:1:c1:1:s:0", 1, "remind/v2"), (message.IdempotencyKey, message.JourneyVersion, message.Template));
        Assert.Equal((1, "remind/v2", T0.AddHours(22)), (sent.Version, sent.Template, sent.Timestamp));
    }
}
