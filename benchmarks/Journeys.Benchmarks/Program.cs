using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- --filter '*'
if (args is ["probe", "sends"])
{
    Journeys.Benchmarks.SendProbe.Run();
    return 0;
}

if (args is ["probe", "simulate"])
{
    Journeys.Benchmarks.SimulateProbe.Run();
    return 0;
}

if (args is ["probe", "store"])
{
    Journeys.Benchmarks.StoreProbe.Run();
    return 0;
}

if (args is ["probe", ..])
{
    Journeys.Benchmarks.Probe.Run(args.Length > 1 ? args[1] : null);
    return 0;
}

if (args is ["ci", ..])
{
    return Journeys.Benchmarks.CiJob.Run(args.Length > 1 ? args[1] : "artifacts/benchmarks");
}

if (args is ["cluster", ..])
{
    return Journeys.Benchmarks.ClusterJob.Run(args.Length > 1 ? args[1] : "artifacts/benchmarks");
}

if (args is ["users", ..])
{
    return Journeys.Benchmarks.UserJob.Run(args.Length > 1 ? args[1] : "artifacts/benchmarks", args.Skip(2).ToList());
}

BenchmarkSwitcher.FromAssembly(typeof(Journeys.Benchmarks.CiJob).Assembly).Run(args);
return 0;
