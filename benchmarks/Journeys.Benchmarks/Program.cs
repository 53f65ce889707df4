using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- --filter '*'
if (args is ["probe"])
{
    Journeys.Benchmarks.Probe.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
