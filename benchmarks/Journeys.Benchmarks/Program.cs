using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- --filter '*'
if (args is ["probe", ..])
{
    Journeys.Benchmarks.Probe.Run(args.Length > 1 ? args[1] : null);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
