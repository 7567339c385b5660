using BenchmarkDotNet.Running;
using Medley.Benchmarks;

// A macro benchmark (merge-throughput, with merge-one as its per-method child process), a stage profile
// (merge-stages) and BenchmarkDotNet micro benchmarks (bdn) share one executable.
return args switch
{
    ["merge-throughput", .. var rest] => await MergeThroughputCommand.RunAsync(BenchmarkArguments.Parse(rest)).ConfigureAwait(false),
    ["merge-one", .. var rest] => await MergeOneCommand.RunAsync(BenchmarkArguments.Parse(rest)).ConfigureAwait(false),
    ["merge-stages", .. var rest] => MergeStagesCommand.Run(BenchmarkArguments.Parse(rest)),
    ["bdn", .. var rest] => RunBenchmarkDotNet(rest),
    ["decode-overhead", .. var rest] => DecodeOverheadCommand.Run(DecodeArguments.Parse(rest)),
    ["decode-one", .. var rest] => await DecodeOneCommand.RunAsync(DecodeArguments.Parse(rest)).ConfigureAwait(false),
    ["speculative", .. var rest] => await SpeculativeCommand.RunAsync(rest).ConfigureAwait(false),
    ["run-overhead", .. var rest] => await RunOverheadCommand.RunAsync(DecodeArguments.Parse(rest)).ConfigureAwait(false),
    _ => Usage(),
};

static int RunBenchmarkDotNet(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(MergeKernelBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Medley.Benchmarks merge-throughput [--size-gb 2] [--methods linear,task_arithmetic,ties,dare_ties] [--threads N] [--memory-budget 8GB] [--keep DIR]
               Medley.Benchmarks merge-stages [--size-gb 2] [--methods ties] [--keep DIR]
               Medley.Benchmarks decode-overhead [--tokens 128] [--prompt-tokens 64] [--repeats 3] [--device cpu] [--layers 12] [--keep DIR]
               Medley.Benchmarks speculative [--layers 8] [--draft-layers 1] [--hidden 512] [--vocab 2048] [--residual-scale 0.1] [--noise 0.01] [--prompts 8] [--tokens 96] [--repeats 3] [--gammas 2,4,6]
               Medley.Benchmarks run-overhead [--tokens 128] [--prompt-tokens 64] [--repeats 3] [--device cpu] [--layers 12] [--keep DIR]
               Medley.Benchmarks bdn [BenchmarkDotNet arguments, e.g. --filter *Kernel*]
        """);
    return 2;
}
