using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Journeys.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
