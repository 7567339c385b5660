using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Medley.Benchmarks")]
