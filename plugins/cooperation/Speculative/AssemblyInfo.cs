using System.Runtime.CompilerServices;

// The tests swap in deliberately wrong acceptance rules to show that their distribution test can fail.
[assembly: InternalsVisibleTo("Medley.Speculative.Tests")]
