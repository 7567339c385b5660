using Medley.Ensemble.UnionVocab;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.UnionVocab.Tests;

public sealed class BadInputTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    private async Task<MedleyException> Fails(IReadOnlyList<(ICausalLanguageModel Model, double? Weight)> chosen, string prompt = "hi", IEnumerable<KeyValuePair<string, object?>>? parameters = null) =>
        await Assert.ThrowsAsync<MedleyException>(() => Decoding.RunAsync(Decoding.Context(chosen, prompt, maxTokens: 4, parameters)));

    [Fact]
    public async Task No_members()
    {
        var error = await Fails([]);
        Assert.Equal(UnionVocabErrorCodes.NoMembers, error.Code);
        Assert.Equal("union-vocab needs at least one model in the 'member' role (the first is the primary); the run gave none.", error.Message);
    }

    [Fact]
    public async Task A_negative_weight_names_the_member()
    {
        var error = await Fails([(members.CharacterA, 1.0), (members.ByteLevel, -0.5)]);
        Assert.Equal(UnionVocabErrorCodes.InvalidWeight, error.Code);
        Assert.Equal("Member 'm1' has weight -0.5: expected a finite number ≥ 0.", error.Message);
    }

    [Fact]
    public async Task Weights_that_are_all_zero()
    {
        var error = await Fails([(members.CharacterA, 0.0), (members.ByteLevel, 0.0)]);
        Assert.Equal(UnionVocabErrorCodes.ZeroWeightSum, error.Code);
        Assert.Equal("Every member's weight is 0, so the weighted average of their probabilities is undefined: give at least one member a positive weight.", error.Message);
    }

    [Theory]
    [InlineData("top_k", 0, UnionVocabErrorCodes.InvalidTopK, "Parameter 'top_k' is 0: expected a whole number ≥ 1.")]
    [InlineData("gate_threshold", 1.5, UnionVocabErrorCodes.InvalidGateThreshold, "Parameter 'gate_threshold' is 1.5: expected a probability between 0 and 1.")]
    [InlineData("gate_threshold", -0.1, UnionVocabErrorCodes.InvalidGateThreshold, "Parameter 'gate_threshold' is -0.1: expected a probability between 0 and 1.")]
    [InlineData("top_k", "ten", "parameter.invalid", "Parameter 'top_k' is the string \"ten\": expected a whole number.")]
    public async Task Parameters_out_of_range(string name, object value, string code, string message)
    {
        var error = await Fails([(members.CharacterA, null)], parameters: [new(name, value)]);
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task An_empty_prompt_for_a_tokenizer_without_bos()
    {
        var error = await Fails([(members.CharacterA, null)], prompt: "");
        Assert.Equal(UnionVocabErrorCodes.EmptyPrompt, error.Code);
        Assert.StartsWith("Member 'm0': its tokenizer (character-level (97 tokens)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("turns the prompt into no tokens and adds no beginning-of-sequence token, so there is nothing to predict from; give a non-empty prompt.", error.Message, StringComparison.Ordinal);
    }
}
