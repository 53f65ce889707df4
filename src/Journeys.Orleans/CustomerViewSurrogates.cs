using Journeys.Engine;

namespace Journeys.Orleans;

// Orleans carries the engine's customer view (InspectCustomerAsync through IJourneyCluster) and the report of an erase
// (ForgetAsync) through these surrogates:
// Core knows nothing of Orleans, so its records get no generated serializer of their own.

[GenerateSerializer]
internal struct CustomerViewSurrogate
{
    [Id(0)] public string Id;
    [Id(1)] public string Tier;
    [Id(2)] public string TimeZone;
    [Id(3)] public DateTimeOffset FirstSeen;
    [Id(4)] public Dictionary<string, object?> Traits; // string, double, bool, DateTimeOffset: Orleans carries each as itself
    [Id(5)] public List<CustomerRun> Runs;
    [Id(6)] public List<CustomerTimer> Timers;
    [Id(7)] public List<CustomerSend> Sends;
}

[RegisterConverter]
internal sealed class CustomerViewConverter : IConverter<CustomerView, CustomerViewSurrogate>
{
    public CustomerView ConvertFromSurrogate(in CustomerViewSurrogate surrogate) =>
        new(surrogate.Id, surrogate.Tier, surrogate.TimeZone, surrogate.FirstSeen, surrogate.Traits, surrogate.Runs, surrogate.Timers, surrogate.Sends);

    public CustomerViewSurrogate ConvertToSurrogate(in CustomerView value) => new()
    {
        Id = value.Id,
        Tier = value.Tier,
        TimeZone = value.TimeZone,
        FirstSeen = value.FirstSeen,
        Traits = new Dictionary<string, object?>(value.Traits, StringComparer.Ordinal),
        Runs = [.. value.Runs],
        Timers = [.. value.Timers],
        Sends = [.. value.Sends],
    };
}

[GenerateSerializer]
internal struct CustomerRunSurrogate
{
    [Id(0)] public string Journey;
    [Id(1)] public int Version;
    [Id(2)] public string Step;
    [Id(3)] public DateTimeOffset EnteredAt;
    [Id(4)] public DateTimeOffset ArrivedAt;
    [Id(5)] public bool Converted;
}

[RegisterConverter]
internal sealed class CustomerRunConverter : IConverter<CustomerRun, CustomerRunSurrogate>
{
    public CustomerRun ConvertFromSurrogate(in CustomerRunSurrogate s) => new(s.Journey, s.Version, s.Step, s.EnteredAt, s.ArrivedAt, s.Converted);

    public CustomerRunSurrogate ConvertToSurrogate(in CustomerRun v) => new()
    {
        Journey = v.Journey, Version = v.Version, Step = v.Step, EnteredAt = v.EnteredAt, ArrivedAt = v.ArrivedAt, Converted = v.Converted,
    };
}

[GenerateSerializer]
internal struct CustomerTimerSurrogate
{
    [Id(0)] public DateTimeOffset DueAt;
    [Id(1)] public string Journey;
    [Id(2)] public string Step;
    [Id(3)] public string What;
}

[RegisterConverter]
internal sealed class CustomerTimerConverter : IConverter<CustomerTimer, CustomerTimerSurrogate>
{
    public CustomerTimer ConvertFromSurrogate(in CustomerTimerSurrogate s) => new(s.DueAt, s.Journey, s.Step, s.What);

    public CustomerTimerSurrogate ConvertToSurrogate(in CustomerTimer v) => new() { DueAt = v.DueAt, Journey = v.Journey, Step = v.Step, What = v.What };
}

[GenerateSerializer]
internal struct CustomerSendSurrogate
{
    [Id(0)] public DateTimeOffset At;
    [Id(1)] public string Channel;
    [Id(2)] public string Journey;
}

[RegisterConverter]
internal sealed class CustomerSendConverter : IConverter<CustomerSend, CustomerSendSurrogate>
{
    public CustomerSend ConvertFromSurrogate(in CustomerSendSurrogate s) => new(s.At, s.Channel, s.Journey);

    public CustomerSendSurrogate ConvertToSurrogate(in CustomerSend v) => new() { At = v.At, Channel = v.Channel, Journey = v.Journey };
}

[GenerateSerializer]
internal struct ForgetResultSurrogate
{
    [Id(0)] public string CustomerId;
    [Id(1)] public bool Found;
    [Id(2)] public List<string> RunsEnded;
    [Id(3)] public List<string> CancelledMessages;
}

[RegisterConverter]
internal sealed class ForgetResultConverter : IConverter<ForgetResult, ForgetResultSurrogate>
{
    public ForgetResult ConvertFromSurrogate(in ForgetResultSurrogate s) => new(s.CustomerId, s.Found, s.RunsEnded, s.CancelledMessages);

    public ForgetResultSurrogate ConvertToSurrogate(in ForgetResult v) => new()
    {
        CustomerId = v.CustomerId, Found = v.Found, RunsEnded = [.. v.RunsEnded], CancelledMessages = [.. v.CancelledMessages],
    };
}
