using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- --filter '*'
if (args is ["probe", ..])
{
    Journeys.Benchmarks.Probe.Run(args.Length > 1 ? args[1] : null);
    return 0;
}

if (args is ["ci", ..])
{
    return Journeys.Benchmarks.CiJob.Run(args.Length > 1 ? args[1] : "artifacts/benchmarks");
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
