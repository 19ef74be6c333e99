using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project bench/PaperFeed.Benchmarks -- --filter '*' [--quick]
// dotnet run -c Release --project bench/PaperFeed.Benchmarks -- search --connection "Host=…" (see SearchBench, bench/search.sh)
if (args.FirstOrDefault() == "search") return await PaperFeed.Benchmarks.SearchBench.RunAsync(args[1..]);
// dotnet run -c Release --project bench/PaperFeed.Benchmarks -- relevance --sqlite catalog.db (see RelevanceBench, bench/relevance.sh)
if (args.FirstOrDefault() == "relevance") return await PaperFeed.Benchmarks.RelevanceBench.RunAsync(args[1..]);
// dotnet run -c Release --project bench/PaperFeed.Benchmarks -- ingest [papers] (see IngestBench, bench/ingest.sh)
if (args.FirstOrDefault() == "ingest")
    return await PaperFeed.Benchmarks.IngestBench.RunAsync(args.Length > 1 && int.TryParse(args[1], out var n) ? n : 100_000,
        Environment.GetEnvironmentVariable("PAPERFEED_BENCH_PG") ?? "Host=127.0.0.1;Port=55999;Username=postgres;Database=postgres",
        Environment.GetEnvironmentVariable("PAPERFEED_BENCH_ATOM"));

// dotnet run -c Release --project bench/PaperFeed.Benchmarks -- recommend [--authors 300] [--corpus FILE] (see RecommendBench, bench/recommend.sh)
if (args.FirstOrDefault() == "recommend") return PaperFeed.Benchmarks.RecommendBench.Run(args[1..]);

// --quick: BenchmarkDotNet's short run (3 warm-ups, 3 iterations): a few minutes in all, wider error bars.
// Benchmarks run in this process (no generated project to build), with allocations measured.
var quick = args.Contains("--quick");
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job.AsDefault()).AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(PaperFeed.Benchmarks.ParseBenchmarks).Assembly).Run(args.Where(a => a != "--quick").ToArray(), config);
return 0;
