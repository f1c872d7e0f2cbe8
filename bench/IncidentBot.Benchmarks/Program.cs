using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IncidentBot.Benchmarks.CoreBenchmarks).Assembly).Run(args);
