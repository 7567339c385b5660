using System.Runtime.CompilerServices;

// The tests drive a member's re-tokenization directly with chosen texts, which random models cannot be made to produce.
[assembly: InternalsVisibleTo("Medley.UnionVocab.Tests")]
